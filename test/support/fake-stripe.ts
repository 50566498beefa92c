import { randomBytes } from 'node:crypto';
import http, { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import type request from 'supertest';

/** The app's supertest agent (TestApp.http). */
type TestAgent = ReturnType<typeof request>;

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

/**
 * What the next matching requests meet instead of the plain route (see FakeStripe.failNext):
 *  - `reply`: answered instead of running the route. Nothing happens at the fake and nothing is saved for the
 *    idempotency key, as when Stripe fails before an endpoint begins executing (a 503 from its edge, a refused
 *    parameter), so a retry with the same key runs the route for real.
 *  - `holdMs`: the route runs (the object exists), then its answer is held this long, the idempotency key staying
 *    in progress meanwhile: a slow Stripe, whose client may give up before the answer comes.
 */
export type StripeFault = { reply: StripeReply } | { holdMs: number };

type StripeObject = Record<string, unknown> & { id: string };

interface PendingFault {
  method: string;
  path: string | RegExp;
  left: number;
  fault: StripeFault;
}

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

/** A Stripe error answer: `stripeError(500, 'api_error', 'An unknown error occurred')`. */
export function stripeError(
  status: number,
  type: string,
  message: string,
  extra: { code?: string; param?: string } = {},
): StripeReply {
  return { status, body: { error: { type, message, ...extra } } };
}

export function notFound(type: string, id: string): StripeReply {
  return {
    status: 404,
    body: { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such ${type}: '${id}'` } },
  };
}

const now = () => Math.floor(Date.now() / 1000);

function matches(request: StripeRequest, method: string, path: string | RegExp): boolean {
  return request.method === method && (typeof path === 'string' ? request.path === path : path.test(request.path));
}

/**
 * A small Stripe API double on node:http for the real `stripe` SDK (pointed at it with STRIPE_API_BASE). It keeps
 * objects in memory, replays a response for a repeated Idempotency-Key, records every request, and signs webhook
 * events with the SDK. Add endpoints with `route()`, and faults (errors, slow answers) with `failNext()`. Like
 * Stripe, a request whose idempotency key is still in progress gets a 409 `idempotency_key_in_use`.
 */
export class FakeStripe {
  readonly requests: StripeRequest[] = [];
  readonly objects = new Map<string, StripeObject>();
  private readonly routes: Route[] = [];
  private readonly replays = new Map<string, StripeReply>();
  private readonly inProgress = new Set<string>();
  private readonly faults: PendingFault[] = [];
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
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // Answers still held by a fault must not keep the server open.
    this.server.closeAllConnections();
    return closed;
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
    return this.requests.filter((r) => matches(r, method, path));
  }

  /**
   * The next `times` requests to `METHOD path` (the exact path, or a RegExp) meet `fault`, after any faults
   * already waiting for the same requests: `failNext('POST', '/v1/transfers', 3, { reply: stripeError(500, …) })`.
   */
  failNext(method: string, path: string | RegExp, times: number, fault: StripeFault): this {
    this.faults.push({ method, path, left: times, fault });
    return this;
  }

  /** How many injected faults have not met their request yet. */
  faultsLeft(): number {
    return this.faults.reduce((sum, pending) => sum + pending.left, 0);
  }

  /** Drops the faults no request met (between tests, so one test's leftovers cannot hit the next). */
  clearFaults(): void {
    this.faults.length = 0;
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

  /** Delivers `event` to the app's Stripe webhook endpoint as Stripe does: signed, as JSON. */
  deliver(http: TestAgent, event: object, secret: string): request.Test {
    const { payload, signature } = this.signedDelivery(event, secret);
    return http
      .post('/v1/webhooks/stripe')
      .set('Content-Type', 'application/json')
      .set('Stripe-Signature', signature)
      .send(payload);
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
    const fault = this.takeFault(request);
    if (fault && 'reply' in fault) return this.send(response, fault.reply);
    const replayKey = idempotencyKey && `${request.method} ${request.path} ${idempotencyKey}`;
    if (replayKey && this.inProgress.has(replayKey)) {
      return this.send(
        response,
        stripeError(
          409,
          'invalid_request_error',
          'There is currently another in-progress request using this Idempotent Key (that probably means you ' +
            'submitted twice, and the other request is still going through). Please try again later.',
          { code: 'idempotency_key_in_use' },
        ),
      );
    }
    let reply = replayKey ? this.replays.get(replayKey) : undefined;
    if (!reply) {
      if (replayKey) this.inProgress.add(replayKey);
      try {
        reply = await this.dispatch(request);
        if (fault) await new Promise((resolve) => setTimeout(resolve, fault.holdMs));
        if (replayKey) this.replays.set(replayKey, reply);
      } finally {
        if (replayKey) this.inProgress.delete(replayKey);
      }
    } else if (fault) {
      await new Promise((resolve) => setTimeout(resolve, fault.holdMs));
    }
    this.send(response, reply);
  }

  private send(response: http.ServerResponse, reply: StripeReply): void {
    // The client may have given up on a held answer; there is no one left to tell.
    if (response.destroyed) return;
    response.writeHead(reply.status ?? 200, {
      'content-type': 'application/json',
      'request-id': `req_${randomBytes(6).toString('hex')}`,
    });
    response.end(JSON.stringify(reply.body));
  }

  private takeFault(request: StripeRequest): StripeFault | null {
    const pending = this.faults.find((entry) => entry.left > 0 && matches(request, entry.method, entry.path));
    if (!pending) return null;
    pending.left -= 1;
    return pending.fault;
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
