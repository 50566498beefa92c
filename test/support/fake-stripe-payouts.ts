import { FakeStripe, notFound, StripeRequest, stripeError, stripeId } from './fake-stripe.js';

const now = () => Math.floor(Date.now() / 1000);

function list(data: Array<Record<string, unknown>>, limit: string | null) {
  const size = Number(limit ?? 10);
  return { body: { object: 'list', data: data.slice(0, size), has_more: data.length > size, url: '/v1/list' } };
}

function connectedAccount(request: StripeRequest): string | null {
  return (request.headers['stripe-account'] as string | undefined) ?? null;
}

/**
 * The Connect payout endpoints of the fake Stripe: transfers to connected accounts (listed by transfer_group,
 * reversed), and payouts made on a connected account (the `Stripe-Account` header) to its default external
 * account or to a `destination` stored on it (`object: 'bank_account'`, `account`). New objects are newest first
 * in lists, as on Stripe.
 */
export function installPayoutRoutes(fake: FakeStripe): FakeStripe {
  const objects = (type: string) =>
    [...fake.objects.values()].filter((object) => object.object === type).reverse() as Array<Record<string, unknown>>;
  fake.route('POST', '/v1/transfers', (request) => ({
    body: fake.store({
      id: stripeId('tr'),
      object: 'transfer',
      amount: Number(request.body.amount),
      amount_reversed: 0,
      reversed: false,
      currency: request.body.currency,
      destination: request.body.destination,
      transfer_group: request.body.transfer_group ?? null,
      metadata: request.body.metadata ?? {},
      created: now(),
    }),
  }));
  fake.route('GET', '/v1/transfers', (request) => {
    const group = request.query.get('transfer_group');
    return list(
      objects('transfer').filter((transfer) => group === null || transfer.transfer_group === group),
      request.query.get('limit'),
    );
  });
  fake.route('GET', '/v1/transfers/:id', (_request, { id }) => {
    const transfer = fake.get(id);
    return transfer?.object === 'transfer' ? { body: transfer } : notFound('transfer', id);
  });
  fake.route('POST', '/v1/transfers/:id/reversals', (request, { id }) => {
    const transfer = fake.get(id);
    if (transfer?.object !== 'transfer') return notFound('transfer', id);
    const amount = Number(request.body.amount ?? Number(transfer.amount) - Number(transfer.amount_reversed));
    const reversed = Number(transfer.amount_reversed) + amount;
    fake.update(id, { amount_reversed: reversed, reversed: reversed >= Number(transfer.amount) });
    return {
      body: fake.store({ id: stripeId('trr'), object: 'transfer_reversal', amount, transfer: id, created: now() }),
    };
  });
  fake.route('POST', '/v1/payouts', (request) => {
    const destination = request.body.destination as string | undefined;
    const external = destination === undefined ? null : fake.get(destination);
    if (
      destination !== undefined &&
      (external?.object !== 'bank_account' || external.account !== connectedAccount(request))
    ) {
      return stripeError(400, 'invalid_request_error', `No such external account: '${destination}'`, {
        code: 'resource_missing',
        param: 'destination',
      });
    }
    return {
      body: fake.store({
        id: stripeId('po'),
        object: 'payout',
        account: connectedAccount(request),
        amount: Number(request.body.amount),
        currency: request.body.currency,
        destination: destination ?? 'ba_default',
        status: 'pending',
        arrival_date: now() + 2 * 86_400,
        failure_code: null,
        failure_message: null,
        metadata: request.body.metadata ?? {},
        created: now(),
      }),
    };
  });
  fake.route('GET', '/v1/payouts', (request) =>
    list(
      objects('payout').filter((payout) => payout.account === connectedAccount(request)),
      request.query.get('limit'),
    ),
  );
  fake.route('GET', '/v1/payouts/:id', (request, { id }) => {
    const payout = fake.get(id);
    return payout?.object === 'payout' && payout.account === connectedAccount(request)
      ? { body: payout }
      : notFound('payout', id);
  });
  return fake;
}

/** The transfers the fake made, per payout id (from their metadata). */
export function transfersByPayout(fake: FakeStripe): Map<string, number> {
  const counts = new Map<string, number>();
  for (const object of fake.objects.values()) {
    if (object.object !== 'transfer') continue;
    const payoutId = (object.metadata as Record<string, string>).payout_id;
    counts.set(payoutId, (counts.get(payoutId) ?? 0) + 1);
  }
  return counts;
}
