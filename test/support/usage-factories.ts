import { randomUUID } from 'node:crypto';
import { auth, signUpVerifiedReceiver, type TestAccount } from './factories.js';
import { fundedPayer, grantMandate, type MandateTerms } from './payment-factories.js';
import type { TestApp } from './test-app.js';

export interface PriceFields {
  currency?: string;
  per_million_tokens?: Partial<Record<'input' | 'output' | 'cached_input' | 'cache_write' | 'reasoning', string>>;
  per_call?: string;
  minimum_per_event?: string;
  effective_from?: number | string;
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

export async function createProduct(t: TestApp, vendor: TestAccount, name = 'model-x') {
  return (await t.http.post('/v1/products').set(auth(vendor)).send({ name, kind: 'model' }).expect(201)).body as {
    id: string;
  };
}

export async function createPrice(t: TestApp, vendor: TestAccount, product: string, fields: PriceFields) {
  const response = await t.http
    .post('/v1/prices')
    .set(auth(vendor))
    .send({ product, currency: 'usd', effective_from: nowSeconds() - 86_400, ...fields })
    .expect(201);
  return response.body as { id: string };
}

/** A verified vendor with one product priced as given (first version starts a day ago). */
export async function vendorWithPrice(t: TestApp, fields: PriceFields) {
  const vendor = await signUpVerifiedReceiver(t);
  const product = await createProduct(t, vendor);
  const price = await createPrice(t, vendor, product.id, fields);
  return { vendor, product, price };
}

/** A payer with `funds` in its wallet and a mandate naming the vendor. */
export async function payerFor(t: TestApp, vendor: TestAccount, funds = '100.00', terms: MandateTerms = {}) {
  const payer = await fundedPayer(t, funds);
  const mandate = (await grantMandate(t, payer, { payee: vendor.id, ...terms })) as { id: string };
  return { payer, mandate };
}

export interface UsageResult {
  id: string | null;
  status: 'accepted' | 'duplicate' | 'conflict' | 'rejected';
  amount: string | null;
  fee: string | null;
  currency: string | null;
  code?: string;
  message?: string;
  usage_event: string | null;
  ledger_reference: string | null;
}

export async function sendUsage(t: TestApp, vendor: TestAccount, events: unknown[]): Promise<UsageResult[]> {
  const response = await t.http.post('/v1/usage_events').set(auth(vendor)).send({ events }).expect(200);
  return response.body.results as UsageResult[];
}

/** A usage event with a fresh id, timestamped a minute ago, for a product (prod_…) or a price (price_…). */
export function usageEvent(mandate: string, productOrPrice: string, fields: Record<string, unknown> = {}) {
  return {
    id: `evt_${randomUUID()}`,
    timestamp: nowSeconds() - 60,
    mandate,
    [productOrPrice.startsWith('price_') ? 'price' : 'product']: productOrPrice,
    quantities: { input_tokens: 1000 },
    ...fields,
  };
}
