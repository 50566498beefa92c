import { Injectable } from '@nestjs/common';
import { formatAmount } from '../../libs/money/src/index.js';
import { ApiError } from '../common/errors/api-error.js';
import { ListPage, unixSeconds } from '../common/pagination/pagination.js';
import type {
  BalanceTransactionView,
  BalanceView,
  LedgerAccountView,
  LedgerEntryView,
  LedgerTransactionView,
  TrialBalanceCurrencyView,
  TrialBalanceView,
} from './dto/ledger.dto.js';
import { accountPolicy } from './ledger-chart.js';
import { presentBalance, presentEntry, presentLedgerAccount, presentLedgerTransaction } from './ledger.presenter.js';
import {
  LedgerAccountRecord,
  LedgerRepository,
  LedgerTransactionRecord,
  LineCursor,
  PostedLineRecord,
} from './ledger.repository.js';
import { LedgerService } from './ledger.service.js';

const ZERO = { debitsPending: 0n, debitsPosted: 0n, creditsPending: 0n, creditsPosted: 0n };
const LINE_ID = /^btxn_([0-9a-z]{26})_(\d{1,9})$/;

/** What the API shows of the ledger: balances, statements, the trial balance, accounts and transactions. */
@Injectable()
export class LedgerReportsService {
  constructor(
    private readonly repository: LedgerRepository,
    private readonly ledger: LedgerService,
  ) {}

  /** The owner's balances by currency and purpose. */
  async balanceOf(owner: string): Promise<BalanceView> {
    const accounts = await this.repository.accountsOfOwner(owner);
    const counters = await this.repository.balances(
      undefined,
      accounts.map((a) => a.id),
    );
    return {
      object: 'balance',
      balances: accounts.map((account) => {
        const balance = presentBalance(account, counters.get(account.id) ?? ZERO);
        return {
          available: balance.available,
          currency: account.key.currency,
          pending: balance.pending,
          posted: balance.posted,
          purpose: account.key.purpose,
        };
      }),
    };
  }

  /**
   * The owner's statement: one line per ledger transaction and account of the owner that moved its posted
   * balance, newest first, with the part paid to the platform as a fee and the resulting balance.
   */
  async balanceTransactions(
    owner: string,
    options: {
      limit: number;
      startingAfter?: string;
      type?: string;
      createdGte?: number;
      createdLt?: number;
      transactionIds?: string[];
    },
  ): Promise<ListPage<BalanceTransactionView>> {
    const accounts = await this.repository.accountsOfOwner(owner);
    const byId = new Map(accounts.map((a) => [a.id, a]));
    let after: LineCursor | undefined;
    if (options.startingAfter) {
      const match = LINE_ID.exec(options.startingAfter);
      const found = match ? await this.repository.findEntry(`ltx_${match[1]}`, Number(match[2])) : null;
      if (!found || !byId.has(found.entry.accountId)) {
        throw ApiError.notFound('balance_transaction', options.startingAfter, 'starting_after');
      }
      after = {
        createdAt: found.createdAtExact,
        transactionId: found.entry.transactionId,
        accountId: found.entry.accountId,
      };
    }
    const lines = await this.repository.postedLines(
      accounts.map((a) => ({ accountId: a.id, shards: a.shards })),
      {
        limit: options.limit + 1,
        after,
        type: options.type,
        createdGte: options.createdGte === undefined ? undefined : new Date(options.createdGte * 1000),
        createdLt: options.createdLt === undefined ? undefined : new Date(options.createdLt * 1000),
        transactionIds: options.transactionIds,
      },
    );
    const page = lines.slice(0, options.limit);
    const transactions = new Map(
      (await this.repository.findTransactions([...new Set(page.map((l) => l.transactionId))])).map((t) => [t.id, t]),
    );
    const counterparties = new Set<string>();
    for (const line of page) {
      for (const leg of transactions.get(line.transactionId)?.legs ?? []) {
        if (leg.d === line.accountId) counterparties.add(leg.c);
        if (leg.c === line.accountId) counterparties.add(leg.d);
      }
    }
    const feeAccounts = await this.repository.feeAccountIds([...counterparties]);
    return {
      object: 'list',
      data: page.map((line) => this.presentLine(line, byId.get(line.accountId)!, transactions, feeAccounts)),
      has_more: lines.length > options.limit,
    };
  }

  async trialBalance(verifyEntries: boolean): Promise<TrialBalanceView> {
    const rows = await this.repository.trialBalance();
    const currencies = new Map<string, TrialBalanceCurrencyView & { totals: typeof ZERO }>();
    for (const row of rows) {
      let currency = currencies.get(row.currency);
      if (!currency) {
        currency = {
          balanced: true,
          credits_pending: '',
          credits_posted: '',
          currency: row.currency,
          debits_pending: '',
          debits_posted: '',
          purposes: [],
          totals: { ...ZERO },
        };
        currencies.set(row.currency, currency);
      }
      const debitNormal =
        accountPolicy({ owner: 'platform', purpose: row.purpose, currency: row.currency }).normalBalance === 'debit';
      currency.totals.debitsPending += row.debitsPending;
      currency.totals.debitsPosted += row.debitsPosted;
      currency.totals.creditsPending += row.creditsPending;
      currency.totals.creditsPosted += row.creditsPosted;
      currency.purposes.push({
        accounts: row.accounts,
        balance: formatAmount(
          debitNormal ? row.debitsPosted - row.creditsPosted : row.creditsPosted - row.debitsPosted,
          row.currency,
        ),
        credits_pending: formatAmount(row.creditsPending, row.currency),
        credits_posted: formatAmount(row.creditsPosted, row.currency),
        debits_pending: formatAmount(row.debitsPending, row.currency),
        debits_posted: formatAmount(row.debitsPosted, row.currency),
        purpose: row.purpose,
      });
    }
    const views = [...currencies.values()].map(({ totals, ...view }) => ({
      ...view,
      balanced: totals.debitsPosted === totals.creditsPosted && totals.debitsPending === totals.creditsPending,
      credits_pending: formatAmount(totals.creditsPending, view.currency),
      credits_posted: formatAmount(totals.creditsPosted, view.currency),
      debits_pending: formatAmount(totals.debitsPending, view.currency),
      debits_posted: formatAmount(totals.debitsPosted, view.currency),
    }));
    const mismatched = verifyEntries
      ? (await this.repository.balancesNotMatchingEntries()).map((b) => `${b.accountId}:${b.shard}`)
      : null;
    return {
      object: 'trial_balance',
      balanced: views.every((v) => v.balanced) && (mismatched === null || mismatched.length === 0),
      currencies: views,
      created: unixSeconds(new Date()),
      mismatched_balances: mismatched,
    };
  }

  async listAccounts(filter: {
    owner?: string;
    purpose?: string;
    currency?: string;
    limit: number;
    startingAfter?: string;
  }): Promise<ListPage<LedgerAccountView>> {
    const rows = await this.repository.listAccounts(filter);
    const page = rows.slice(0, filter.limit);
    const counters = await this.repository.balances(
      undefined,
      page.map((a) => a.id),
    );
    return {
      object: 'list',
      data: page.map((account) => presentLedgerAccount(account, counters.get(account.id) ?? ZERO)),
      has_more: rows.length > filter.limit,
    };
  }

  async accountEntries(
    accountId: string,
    options: { limit: number; startingAfter?: string },
  ): Promise<ListPage<LedgerEntryView>> {
    const [account] = await this.repository.findAccountsByIds(undefined, [accountId]);
    if (!account) throw ApiError.notFound('ledger_account', accountId);
    const after = options.startingAfter ? await this.ledger.entryCursor(options.startingAfter) : undefined;
    const rows = await this.repository.entries([{ accountId, shards: account.shards }], {
      limit: options.limit + 1,
      after,
    });
    return {
      object: 'list',
      data: rows.slice(0, options.limit).map((row) => presentEntry(row, account)),
      has_more: rows.length > options.limit,
    };
  }

  async transaction(id: string): Promise<LedgerTransactionView> {
    const tx = await this.repository.findTransaction(undefined, id);
    if (!tx) throw ApiError.notFound('ledger_transaction', id);
    const [entries, children] = await Promise.all([
      this.repository.transactionEntries(id),
      this.repository.findChildren(undefined, id),
    ]);
    const accounts = new Map(
      (await this.repository.findAccountsByIds(undefined, [...new Set(entries.map((e) => e.accountId))])).map((a) => [
        a.id,
        a,
      ]),
    );
    return presentLedgerTransaction(
      tx,
      entries.map((entry) => presentEntry(entry, accounts.get(entry.accountId)!)),
      children.map((child) => child.id),
    );
  }

  private presentLine(
    line: PostedLineRecord,
    account: LedgerAccountRecord,
    transactions: Map<string, LedgerTransactionRecord>,
    feeAccounts: Set<string>,
  ): BalanceTransactionView {
    const tx = transactions.get(line.transactionId);
    const credit = account.normalBalance === 'credit';
    const net = credit ? line.credits - line.debits : line.debits - line.credits;
    let paidToFees = 0n;
    for (const leg of tx?.legs ?? []) {
      if (leg.d === account.id && feeAccounts.has(leg.c)) paidToFees += BigInt(leg.a);
      if (leg.c === account.id && feeAccounts.has(leg.d)) paidToFees -= BigInt(leg.a);
    }
    const fee = credit ? paidToFees : -paidToFees;
    const currency = account.key.currency;
    const resulting = credit
      ? line.resultingCreditsPosted - line.resultingDebitsPosted
      : line.resultingDebitsPosted - line.resultingCreditsPosted;
    return {
      id: `btxn_${line.transactionId.slice(4)}_${line.ordinal}`,
      object: 'balance_transaction',
      amount: formatAmount(net + fee, currency),
      created: unixSeconds(line.createdAt),
      currency,
      description: tx?.description ?? null,
      fee: formatAmount(fee, currency),
      ledger_transaction: line.transactionId,
      net: formatAmount(net, currency),
      purpose: account.key.purpose,
      resulting_balance: formatAmount(resulting, currency),
      source: tx?.sourceType && tx.sourceId ? { id: tx.sourceId, object: tx.sourceType } : null,
      type: tx?.type ?? 'unknown',
    };
  }
}
