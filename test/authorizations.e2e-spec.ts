import { ExpireAuthorizationsService } from '../src/metering/use-cases/settle-authorization/expire-authorizations.service.js';
import { auth } from './support/factories.js';
import { ledgerBalance } from './support/payment-factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { payerFor, sendUsage, usageEvent, vendorWithPrice } from './support/usage-factories.js';

const USD = 1_000_000_000n;

describe('Token Pay authorizations: "up to" holds', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** A vendor charging 1.00 per call, a payer with 10.00 and a mandate with a 6.00 budget. */
  async function setup() {
    const { vendor, product } = await vendorWithPrice(t, { per_call: '1.00' });
    const { payer, mandate } = await payerFor(t, vendor, '10.00', { total_budget: '6.00' });
    return { vendor, product, payer, mandate };
  }

  async function authorize(vendor: Parameters<typeof auth>[0], mandate: string, amount: string, extra = {}) {
    return (
      await t.http
        .post('/v1/authorizations')
        .set(auth(vendor))
        .send({ mandate, amount, currency: 'usd', ...extra })
        .expect(201)
    ).body;
  }

  async function spentTotal(payer: Parameters<typeof auth>[0], mandate: string) {
    return (await t.http.get(`/v1/mandates/${mandate}`).set(auth(payer)).expect(200)).body.spent_total;
  }

  it('holds the amount on the wallet and against the mandate, then captures usage against it', async () => {
    const { vendor, product, payer, mandate } = await setup();
    const authorization = await authorize(vendor, mandate.id, '5.00');
    expect(authorization).toMatchObject({
      object: 'authorization',
      status: 'active',
      amount: '5.00',
      amount_captured: '0.00',
      amount_remaining: '5.00',
      payer: payer.id,
    });
    expect(authorization.id).toMatch(/^authz_/);
    expect(await ledgerBalance(t, payer.id, 'wallet')).toMatchObject({ posted: 10n * USD, available: 5n * USD });
    expect(await spentTotal(payer, mandate.id)).toBe('5.00');

    // Usage naming the authorization captures against it; what does not fit is rejected and charges nothing.
    const results = await sendUsage(t, vendor, [
      usageEvent(mandate.id, product.id, { authorization: authorization.id, quantities: { calls: 2 } }),
      usageEvent(mandate.id, product.id, { authorization: authorization.id, quantities: { calls: 4 } }),
      usageEvent(mandate.id, product.id, { authorization: authorization.id, quantities: { calls: 1 } }),
    ]);
    expect(results.map((r) => (r.status === 'accepted' ? r.amount : r.code))).toEqual([
      '2.00',
      'authorization_exceeded',
      '1.00',
    ]);
    const after = (await t.http.get(`/v1/authorizations/${authorization.id}`).set(auth(vendor)).expect(200)).body;
    expect(after).toMatchObject({
      status: 'active',
      amount_captured: '3.00',
      amount_remaining: '2.00',
      fee_captured: '0.075',
    });
    expect(await ledgerBalance(t, payer.id, 'wallet')).toMatchObject({ posted: 7n * USD, available: 5n * USD });
    expect((await ledgerBalance(t, vendor.id, 'pending')).posted).toBe(3n * USD - 75_000_000n);
    expect(await spentTotal(payer, mandate.id)).toBe('5.00');

    // An explicit partial capture that keeps the rest held, then a final one of less than what remains.
    const partial = await t.http
      .post(`/v1/authorizations/${authorization.id}/capture`)
      .set(auth(vendor))
      .send({ amount: '0.50', final: false })
      .expect(200);
    expect(partial.body).toMatchObject({ status: 'active', amount_captured: '3.50', amount_remaining: '1.50' });
    const tooMuch = await t.http
      .post(`/v1/authorizations/${authorization.id}/capture`)
      .set(auth(vendor))
      .send({ amount: '1.51' })
      .expect(400);
    expect(tooMuch.body.error.code).toBe('amount_exceeds_authorization');
    const final = await t.http
      .post(`/v1/authorizations/${authorization.id}/capture`)
      .set(auth(vendor))
      .send({ amount: '0.25' })
      .expect(200);
    expect(final.body).toMatchObject({ status: 'captured', amount_captured: '3.75', amount_remaining: '0.00' });
    // The remainder (1.25) went back to the wallet and to the mandate's budget.
    expect(await ledgerBalance(t, payer.id, 'wallet')).toMatchObject({
      posted: 6_250_000_000n,
      pending: 0n,
      available: 6_250_000_000n,
    });
    expect(await spentTotal(payer, mandate.id)).toBe('3.75');

    const closed = await sendUsage(t, vendor, [
      usageEvent(mandate.id, product.id, { authorization: authorization.id, quantities: { calls: 1 } }),
    ]);
    expect(closed[0]).toMatchObject({ status: 'rejected', code: 'authorization_not_active' });
    await t.http.post(`/v1/authorizations/${authorization.id}/void`).set(auth(vendor)).expect(409);
  });

  it('voids: everything still held returns to the wallet and the mandate', async () => {
    const { vendor, product, payer, mandate } = await setup();
    const authorization = await authorize(vendor, mandate.id, '4.00');
    await sendUsage(t, vendor, [
      usageEvent(mandate.id, product.id, { authorization: authorization.id, quantities: { calls: 1 } }),
    ]);
    const voided = await t.http.post(`/v1/authorizations/${authorization.id}/void`).set(auth(vendor)).expect(200);
    expect(voided.body).toMatchObject({ status: 'voided', amount_captured: '1.00', amount_remaining: '0.00' });
    expect(await ledgerBalance(t, payer.id, 'wallet')).toMatchObject({ posted: 9n * USD, available: 9n * USD });
    expect(await spentTotal(payer, mandate.id)).toBe('1.00');
    const again = await t.http.post(`/v1/authorizations/${authorization.id}/void`).set(auth(vendor)).expect(200);
    expect(again.body.status).toBe('voided');
    const types = (await t.http.get('/v1/events?limit=20').set(auth(vendor)).expect(200)).body.data.map(
      (e: { type: string }) => e.type,
    );
    expect(types).toEqual(
      expect.arrayContaining(['authorization.created', 'authorization.captured', 'authorization.voided']),
    );
  });

  it('expires: the scheduled job releases the remainder, and late usage is refused', async () => {
    const { vendor, product, payer, mandate } = await setup();
    const authorization = await authorize(vendor, mandate.id, '3.00', { expires_in: 60 });
    await sendUsage(t, vendor, [
      usageEvent(mandate.id, product.id, { authorization: authorization.id, quantities: { calls: 2 } }),
    ]);
    const expirer = t.app.get(ExpireAuthorizationsService);
    expect(await expirer.expireDue(new Date())).toBe(0);
    expect(await expirer.expireDue(new Date(Date.now() + 61_000))).toBeGreaterThanOrEqual(1);
    const expired = (await t.http.get(`/v1/authorizations/${authorization.id}`).set(auth(vendor)).expect(200)).body;
    expect(expired).toMatchObject({ status: 'expired', amount_captured: '2.00', amount_remaining: '0.00' });
    expect(await ledgerBalance(t, payer.id, 'wallet')).toMatchObject({ posted: 8n * USD, available: 8n * USD });
    expect(await spentTotal(payer, mandate.id)).toBe('2.00');
    const late = await sendUsage(t, vendor, [
      usageEvent(mandate.id, product.id, { authorization: authorization.id, quantities: { calls: 1 } }),
    ]);
    expect(late[0].code).toBe('authorization_not_active');
  });

  it('declines with a code when the mandate or the wallet cannot cover the hold', async () => {
    const { vendor, mandate } = await setup();
    const overBudget = await authorize(vendor, mandate.id, '7.00');
    expect(overBudget).toMatchObject({ status: 'declined', decline_code: 'mandate_budget_exhausted' });
    const poor = await payerFor(t, vendor, '1.00');
    const broke = await authorize(vendor, poor.mandate.id, '2.00');
    expect(broke).toMatchObject({ status: 'declined', decline_code: 'insufficient_funds', amount_remaining: '0.00' });
    const bad = await t.http
      .post('/v1/authorizations')
      .set(auth(vendor))
      .send({ mandate: mandate.id, amount: '-1', currency: 'usd' })
      .expect(400);
    expect(bad.body.error.param).toBe('amount');
    const unknown = await t.http
      .post('/v1/authorizations')
      .set(auth(vendor))
      .send({ mandate: 'mandate_unknown', amount: '1', currency: 'usd' })
      .expect(404);
    expect(unknown.body.error.param).toBe('mandate');
  });

  it('refuses usage naming an authorization placed on another mandate', async () => {
    const { vendor, product, mandate } = await setup();
    const other = await payerFor(t, vendor, '5.00');
    const authorization = await authorize(vendor, mandate.id, '1.00');
    const [result] = await sendUsage(t, vendor, [
      usageEvent(other.mandate.id, product.id, { authorization: authorization.id, quantities: { calls: 1 } }),
    ]);
    expect(result).toMatchObject({ status: 'rejected', code: 'authorization_mismatch' });
  });
});
