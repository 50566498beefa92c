import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { auth, signUp, TestAccount } from './support/factories.js';
import { startTestApp, TestApp } from './support/test-app.js';

interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** A local HTTP server standing in for a customer's webhook endpoint; answers per path from a plan. */
async function startReceiver() {
  const received: Received[] = [];
  const plans = new Map<string, number[]>();
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += String(chunk)));
    request.on('end', () => {
      const path = request.url ?? '/';
      received.push({ path, headers: request.headers as Record<string, string>, body });
      const plan = plans.get(path) ?? [200];
      const status = plan.length > 1 ? plan.shift()! : plan[0];
      response.writeHead(status, status >= 300 && status < 400 ? { location: 'http://127.0.0.1:9/elsewhere' } : {});
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    /** A fresh path on the receiver, answering `statuses` in turn (the last one from then on). */
    endpoint(statuses: number[] = [200]): { url: string; path: string } {
      const path = `/hooks/${randomUUID()}`;
      plans.set(path, [...statuses]);
      return { url: `http://127.0.0.1:${port}${path}`, path };
    },
    at: (path: string) => received.filter((r) => r.path === path),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Polls until `probe` returns a value (deliveries are asynchronous). */
async function eventually<T>(probe: () => Promise<T | undefined | null | false>, what: string): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('events and webhooks', () => {
  let t: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    t = await startTestApp();
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  async function createEndpoint(account: TestAccount, url: string, enabledEvents = ['*']) {
    const response = await t.http
      .post('/v1/webhook_endpoints')
      .set(auth(account))
      .send({ url, enabled_events: enabledEvents, description: 'test receiver' })
      .expect(201);
    return response.body as { id: string; secret: string };
  }

  /** Renames the account: one `account.updated` event. */
  async function changeAccount(account: TestAccount, name = `Renamed ${randomUUID().slice(0, 6)}`): Promise<string> {
    await t.http.patch('/v1/account').set(auth(account)).send({ name }).expect(200);
    const events = await t.http.get('/v1/events?type=account.updated&limit=1').set(auth(account)).expect(200);
    return events.body.data[0].id;
  }

  function attempts(account: TestAccount, endpointId: string, minimum: number) {
    return eventually(async () => {
      const list = await t.http.get(`/v1/webhook_endpoints/${endpointId}/deliveries`).set(auth(account)).expect(200);
      return list.body.data.length >= minimum && list.body.data;
    }, `${minimum} delivery attempts`);
  }

  it('lists events newest first, filtered by type, page by page, each with the object as it was', async () => {
    const account = await signUp(t);
    await changeAccount(account, 'First name');
    await changeAccount(account, 'Second name');
    const all = await t.http.get('/v1/events').set(auth(account)).expect(200);
    expect(all.body.data.map((e: { type: string }) => e.type)).toEqual([
      'account.updated',
      'account.updated',
      'account.created',
    ]);
    expect(all.body.data[0]).toMatchObject({
      object: 'event',
      account: account.id,
      data: { object: { name: 'Second name' } },
    });
    expect(all.body.data[1].data.object.name).toBe('First name');
    expect(typeof all.body.data[0].created).toBe('number');

    const updated = await t.http.get('/v1/events?type=account.updated').set(auth(account)).expect(200);
    expect(updated.body.data).toHaveLength(2);
    const family = await t.http.get('/v1/events?type=account.*').set(auth(account)).expect(200);
    expect(family.body.data).toHaveLength(3);
    await t.http.get('/v1/events?type=Not%20a%20type').set(auth(account)).expect(400);

    const first = await t.http.get('/v1/events?limit=2').set(auth(account)).expect(200);
    expect(first.body.has_more).toBe(true);
    const next = await t.http
      .get(`/v1/events?limit=2&starting_after=${first.body.data[1].id}`)
      .set(auth(account))
      .expect(200);
    expect(next.body).toMatchObject({ has_more: false, data: [{ type: 'account.created' }] });

    const one = await t.http.get(`/v1/events/${all.body.data[1].id}`).set(auth(account)).expect(200);
    expect(one.body).toEqual(all.body.data[1]);
  });

  it("answers 404 for another account's event", async () => {
    const owner = await signUp(t);
    const stranger = await signUp(t);
    const eventId = await changeAccount(owner);
    const response = await t.http.get(`/v1/events/${eventId}`).set(auth(stranger)).expect(404);
    expect(response.body.error.code).toBe('resource_missing');
    await t.http.post(`/v1/events/${eventId}/redeliver`).set(auth(stranger)).send({}).expect(404);
  });

  it('delivers a signed event that the Standard Webhooks library verifies', async () => {
    const account = await signUp(t);
    const target = receiver.endpoint();
    const endpoint = await createEndpoint(account, target.url, ['account.updated']);
    expect(endpoint.secret).toMatch(/^whsec_/);
    const shown = await t.http.get(`/v1/webhook_endpoints/${endpoint.id}`).set(auth(account)).expect(200);
    expect(shown.body).not.toHaveProperty('secret');

    const eventId = await changeAccount(account, 'Delivered name');
    const [delivery] = await eventually(
      async () => receiver.at(target.path).length > 0 && receiver.at(target.path),
      'a delivery',
    );
    expect(delivery.headers['webhook-id']).toBe(eventId);
    expect(delivery.headers['content-type']).toBe('application/json');
    const verified = new Webhook(endpoint.secret).verify(delivery.body, delivery.headers);
    const event = await t.http.get(`/v1/events/${eventId}`).set(auth(account)).expect(200);
    expect(verified).toEqual(event.body);
    expect(() =>
      new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(delivery.body, delivery.headers),
    ).toThrow();

    const [attempt] = await attempts(account, endpoint.id, 1);
    expect(attempt).toMatchObject({
      object: 'webhook_delivery_attempt',
      attempt: 1,
      event: eventId,
      event_type: 'account.updated',
      status_code: 200,
      succeeded: true,
      error: null,
      url: target.url,
    });
    expect(attempt.duration_ms).toBeGreaterThanOrEqual(0);
  });

  it('retries a delivery that failed with a 500 and records both attempts', async () => {
    const account = await signUp(t);
    const target = receiver.endpoint([500, 200]);
    const endpoint = await createEndpoint(account, target.url);
    const eventId = await changeAccount(account);

    const list = await attempts(account, endpoint.id, 2);
    expect(
      list.map((a: { attempt: number; status_code: number; succeeded: boolean }) => [
        a.attempt,
        a.status_code,
        a.succeeded,
      ]),
    ).toEqual([
      [2, 200, true],
      [1, 500, false],
    ]);
    expect(list[0].delivery).toBe(list[1].delivery);
    expect(receiver.at(target.path).map((r) => r.headers['webhook-id'])).toEqual([eventId, eventId]);
    const filtered = await t.http
      .get(`/v1/webhook_endpoints/${endpoint.id}/deliveries?event=${eventId}&limit=1`)
      .set(auth(account))
      .expect(200);
    expect(filtered.body).toMatchObject({ has_more: true, data: [{ attempt: 2 }] });
  });

  it('gives up after the retry schedule and does not follow redirects', async () => {
    const account = await signUp(t);
    const target = receiver.endpoint([302]);
    const endpoint = await createEndpoint(account, target.url);
    await changeAccount(account);
    // The test schedule has three retries: four attempts, then the delivery fails for good.
    const list = await attempts(account, endpoint.id, 4);
    expect(list.map((a: { attempt: number }) => a.attempt)).toEqual([4, 3, 2, 1]);
    expect(list[0]).toMatchObject({ status_code: 302, succeeded: false, error: expect.stringContaining('Redirects') });
    expect(receiver.at('/elsewhere')).toHaveLength(0);
  });

  it('disables an endpoint that answers 410 Gone, and enables it again on request', async () => {
    const account = await signUp(t);
    const target = receiver.endpoint([410]);
    const endpoint = await createEndpoint(account, target.url);
    const witness = receiver.endpoint();
    await createEndpoint(account, witness.url);
    await changeAccount(account);

    const disabled = await eventually(async () => {
      const shown = await t.http.get(`/v1/webhook_endpoints/${endpoint.id}`).set(auth(account)).expect(200);
      return !shown.body.enabled && shown.body;
    }, 'the endpoint to be disabled');
    expect(disabled.disabled_reason).toBe('endpoint_gone');
    const [attempt] = await attempts(account, endpoint.id, 1);
    expect(attempt).toMatchObject({ status_code: 410, succeeded: false });

    // Once the other endpoint has this event, the relay has dispatched it, skipping the disabled endpoint.
    const whileDisabled = await changeAccount(account);
    await eventually(
      async () => receiver.at(witness.path).some((r) => r.headers['webhook-id'] === whileDisabled),
      'the event to be dispatched',
    );
    const enabled = await t.http
      .patch(`/v1/webhook_endpoints/${endpoint.id}`)
      .set(auth(account))
      .send({ enabled: true })
      .expect(200);
    expect(enabled.body).toMatchObject({ enabled: true, disabled_reason: null });
    expect(receiver.at(target.path)).toHaveLength(1);
  });

  it('rotates the signing secret, signing with the old one too during the overlap', async () => {
    const account = await signUp(t);
    const target = receiver.endpoint();
    const endpoint = await createEndpoint(account, target.url);

    const rotated = await t.http
      .post(`/v1/webhook_endpoints/${endpoint.id}/rotate_secret`)
      .set(auth(account))
      .send({})
      .expect(201);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(endpoint.secret);
    expect(rotated.body.previous_secret_expires_at).toBeGreaterThan(Date.now() / 1000 + 23 * 3600);
    await changeAccount(account);
    const [during] = await eventually(
      async () => receiver.at(target.path).length === 1 && receiver.at(target.path),
      'a delivery',
    );
    expect(new Webhook(rotated.body.secret).verify(during.body, during.headers)).toBeTruthy();
    expect(new Webhook(endpoint.secret).verify(during.body, during.headers)).toBeTruthy();

    const now = await t.http
      .post(`/v1/webhook_endpoints/${endpoint.id}/rotate_secret`)
      .set(auth(account))
      .send({ expires_in_hours: 0 })
      .expect(201);
    expect(now.body.previous_secret_expires_at).toBeNull();
    await changeAccount(account);
    const after = await eventually(
      async () => receiver.at(target.path).length === 2 && receiver.at(target.path)[1],
      'a second delivery',
    );
    expect(new Webhook(now.body.secret).verify(after.body, after.headers)).toBeTruthy();
    expect(() => new Webhook(rotated.body.secret).verify(after.body, after.headers)).toThrow();
  });

  it('redelivers an event to every subscribed endpoint, or to the one named', async () => {
    const account = await signUp(t);
    const first = receiver.endpoint();
    const second = receiver.endpoint();
    const firstEndpoint = await createEndpoint(account, first.url, ['account.updated']);
    await createEndpoint(account, second.url, ['account.*']);
    const eventId = await changeAccount(account);
    await eventually(
      async () => receiver.at(first.path).length === 1 && receiver.at(second.path).length === 1,
      'both deliveries',
    );

    const again = await t.http.post(`/v1/events/${eventId}/redeliver`).set(auth(account)).send({}).expect(202);
    expect(again.body.data).toHaveLength(2);
    expect(again.body.data[0]).toMatchObject({
      object: 'webhook_delivery',
      event: eventId,
      trigger: 'redeliver',
      status: 'pending',
    });
    await eventually(
      async () => receiver.at(first.path).length === 2 && receiver.at(second.path).length === 2,
      'redeliveries',
    );

    await t.http
      .post(`/v1/events/${eventId}/redeliver`)
      .set(auth(account))
      .send({ endpoint: firstEndpoint.id })
      .expect(202);
    await eventually(async () => receiver.at(first.path).length === 3, 'a redelivery to the named endpoint');
    expect(receiver.at(first.path).map((r) => r.headers['webhook-id'])).toEqual([eventId, eventId, eventId]);
    expect(receiver.at(second.path)).toHaveLength(2);

    const unknown = await t.http
      .post(`/v1/events/${eventId}/redeliver`)
      .set(auth(account))
      .send({ endpoint: 'we_missing' })
      .expect(404);
    expect(unknown.body.error.param).toBe('endpoint');
  });

  it('creates, lists, updates and deletes endpoints, per account', async () => {
    const account = await signUp(t);
    const stranger = await signUp(t);
    const older = await createEndpoint(account, receiver.endpoint().url);
    const newer = await createEndpoint(account, receiver.endpoint().url, ['account.updated']);

    const list = await t.http.get('/v1/webhook_endpoints').set(auth(account)).expect(200);
    expect(list.body.data.map((e: { id: string }) => e.id)).toEqual([newer.id, older.id]);
    expect(list.body.data[0]).toMatchObject({
      object: 'webhook_endpoint',
      enabled: true,
      enabled_events: ['account.updated'],
    });
    expect(list.body.data[0]).not.toHaveProperty('secret');

    const updated = await t.http
      .patch(`/v1/webhook_endpoints/${newer.id}`)
      .set(auth(account))
      .send({ enabled_events: ['payout.*', 'account.created'], description: null, enabled: false })
      .expect(200);
    expect(updated.body).toMatchObject({
      enabled_events: ['payout.*', 'account.created'],
      description: null,
      enabled: false,
      disabled_reason: 'manual',
    });
    const invalid = await t.http
      .patch(`/v1/webhook_endpoints/${newer.id}`)
      .set(auth(account))
      .send({ enabled_events: ['payout.'] })
      .expect(400);
    expect(invalid.body.error.param).toBe('enabled_events');

    await t.http.get(`/v1/webhook_endpoints/${newer.id}`).set(auth(stranger)).expect(404);
    await t.http.patch(`/v1/webhook_endpoints/${newer.id}`).set(auth(stranger)).send({ enabled: true }).expect(404);
    await t.http.get(`/v1/webhook_endpoints/${newer.id}/deliveries`).set(auth(stranger)).expect(404);
    await t.http.delete(`/v1/webhook_endpoints/${newer.id}`).set(auth(stranger)).expect(404);

    const deleted = await t.http.delete(`/v1/webhook_endpoints/${newer.id}`).set(auth(account)).expect(200);
    expect(deleted.body).toEqual({ id: newer.id, object: 'webhook_endpoint', deleted: true });
    await t.http.get(`/v1/webhook_endpoints/${newer.id}`).set(auth(account)).expect(404);
  });

  it('refuses loopback, private, link-local and metadata URLs unless private URLs are allowed', async () => {
    const strict = await startTestApp({ WEBHOOK_ALLOW_PRIVATE_URLS: 'false', APP_ROLE: 'api' });
    try {
      const account = await signUp(strict);
      for (const url of [
        'http://127.0.0.1:8080/hook',
        'http://localhost/hook',
        'http://0.0.0.0/',
        'http://169.254.169.254/latest/meta-data/',
        'http://10.0.0.8/',
        'http://100.64.1.1/',
        'http://[::1]/',
        'http://[::ffff:127.0.0.1]/',
        'http://[fd00::1]/',
        'http://[fe80::1]/',
      ]) {
        const refused = await strict.http
          .post('/v1/webhook_endpoints')
          .set(auth(account))
          .send({ url, enabled_events: ['*'] });
        expect([url, refused.status, refused.body.error.code, refused.body.error.param]).toEqual([
          url,
          400,
          'url_not_allowed',
          'url',
        ]);
      }
      const scheme = await strict.http
        .post('/v1/webhook_endpoints')
        .set(auth(account))
        .send({ url: 'file:///etc/passwd', enabled_events: ['*'] })
        .expect(400);
      expect(scheme.body.error.code).toBe('url_invalid');
      await strict.http
        .post('/v1/webhook_endpoints')
        .set(auth(account))
        .send({ url: 'https://93.184.215.14/hook', enabled_events: ['*'] })
        .expect(201);
    } finally {
      await strict.close();
    }
  });
});
