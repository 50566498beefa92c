import { randomUUID } from 'node:crypto';
import { auth, signUpVerifiedReceiver, type TestAccount } from './support/factories.js';
import { fundedPayer, grantMandate, ledgerBalance } from './support/payment-factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import {
  createPrice,
  createProduct,
  nowSeconds,
  payerFor,
  sendUsage,
  usageEvent,
  type UsageResult,
} from './support/usage-factories.js';

const CLASSES = [
  'input_tokens',
  'output_tokens',
  'cached_input_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
  'calls',
] as const;
type Quantities = Partial<Record<(typeof CLASSES)[number], number>>;

/** A small deterministic generator (mulberry32), so a failing run can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function nanos(decimal: string): bigint {
  const [units, fraction = ''] = decimal.split('.');
  return BigInt(units) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0'));
}

describe('Token Pay usage summary', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('adds up, in every grouping, to the ledger to the nano after a randomized run', async () => {
    const next = random(Number(process.env.USAGE_SEED ?? 20250615));
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
    const vendor = await signUpVerifiedReceiver(t);
    const now = nowSeconds();
    const chat = await createProduct(t, vendor, 'chat');
    await createPrice(t, vendor, chat.id, {
      per_million_tokens: {
        input: '3.00',
        output: '15.00',
        cached_input: '0.30',
        cache_write: '3.75',
        reasoning: '15',
      },
    });
    const tool = await createProduct(t, vendor, 'tool');
    await createPrice(t, vendor, tool.id, { per_call: '0.0004', per_million_tokens: { input: '0.000007' } });
    const embed = await createProduct(t, vendor, 'embed');
    await createPrice(t, vendor, embed.id, { per_million_tokens: { input: '0.02' }, minimum_per_event: '0.000001' });
    await createPrice(t, vendor, embed.id, { per_million_tokens: { input: '0.03' }, effective_from: now + 30 });
    const payers: Array<{ payer: TestAccount; mandate: { id: string } }> = [];
    for (let i = 0; i < 4; i++) payers.push(await payerFor(t, vendor, '1000.00'));

    const quantitiesFor = (product: string): Quantities => {
      const amount = () => Math.floor(next() * 200_000);
      if (product === tool.id)
        return next() < 0.5 ? { calls: 1 + Math.floor(next() * 5) } : { calls: 1, input_tokens: amount() };
      if (product === embed.id) return { input_tokens: next() < 0.1 ? 0 : amount() };
      const q: Quantities = {};
      for (const c of CLASSES) if (c !== 'calls' && next() < 0.6) q[c] = amount();
      return Object.keys(q).length ? q : { input_tokens: 1 };
    };
    const sent: Array<Record<string, unknown>> = [];
    const results: UsageResult[] = [];
    for (let batch = 0; batch < 4; batch++) {
      const events: Array<Record<string, unknown>> = [];
      for (let i = 0; i < 60; i++) {
        if (sent.length > 0 && next() < 0.1) {
          const earlier = pick(sent);
          // Resent as is (a duplicate) or, now and then, with other content under the same id (a conflict).
          events.push(next() < 0.8 ? earlier : { ...earlier, timestamp: (earlier.timestamp as number) - 1 });
          continue;
        }
        const product = pick([chat.id, tool.id, embed.id]);
        const event = {
          id: `evt_${randomUUID()}`,
          timestamp: now - Math.floor(next() * 7200) + (next() < 0.2 ? 200 : 0),
          mandate: pick(payers).mandate.id,
          product,
          quantities: quantitiesFor(product),
        };
        events.push(event);
        sent.push(event);
      }
      results.push(...(await sendUsage(t, vendor, events)));
    }
    const accepted = results.filter((r) => r.status === 'accepted');
    expect(accepted.length).toBeGreaterThan(150);
    expect(results.some((r) => r.status === 'duplicate')).toBe(true);
    expect(results.some((r) => r.status === 'conflict')).toBe(true);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);

    let charged = 0n;
    for (const { payer } of payers) charged += 1_000_000_000_000n - (await ledgerBalance(t, payer.id, 'wallet')).posted;
    const pending = (await ledgerBalance(t, vendor.id, 'pending')).posted;
    const fees = accepted.reduce((sum, r) => sum + nanos(r.fee!), 0n);
    expect(accepted.reduce((sum, r) => sum + nanos(r.amount!), 0n)).toBe(charged);

    const range = `from=${now - 86_400}&to=${now + 600}`;
    for (const group of ['product', 'price', 'token_class', 'payer', 'day']) {
      const summary = (await t.http.get(`/v1/usage/summary?${range}&group_by=${group}`).set(auth(vendor)).expect(200))
        .body;
      expect(summary.totals).toEqual([
        {
          currency: 'usd',
          events: accepted.length,
          amount: expect.any(String),
          fee: expect.any(String),
          net: expect.any(String),
        },
      ]);
      const [total] = summary.totals;
      expect(nanos(total.amount)).toBe(charged);
      expect(nanos(total.net)).toBe(pending);
      expect(nanos(total.fee)).toBe(fees);
      const lines = summary.data as Array<{ amount: string; fee: string; events: number; quantities: Quantities }>;
      expect(lines.reduce((sum, line) => sum + nanos(line.amount), 0n)).toBe(charged);
      expect(lines.reduce((sum, line) => sum + nanos(line.fee), 0n)).toBe(fees);
      if (group !== 'token_class') expect(lines.reduce((sum, line) => sum + line.events, 0)).toBe(accepted.length);
    }
    const byClass = (await t.http.get(`/v1/usage/summary?${range}&group_by=token_class`).set(auth(vendor)).expect(200))
      .body;
    expect(byClass.data.map((line: { key: string }) => line.key).sort()).toEqual(
      ['cache_write', 'cached_input', 'calls', 'input', 'output', 'reasoning'].sort(),
    );
    const byPayer = (await t.http.get(`/v1/usage/summary?${range}&group_by=payer`).set(auth(vendor)).expect(200)).body;
    for (const { payer } of payers) {
      const line = byPayer.data.find((l: { key: string }) => l.key === payer.id);
      const spent = 1_000_000_000_000n - (await ledgerBalance(t, payer.id, 'wallet')).posted;
      expect(nanos(line?.amount ?? '0')).toBe(spent);
    }
  });

  it('shows a payer its token usage by vendor and product in its AI bill, equal to its wallet', async () => {
    const payer = await fundedPayer(t, '10.00');
    const vendors: TestAccount[] = [];
    const products: string[] = [];
    const mandates: string[] = [];
    for (const name of ['alpha', 'beta']) {
      const vendor = await signUpVerifiedReceiver(t);
      const product = await createProduct(t, vendor, name);
      await createPrice(t, vendor, product.id, { per_million_tokens: { input: '2.00', output: '8.00' } });
      vendors.push(vendor);
      products.push(product.id);
      mandates.push((await grantMandate(t, payer, { payee: vendor.id })).id);
    }
    await sendUsage(t, vendors[0], [
      usageEvent(mandates[0], products[0], { quantities: { input_tokens: 1000, output_tokens: 500 } }),
      usageEvent(mandates[0], products[0], { quantities: { input_tokens: 3 } }),
    ]);
    await sendUsage(t, vendors[1], [usageEvent(mandates[1], products[1], { quantities: { output_tokens: 125 } })]);

    const bill = (await t.http.get('/v1/bills').set(auth(payer)).expect(200)).body;
    expect(bill.usage.lines).toEqual(
      expect.arrayContaining([
        {
          vendor: vendors[0].id,
          product: products[0],
          currency: 'usd',
          events: 2,
          amount: '0.006006',
          quantities: expect.objectContaining({ input_tokens: 1003, output_tokens: 500 }),
        },
        expect.objectContaining({ vendor: vendors[1].id, product: products[1], events: 1, amount: '0.001' }),
      ]),
    );
    expect(bill.usage.totals).toEqual([{ currency: 'usd', events: 3, amount: '0.007006' }]);
    const wallet = await ledgerBalance(t, payer.id, 'wallet');
    expect(10_000_000_000n - wallet.posted).toBe(7_006_000n);
  });
});
