import { AiReceiveError, type AiReceiveApi, type TopUpView } from '../libs/sdk/src/index.js';
import { auth, signUp } from './support/factories.js';
import { ledgerBalance, ledgerEntriesOf } from './support/payment-factories.js';
import { sdkFor } from './support/sdk.js';
import { startTestApp, TestApp } from './support/test-app.js';

/** What a rejected SDK call threw, for asserting its status and code. */
async function failureOf(call: Promise<unknown>): Promise<AiReceiveError> {
  const error = await call.then(
    () => new Error('The call succeeded.'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AiReceiveError);
  return error as AiReceiveError;
}

describe('local top-up test outcomes and test helpers, through the SDK', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  async function payer(): Promise<{ id: string; sdk: AiReceiveApi }> {
    const account = await signUp(t, { capabilities: ['pay'] });
    return { id: account.id, sdk: sdkFor(t, account.secret) };
  }

  async function available(sdk: AiReceiveApi, currency = 'usd'): Promise<string | undefined> {
    return (await sdk.walletsGet()).balances.find((b) => b.currency === currency)?.available;
  }

  /** The wallet.top_up.* events recorded for one top-up, oldest first, with the status each one carried. */
  async function topUpEvents(sdk: AiReceiveApi, topUpId: string) {
    const events = await sdk.eventsList({ type: 'wallet.top_up.*', limit: 100 });
    return events.data
      .filter((event) => (event.data.object as { id?: string }).id === topUpId)
      .reverse()
      .map((event) => ({ type: event.type, status: (event.data.object as { status?: string }).status }));
  }

  it('leaves a top-up with test_outcome pending pending, crediting nothing', async () => {
    const { id, sdk } = await payer();
    const created = await sdk.walletsCreate({ amount: '30.00', currency: 'usd', test_outcome: 'pending' });
    expect(created).toMatchObject({
      object: 'top_up',
      amount: '30.00',
      status: 'pending',
      provider: 'local',
      provider_payment_id: `local_${created.id}`,
      client_secret: null,
      failure_code: null,
    });
    expect(await sdk.walletsGetTopUp(created.id)).toMatchObject({ status: 'pending' });
    expect(await available(sdk)).toBe('0.00');
    expect((await ledgerBalance(t, id, 'wallet')).posted).toBe(0n);
    expect(await ledgerEntriesOf(t, 'top_ups', created.id)).toEqual([]);
    expect(await topUpEvents(sdk, created.id)).toEqual([]);
  });

  it('credits a pending top-up exactly once when the succeed helper is called concurrently and again', async () => {
    const { id, sdk } = await payer();
    const created = await sdk.walletsCreate({ amount: '30.00', currency: 'usd', test_outcome: 'pending' });

    const outcomes = await Promise.allSettled(Array.from({ length: 6 }, () => sdk.topUpTestHelpersSucceed(created.id)));
    const succeeded = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as AiReceiveError] : []));
    expect(succeeded).toHaveLength(1);
    expect(succeeded[0]).toMatchObject({ id: created.id, status: 'succeeded', failure_code: null });
    expect(refused.map((e) => [e.status, e.code])).toEqual(Array(5).fill([409, 'top_up_not_pending']));
    expect(await failureOf(sdk.topUpTestHelpersSucceed(created.id))).toMatchObject({
      status: 409,
      code: 'top_up_not_pending',
    });

    expect(await sdk.walletsGetTopUp(created.id)).toMatchObject({ status: 'succeeded' });
    expect(await available(sdk)).toBe('30.00');
    expect((await ledgerBalance(t, id, 'wallet')).posted).toBe(30_000_000_000n);
    expect(await ledgerEntriesOf(t, 'top_ups', created.id)).toEqual([
      { direction: 'debit', owner: 'platform', purpose: 'provider_clearing', amount: 30_000_000_000n },
      { direction: 'credit', owner: id, purpose: 'wallet', amount: 30_000_000_000n },
    ]);
    expect(await topUpEvents(sdk, created.id)).toEqual([{ type: 'wallet.top_up.succeeded', status: 'succeeded' }]);
  });

  it('fails a pending top-up with the given failure, credits nothing, and keeps it failed', async () => {
    const { id, sdk } = await payer();
    const created = await sdk.walletsCreate({ amount: '12.00', currency: 'usd', test_outcome: 'pending' });
    const failed = await sdk.topUpTestHelpersFail(created.id, {
      failure_code: 'insufficient_funds',
      failure_message: 'The card has insufficient funds to complete the purchase.',
    });
    expect(failed).toMatchObject({
      status: 'failed',
      failure_code: 'insufficient_funds',
      failure_message: 'The card has insufficient funds to complete the purchase.',
    });
    expect(await sdk.walletsGetTopUp(created.id)).toMatchObject({
      status: 'failed',
      failure_code: 'insufficient_funds',
    });

    // A settled top-up keeps its outcome: neither helper moves it again.
    for (const again of [sdk.topUpTestHelpersSucceed(created.id), sdk.topUpTestHelpersFail(created.id, {})]) {
      expect(await failureOf(again)).toMatchObject({ status: 409, code: 'top_up_not_pending' });
    }
    expect(await sdk.walletsGetTopUp(created.id)).toMatchObject({ status: 'failed' });
    expect(await available(sdk)).toBe('0.00');
    expect((await ledgerBalance(t, id, 'wallet')).posted).toBe(0n);
    expect(await ledgerEntriesOf(t, 'top_ups', created.id)).toEqual([]);
    expect(await topUpEvents(sdk, created.id)).toEqual([{ type: 'wallet.top_up.failed', status: 'failed' }]);
  });

  it('fails with card_declined when the fail helper is called without a body', async () => {
    const account = await signUp(t, { capabilities: ['pay'] });
    const sdk = sdkFor(t, account.secret);
    const created = await sdk.walletsCreate({ amount: '5.00', currency: 'usd', test_outcome: 'pending' });
    const response = await t.http.post(`/v1/test_helpers/top_ups/${created.id}/fail`).set(auth(account)).expect(200);
    expect(response.body).toMatchObject({
      status: 'failed',
      failure_code: 'card_declined',
      failure_message: 'The card was declined.',
    });
    expect(await available(sdk)).toBe('0.00');
  });

  it('declines at once with test_outcome fail, and credits at once with test_outcome succeed', async () => {
    const { id, sdk } = await payer();
    const declined = await sdk.walletsCreate({ amount: '8.00', currency: 'usd', test_outcome: 'fail' });
    expect(declined).toMatchObject({
      status: 'failed',
      provider_payment_id: `local_${declined.id}`,
      failure_code: 'card_declined',
      failure_message: 'The card was declined.',
    });
    expect(await topUpEvents(sdk, declined.id)).toEqual([{ type: 'wallet.top_up.failed', status: 'failed' }]);
    expect(await available(sdk)).toBe('0.00');

    const collected = await sdk.walletsCreate({ amount: '8.00', currency: 'usd', test_outcome: 'succeed' });
    expect(collected).toMatchObject({ status: 'succeeded', failure_code: null });
    expect(await topUpEvents(sdk, collected.id)).toEqual([{ type: 'wallet.top_up.succeeded', status: 'succeeded' }]);
    expect(await available(sdk)).toBe('8.00');
    expect((await ledgerBalance(t, id, 'wallet')).posted).toBe(8_000_000_000n);
  });

  it("answers 404 for another account's top-up and for an unknown one, and leaves the top-up pending", async () => {
    const owner = await payer();
    const stranger = await payer();
    const created: TopUpView = await owner.sdk.walletsCreate({
      amount: '20.00',
      currency: 'usd',
      test_outcome: 'pending',
    });
    for (const call of [
      stranger.sdk.topUpTestHelpersSucceed(created.id),
      stranger.sdk.topUpTestHelpersFail(created.id, {}),
      owner.sdk.topUpTestHelpersSucceed('tu_does_not_exist'),
    ]) {
      expect(await failureOf(call)).toMatchObject({ status: 404, code: 'resource_missing' });
    }
    expect(await owner.sdk.walletsGetTopUp(created.id)).toMatchObject({ status: 'pending' });
    expect(await available(owner.sdk)).toBe('0.00');
    expect((await ledgerBalance(t, stranger.id, 'wallet')).posted).toBe(0n);
    expect(await topUpEvents(owner.sdk, created.id)).toEqual([]);
  });

  it('refuses an unknown test_outcome and a malformed failure code', async () => {
    const { sdk } = await payer();
    const badOutcome = sdk.walletsCreate({
      amount: '1.00',
      currency: 'usd',
      test_outcome: 'maybe' as unknown as 'pending',
    });
    expect(await failureOf(badOutcome)).toMatchObject({
      status: 400,
      code: 'parameter_invalid',
      param: 'test_outcome',
    });
    expect((await sdk.walletsList()).data).toEqual([]);

    const created = await sdk.walletsCreate({ amount: '1.00', currency: 'usd', test_outcome: 'pending' });
    expect(await failureOf(sdk.topUpTestHelpersFail(created.id, { failure_code: 'Card Declined' }))).toMatchObject({
      status: 400,
      code: 'parameter_invalid',
      param: 'failure_code',
    });
    expect(await sdk.walletsGetTopUp(created.id)).toMatchObject({ status: 'pending' });
  });
});
