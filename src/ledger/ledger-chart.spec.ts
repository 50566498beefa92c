import { accountPolicy, PLATFORM_ACCOUNT_SHARDS } from './ledger-chart.js';

describe('chart of accounts', () => {
  it('bounds payer and receiver money at zero and leaves clearing and receiver pending unbounded', () => {
    expect(accountPolicy({ owner: 'acct_1', purpose: 'wallet', currency: 'usd' })).toEqual({
      normalBalance: 'credit',
      floor: 0n,
      shards: 1,
    });
    expect(accountPolicy({ owner: 'acct_1', purpose: 'pending', currency: 'usd' }).floor).toBeNull();
    expect(accountPolicy({ owner: 'platform', purpose: 'bank', currency: 'usd' }).normalBalance).toBe('debit');
  });

  it('shards unbounded platform accounts, never a bounded one', () => {
    expect(accountPolicy({ owner: 'platform', purpose: 'fees', currency: 'usd' }).shards).toBe(PLATFORM_ACCOUNT_SHARDS);
    expect(accountPolicy({ owner: 'platform', purpose: 'fees', currency: 'usd' }, { floor: 0n }).shards).toBe(1);
    expect(accountPolicy({ owner: 'prog_1', purpose: 'budget', currency: 'usd' }, { shards: 8 }).shards).toBe(1);
    expect(accountPolicy({ owner: 'acct_1', purpose: 'pending', currency: 'usd' }, { shards: 8 }).shards).toBe(8);
  });
});
