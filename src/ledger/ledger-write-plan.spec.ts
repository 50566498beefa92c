import { contentHash, WritePlan } from './ledger-write-plan.js';

const side = (accountId: string, shard = 0) => ({ accountId, shard, currency: 'usd' });

describe('WritePlan', () => {
  it('aggregates many legs into one entry per account shard, direction and effect, balanced per effect', () => {
    const plan = new WritePlan();
    for (let i = 0; i < 500; i++) {
      plan.move('post', side('wallet'), side('receiver'), 10n);
      plan.move('post', side('receiver'), side('fees', i % 4), 1n);
    }
    const params = plan.toParams();
    expect(params.accounts).toEqual(['wallet', 'receiver', 'fees', 'fees', 'fees', 'fees']);
    expect(params.shards).toEqual([0, 0, 0, 1, 2, 3]);
    expect(params.entryAmounts).toEqual(['5000', '5000', '500', '125', '125', '125', '125']);
    expect(params.debitsPosted).toEqual(['5000', '500', '0', '0', '0', '0']);
    expect(params.creditsPosted).toEqual(['0', '5000', '125', '125', '125', '125']);
    const signed = params.entryAmounts.map((a, i) => (params.entryDirections[i] === 'debit' ? BigInt(a) : -BigInt(a)));
    expect(signed.reduce((x, y) => x + y, 0n)).toBe(0n);
  });

  it("gives each entry its row's counter changes up to and including it", () => {
    const plan = new WritePlan();
    plan.move('release', side('wallet'), side('receiver'), 70n);
    plan.move('post', side('wallet'), side('receiver'), 40n);
    const params = plan.toParams();
    expect(params.entryBalances).toEqual([1, 2, 1, 2]);
    expect(params.entryEffects).toEqual(['release', 'release', 'post', 'post']);
    expect(params.debitsPending).toEqual(['-70', '0']);
    expect(params.entryDebitsPendingAfter).toEqual(['-70', '0', '-70', '0']);
    expect(params.entryDebitsPostedAfter).toEqual(['0', '0', '40', '0']);
    expect(params.entryCreditsPostedAfter).toEqual(['0', '0', '0', '40']);
  });

  it('keeps the legs as given, with the parent leg they act on', () => {
    const plan = new WritePlan();
    plan.addLeg(side('a'), side('b', 3), 2n ** 70n, 1);
    expect(plan.legs).toEqual([{ d: 'a', ds: 0, c: 'b', cs: 3, cur: 'usd', a: (2n ** 70n).toString(), o: 1 }]);
  });
});

describe('contentHash', () => {
  it('differs when any part of the content differs and is stable otherwise', () => {
    const base = contentHash(['transfer', 'payment', null, [['a', 'b', '10']]]);
    expect(contentHash(['transfer', 'payment', null, [['a', 'b', '10']]])).toEqual(base);
    expect(contentHash(['transfer', 'payment', null, [['a', 'b', '11']]])).not.toEqual(base);
    expect(contentHash(['hold', 'payment', null, [['a', 'b', '10']]])).not.toEqual(base);
  });
});
