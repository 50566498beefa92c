import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../config/app-config.js';
import { WebhookSender } from './webhook-sender.js';
import { publicOnlyLookup } from './webhook-url-policy.js';

describe('webhook sender', () => {
  let server: http.Server;
  let base: string;
  const received: string[] = [];

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      received.push(request.url ?? '');
      if (request.url === '/silent') return; // never answers
      if (request.url === '/moved') {
        response.writeHead(301, { location: '/ok' }).end();
        return;
      }
      response.writeHead(204).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const sender = (allowPrivate: boolean, timeout = '10000') =>
    new WebhookSender(loadConfig({ WEBHOOK_ALLOW_PRIVATE_URLS: String(allowPrivate), WEBHOOK_TIMEOUT_MS: timeout }));
  const post = (target: WebhookSender, url: string) =>
    target.send({ url, headers: { 'webhook-id': 'evt_1' }, body: '{}' });

  it('posts and reports the status code', async () => {
    expect(await post(sender(true), `${base}/ok`)).toMatchObject({ statusCode: 204, error: null });
  });

  it('does not follow redirects', async () => {
    const response = await post(sender(true), `${base}/moved`);
    expect(response).toMatchObject({ statusCode: 301, error: expect.stringContaining('Redirects are not followed') });
    expect(received.filter((path) => path === '/ok')).toHaveLength(1);
  });

  it('gives up when the endpoint does not answer in time', async () => {
    const response = await post(sender(true, '200'), `${base}/silent`);
    expect(response).toMatchObject({ statusCode: null, error: 'No response within 200 ms.' });
  });

  it('refuses loopback and names resolving to it at delivery unless private URLs are allowed', async () => {
    const before = received.length;
    const literal = await post(sender(false), `${base}/ok`);
    expect(literal).toMatchObject({ statusCode: null, error: expect.stringContaining('not allowed') });
    const port = new URL(base).port;
    const named = await post(sender(false), `http://localhost:${port}/ok`);
    expect(named.error).toContain('not allowed');
    expect(received.length).toBe(before);

    const resolved = await new Promise<Error | null>((resolve) =>
      publicOnlyLookup('localhost', {}, (error) => resolve(error)),
    );
    expect(resolved?.message).toContain('not allowed');
  });
});
