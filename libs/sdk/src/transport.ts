export interface RequestOptions {
  idempotencyKey?: string;
  headers?: Record<string, string>;
}

export interface Transport {
  request<T>(
    method: string,
    path: string,
    init: { body?: unknown; query?: Record<string, unknown>; options: RequestOptions },
  ): Promise<T>;
}

/** The API's error body, thrown by the SDK for any non-2xx response. */
export class AiReceiveError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly code: string,
    message: string,
    readonly param: string | undefined,
    readonly requestId: string | undefined,
  ) {
    super(message);
  }
}

/** A fetch-based transport: `new FetchTransport('http://localhost:3000', 'air_sk_test_…')`. */
export class FetchTransport implements Transport {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey?: string,
  ) {}

  async request<T>(
    method: string,
    path: string,
    init: { body?: unknown; query?: Record<string, unknown>; options: RequestOptions },
  ): Promise<T> {
    const url = new URL(path, this.baseUrl);
    for (const [name, value] of Object.entries(init.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const headers: Record<string, string> = { Accept: 'application/json', ...init.options.headers };
    if (this.apiKey) headers.Authorization = `Bearer ${this.apiKey}`;
    if (init.options.idempotencyKey) headers['Idempotency-Key'] = init.options.idempotencyKey;
    if (init.body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(url, {
      method,
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await response.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (!response.ok) {
      const error = (parsed as { error?: Record<string, string> } | undefined)?.error ?? {};
      throw new AiReceiveError(
        response.status,
        error.type ?? 'api_error',
        error.code ?? 'unknown',
        error.message ?? response.statusText,
        error.param,
        error.request_id,
      );
    }
    return parsed as T;
  }
}
