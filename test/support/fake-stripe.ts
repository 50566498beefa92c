import { randomBytes } from 'node:crypto';
import http, { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

/** A request as the fake received it, with its form body decoded into nested objects. */
export interface StripeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  idempotencyKey: string | null;
}

export interface StripeReply {
  status?: number;
  body: unknown;
}

/** Answers one route; `params` holds the `:name` parts of the route's path. */
export type StripeRouteHandler = (
  request: StripeRequest,
  params: Record<string, string>,
  fake: FakeStripe,
) => StripeReply | Promise<StripeReply>;

type StripeObject = Record<string, unknown> & { id: string };

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: StripeRouteHandler;
}

export function stripeId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;
}

/** `a[b][c]=1&list[0]=x`, the way the SDK encodes parameters, into `{a: {b: {c: '1'}}, list: {0: 'x'}}`. */
export function decodeStripeForm(text: string): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const path = key.split(/\[|\]\[|\]/).filter((part) => part !== '');
    let node = result;
    path.forEach((part, index) => {
      if (index === path.length - 1) node[part] = value;
      else node = (node[part] ??= {}) as Record<string, unknown>;
    });
  }
  return result;
}

export function notFound(type: string, id: string): StripeReply {
  return {
    status: 404,
    body: { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such ${type}: '${id}'` } },
  };
}

const now = () => Math.floor(Date.now() / 1000);

/**
 * A small Stripe API double on node:http for the real `stripe` SDK (pointed at it with STRIPE_API_BASE). It keeps
 * objects in memory, replays a response for a repeated Idempotency-Key, records every request, and signs webhook
 * events with the SDK. Add endpoints with `route()`.
 */
export class FakeStripe {
  readonly requests: StripeRequest[] = [];
  readonly objects = new Map<string, StripeObject>();
  private readonly routes: Route[] = [];
  private readonly replays = new Map<string, StripeReply>();
  private server!: http.Server;
  url = '';

  static async start(): Promise<FakeStripe> {
    const fake = new FakeStripe();
    fake.installDefaultRoutes();
    fake.server = http.createServer((request, response) => void fake.handle(request, response));
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Adds (or overrides, when added later) the handler of `METHOD /v1/path/:param`. */
  route(method: string, path: string, handler: StripeRouteHandler): this {
    const names: string[] = [];
    const pattern = new RegExp(
      `^${path.replace(/:([a-z_]+)/g, (_match, name: string) => {
        names.push(name);
        return '([^/]+)';
      })}$`,
    );
    this.routes.unshift({ method, pattern, names, handler });
    return this;
  }

  requestsTo(method: string, path: string | RegExp): StripeRequest[] {
    return this.requests.filter(
      (r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)),
    );
  }

  store<T extends StripeObject>(object: T): T {
    this.objects.set(object.id, object);
    return object;
  }

  get(id: string): StripeObject | undefined {
    return this.objects.get(id);
  }

  /** Changes a stored object the way Stripe would on its side (a receiver finishing onboarding). */
  update(id: string, changes: Record<string, unknown>): StripeObject {
    const object = this.objects.get(id);
    if (!object) throw new Error(`The fake Stripe has no object ${id}.`);
    Object.assign(object, changes);
    return object;
  }

  /** A Stripe event about `object`, as Stripe would post it. */
  event(type: string, object: Record<string, unknown>, options: { account?: string } = {}): StripeObject {
    return {
      id: stripeId('evt'),
      object: 'event',
      api_version: Stripe.API_VERSION,
      created: now(),
      type,
      account: options.account,
      data: { object: structuredClone(object) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
    };
  }

  /** The body and Stripe-Signature header of a webhook delivery, signed with the SDK. */
  signedDelivery(event: object, secret: string): { payload: string; signature: string } {
    const payload = JSON.stringify(event);
    return { payload, signature: Stripe.webhooks.generateTestHeaderString({ payload, secret }) };
  }

  private installDefaultRoutes(): void {
    this.route('POST', '/v1/accounts', (request) => ({
      body: this.store({
        id: stripeId('acct'),
        object: 'account',
        type: request.body.type ?? 'express',
        country: request.body.country ?? 'US',
        email: request.body.email ?? null,
        capabilities: { transfers: 'inactive' },
        charges_enabled: false,
        payouts_enabled: false,
        details_submitted: false,
        metadata: request.body.metadata ?? {},
        created: now(),
      }),
    }));
    this.route('GET', '/v1/accounts/:id', (_request, { id }) => {
      const account = this.get(id);
      return account?.object === 'account' ? { body: account } : notFound('account', id);
    });
    this.route('POST', '/v1/account_links', (request) => {
      const account = String(request.body.account);
      if (this.get(account)?.object !== 'account') return notFound('account', account);
      return {
        body: {
          object: 'account_link',
          created: now(),
          expires_at: now() + 300,
          url: `https://connect.stripe.test/setup/e/${account}/${randomBytes(8).toString('hex')}`,
        },
      };
    });
    this.route('POST', '/v1/payment_intents', (request) => {
      const id = stripeId('pi');
      return {
        body: this.store({
          id,
          object: 'payment_intent',
          amount: Number(request.body.amount),
          currency: request.body.currency,
          status: 'requires_payment_method',
          client_secret: `${id}_secret_${randomBytes(8).toString('hex')}`,
          metadata: request.body.metadata ?? {},
          created: now(),
        }),
      };
    });
  }

  private async handle(incoming: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of incoming) text += String(chunk);
    const url = new URL(incoming.url ?? '/', this.url);
    const idempotencyKey = (incoming.headers['idempotency-key'] as string | undefined) ?? null;
    const request: StripeRequest = {
      method: incoming.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      body: decodeStripeForm(text),
      headers: incoming.headers,
      idempotencyKey,
    };
    this.requests.push(request);
    const replayKey = idempotencyKey && `${request.method} ${request.path} ${idempotencyKey}`;
    let reply = replayKey ? this.replays.get(replayKey) : undefined;
    if (!reply) {
      reply = await this.dispatch(request);
      if (replayKey) this.replays.set(replayKey, reply);
    }
    response.writeHead(reply.status ?? 200, {
      'content-type': 'application/json',
      'request-id': `req_${randomBytes(6).toString('hex')}`,
    });
    response.end(JSON.stringify(reply.body));
  }

  private async dispatch(request: StripeRequest): Promise<StripeReply> {
    for (const route of this.routes) {
      if (route.method !== request.method) continue;
      const match = route.pattern.exec(request.path);
      if (!match) continue;
      const params = Object.fromEntries(route.names.map((name, index) => [name, decodeURIComponent(match[index + 1])]));
      return route.handler(request, params, this);
    }
    return {
      status: 404,
      body: {
        error: {
          type: 'invalid_request_error',
          message: `Unrecognized request URL (${request.method}: ${request.path}).`,
        },
      },
    };
  }
}
