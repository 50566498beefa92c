import { auth, signUpVerifiedReceiver } from './support/factories.js';
import { ledgerBalance } from './support/payment-factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import {
  createPrice,
  createProduct,
  nowSeconds,
  payerFor,
  sendUsage,
  usageEvent,
  vendorWithPrice,
} from './support/usage-factories.js';

describe('Token Pay usage events: rating and charging', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('rates every token class and calls exactly, rounds once and charges wallet → vendor pending + fee', async () => {
    const { vendor, product } = await vendorWithPrice(t, {
      per_million_tokens: {
        input: '3.00',
        output: '15.00',
        cached_input: '0.30',
        cache_write: '3.75',
        reasoning: '12',
      },
      per_call: '0.0015',
    });
    const { payer, mandate } = await payerFor(t, vendor, '10.00');
    const [result] = await sendUsage(t, vendor, [
      usageEvent(mandate.id, product.id, {
        quantities: {
          input_tokens: 1234,
          output_tokens: 567,
          cached_input_tokens: 8000,
          cache_write_tokens: 1200,
          reasoning_tokens: 321,
          calls: 2,
        },
      }),
    ]);
    // (1234×3 + 567×15 + 8000×0.30 + 1200×3.75 + 321×12) / 1M + 2 × 0.0015 = 0.022959 + 0.003 = 0.025959;
    // fee 2.5 % = 0.000648975 exactly.
    expect(result).toMatchObject({ status: 'accepted', amount: '0.025959', fee: '0.000648975', currency: 'usd' });
    expect(result.usage_event).toMatch(/^ue_/);
    expect(result.ledger_reference).toMatch(/^usage:/);
    expect((await ledgerBalance(t, payer.id, 'wallet')).posted).toBe(10_000_000_000n - 25_959_000n);
    expect((await ledgerBalance(t, vendor.id, 'pending')).posted).toBe(25_959_000n - 648_975n);
  });

  it('keeps prices below a millionth of a cent per token exact and rounds the event once, half to even', async () => {
    // 0.000001 per 1M tokens is 10⁻¹² per token: a ten-thousandth of a millionth of a cent.
    const { vendor, product } = await vendorWithPrice(t, {
      per_million_tokens: { input: '0.000001', output: '0.000003' },
    });
    const { mandate } = await payerFor(t, vendor);
    const results = await sendUsage(t, vendor, [
      usageEvent(mandate.id, product.id, { quantities: { input_tokens: 1_499_999 } }), // 1499.999 nanos → 1500
      usageEvent(mandate.id, product.id, { quantities: { input_tokens: 2_500 } }), // 2.5 → 2 (even)
      usageEvent(mandate.id, product.id, { quantities: { input_tokens: 3_500 } }), // 3.5 → 4 (even)
      usageEvent(mandate.id, product.id, { quantities: { input_tokens: 700, output_tokens: 100 } }), // 0.7 + 0.3 = 1
    ]);
    expect(results.map((r) => [r.status, r.amount])).toEqual([
      ['accepted', '0.0000015'],
      ['accepted', '0.000000002'],
      ['accepted', '0.000000004'],
      ['accepted', '0.000000001'],
    ]);
  });

  it('applies a price’s minimum per event after rounding', async () => {
    const { vendor, product } = await vendorWithPrice(t, { per_call: '0.0001', minimum_per_event: '0.0005' });
    const { mandate } = await payerFor(t, vendor);
    const results = await sendUsage(t, vendor, [
      usageEvent(mandate.id, product.id, { quantities: { calls: 1 } }),
      usageEvent(mandate.id, product.id, { quantities: { calls: 7 } }),
    ]);
    expect(results.map((r) => r.amount)).toEqual(['0.0005', '0.0007']);
  });

  it('rates with the version in force at the event’s timestamp', async () => {
    const vendor = await signUpVerifiedReceiver(t);
    const product = await createProduct(t, vendor);
    const v1 = await createPrice(t, vendor, product.id, { per_million_tokens: { input: '1.00' } });
    const switchAt = nowSeconds() + 60;
    const v2 = await createPrice(t, vendor, product.id, {
      per_million_tokens: { input: '2.00' },
      effective_from: switchAt,
    });
    const { mandate } = await payerFor(t, vendor);
    const million = { input_tokens: 1_000_000 };
    const results = await sendUsage(t, vendor, [
      usageEvent(mandate.id, product.id, { timestamp: switchAt - 1, quantities: million }),
      usageEvent(mandate.id, product.id, { timestamp: switchAt, quantities: million }),
      usageEvent(mandate.id, product.id, {
        timestamp: new Date((switchAt + 30) * 1000).toISOString(),
        quantities: million,
      }),
      usageEvent(mandate.id, v1.id, { timestamp: switchAt + 1, quantities: million }),
      usageEvent(mandate.id, v2.id, { timestamp: switchAt - 1, quantities: million }),
    ]);
    expect(results.map((r) => r.amount ?? r.code)).toEqual(['1.00', '2.00', '2.00', '1.00', 'price_not_in_force']);
  });

  describe('deduplication', () => {
    it('answers duplicates and conflicts within one batch and across batches, charging each event once', async () => {
      const { vendor, product } = await vendorWithPrice(t, { per_million_tokens: { input: '1.00' } });
      const { payer, mandate } = await payerFor(t, vendor, '1.00');
      const first = usageEvent(mandate.id, product.id, { quantities: { input_tokens: 10_000 } });
      const second = usageEvent(mandate.id, product.id, { quantities: { input_tokens: 20_000 } });
      // The same content spelled differently (ISO timestamp, explicit zero, keys reordered) is the same event.
      const sameAsFirst = {
        quantities: { calls: 0, input_tokens: 10_000 },
        product: product.id,
        mandate: mandate.id,
        timestamp: new Date(first.timestamp * 1000).toISOString(),
        id: first.id,
      };
      const otherContent = { ...first, quantities: { input_tokens: 10_001 } };

      const batch1 = await sendUsage(t, vendor, [first, sameAsFirst, otherContent, second]);
      expect(batch1.map((r) => r.status)).toEqual(['accepted', 'duplicate', 'conflict', 'accepted']);
      expect(batch1[1]).toMatchObject({
        amount: '0.01',
        usage_event: batch1[0].usage_event,
        ledger_reference: batch1[0].ledger_reference,
      });
      expect(batch1[2].code).toBe('event_id_conflict');

      const batch2 = await sendUsage(t, vendor, [sameAsFirst, { ...second, metadata: { retry: '1' } }, second]);
      expect(batch2.map((r) => r.status)).toEqual(['duplicate', 'conflict', 'duplicate']);
      expect(batch2[0]).toMatchObject({
        amount: '0.01',
        fee: batch1[0].fee,
        usage_event: batch1[0].usage_event,
        ledger_reference: batch1[0].ledger_reference,
      });
      expect(batch2[2]).toMatchObject({ amount: '0.02', usage_event: batch1[3].usage_event });
      expect((await ledgerBalance(t, payer.id, 'wallet')).posted).toBe(1_000_000_000n - 30_000_000n);

      const listed = await t.http.get('/v1/usage_events?outcome=accepted').set(auth(vendor)).expect(200);
      expect(listed.body.data.map((e: { event_id: string }) => e.event_id).sort()).toEqual(
        [first.id, second.id].sort(),
      );
    });

    it('lets an id that was declined be sent again once the payer can pay', async () => {
      const { vendor, product } = await vendorWithPrice(t, { per_call: '1.00' });
      const { payer, mandate } = await payerFor(t, vendor, '0.50');
      const event = usageEvent(mandate.id, product.id, { quantities: { calls: 1 } });
      const [declined] = await sendUsage(t, vendor, [event]);
      expect(declined).toMatchObject({ status: 'rejected', code: 'insufficient_funds', amount: null });
      await t.http.post('/v1/wallet/top_ups').set(auth(payer)).send({ amount: '1.00', currency: 'usd' }).expect(201);
      const [accepted] = await sendUsage(t, vendor, [event]);
      expect(accepted).toMatchObject({ status: 'accepted', amount: '1.00' });
      const [again] = await sendUsage(t, vendor, [event]);
      expect(again.status).toBe('duplicate');
    });
  });

  describe('bad input', () => {
    it('rejects each bad event with a stable code, charges nothing for it and accepts its neighbours', async () => {
      const { vendor, product, price } = await vendorWithPrice(t, { per_million_tokens: { input: '1.00' } });
      const { payer, mandate } = await payerFor(t, vendor, '5.00');
      const other = await signUpVerifiedReceiver(t);
      const foreign = await payerFor(t, other);
      const euroProduct = await createProduct(t, vendor, 'euro-model');
      const euroPrice = await createPrice(t, vendor, euroProduct.id, {
        currency: 'eur',
        per_million_tokens: { input: '1.00' },
      });
      const ok = () => usageEvent(mandate.id, product.id);
      const cases: Array<[unknown, string]> = [
        [usageEvent(mandate.id, product.id, { quantities: { input_tokens: -5 } }), 'invalid_quantity'],
        [usageEvent(mandate.id, product.id, { quantities: { input_tokens: 2.5 } }), 'invalid_quantity'],
        [usageEvent(mandate.id, product.id, { quantities: { input_tokens: 1e15 } }), 'quantity_too_large'],
        [usageEvent(mandate.id, product.id, { quantities: { output_tokens: 10 } }), 'unpriced_quantity'],
        [usageEvent(mandate.id, product.id, { quantities: {} }), 'invalid_quantities'],
        [usageEvent(mandate.id, 'prod_unknown'), 'product_not_found'],
        [usageEvent(mandate.id, 'price_unknown'), 'price_not_found'],
        [usageEvent(foreign.mandate.id, product.id), 'mandate_not_found'],
        [usageEvent(mandate.id, euroPrice.id), 'currency_mismatch'],
        [usageEvent(mandate.id, euroProduct.id), 'no_price_in_force'],
        [usageEvent(mandate.id, product.id, { timestamp: '2025-02-30T10:00:00Z' }), 'invalid_timestamp'],
        [usageEvent(mandate.id, product.id, { timestamp: 'yesterday' }), 'invalid_timestamp'],
        [usageEvent(mandate.id, product.id, { timestamp: nowSeconds() - 36 * 86_400 }), 'timestamp_too_old'],
        [usageEvent(mandate.id, product.id, { timestamp: nowSeconds() + 600 }), 'timestamp_in_future'],
        [usageEvent(mandate.id, product.id, { price: price.id }), 'product_and_price_given'],
        [usageEvent(mandate.id, product.id, { tokens: 5 }), 'unknown_parameter'],
        [{ ...ok(), id: undefined }, 'invalid_id'],
        ['not an event', 'invalid_event'],
      ];
      const results = await sendUsage(t, vendor, [ok(), ...cases.map(([event]) => event), ok()]);
      expect(results[0].status).toBe('accepted');
      expect(results.at(-1)!.status).toBe('accepted');
      expect(results.slice(1, -1).map((r) => [r.status, r.code])).toEqual(cases.map(([, code]) => ['rejected', code]));
      for (const result of results.slice(1, -1)) expect(result).toMatchObject({ amount: null, fee: null });
      // Only the two good events (1000 tokens at 1.00 per 1M each) were charged.
      expect((await ledgerBalance(t, payer.id, 'wallet')).posted).toBe(5_000_000_000n - 2_000_000n);

      const rejected = await t.http.get('/v1/usage_events?outcome=rejected&limit=100').set(auth(vendor)).expect(200);
      expect(rejected.body.data).toHaveLength(cases.length);
      const events = await t.http.get('/v1/events?type=usage.rejected').set(auth(vendor)).expect(200);
      expect(events.body.data).toHaveLength(1);
      expect(events.body.data[0].data.object.count).toBe(cases.length);
    });

    it('refuses a batch over 1,000 events and malformed bodies as a whole', async () => {
      const { vendor, product } = await vendorWithPrice(t, { per_call: '0.01' });
      const { mandate } = await payerFor(t, vendor);
      const tooMany = Array.from({ length: 1001 }, () => usageEvent(mandate.id, product.id));
      const big = await t.http.post('/v1/usage_events').set(auth(vendor)).send({ events: tooMany }).expect(413);
      expect(big.body.error.code).toBe('batch_too_large');
      const empty = await t.http.post('/v1/usage_events').set(auth(vendor)).send({ events: [] }).expect(400);
      expect(empty.body.error.param).toBe('events');
      await t.http
        .post('/v1/usage_events')
        .set(auth(vendor))
        .send([usageEvent(mandate.id, product.id)])
        .expect(400);
      const single = await t.http
        .post('/v1/usage_events')
        .set(auth(vendor))
        .send(usageEvent(mandate.id, product.id, { quantities: { calls: 3 } }))
        .expect(200);
      expect(single.body.results).toEqual([expect.objectContaining({ status: 'accepted', amount: '0.03' })]);
    });

    it('needs the usage:write scope (or full) to report usage', async () => {
      const { vendor, product } = await vendorWithPrice(t, { per_call: '0.01' });
      const { mandate } = await payerFor(t, vendor);
      const key = async (scopes: string[]) =>
        (await t.http.post('/v1/api_keys').set(auth(vendor)).send({ name: 'k', scopes }).expect(201)).body.secret;
      const reader = await key(['read_only']);
      const reporter = await key(['usage:write']);
      await t.http.post('/v1/usage_events').set(auth(reader)).send(usageEvent(mandate.id, product.id)).expect(403);
      await t.http.post('/v1/usage_events').set(auth(reporter)).send(usageEvent(mandate.id, product.id)).expect(200);
    });
  });
});
