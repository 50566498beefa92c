import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, EntityManager, LessThan, LessThanOrEqual, In, Repository } from 'typeorm';
import { Agent } from './agent.entity.js';
import { Mandate } from './mandate.entity.js';

export interface MandateCounters {
  spentTotal: bigint;
  spentDay: string;
  spentDayAmount: bigint;
  status: Mandate['status'];
}

@Injectable()
export class MandatesRepository {
  constructor(
    @InjectRepository(Agent) private readonly agents: Repository<Agent>,
    @InjectRepository(Mandate) private readonly mandates: Repository<Mandate>,
  ) {}

  async insertAgent(agent: Agent): Promise<void> {
    await this.agents.insert(agent);
  }

  /** Tenant-scoped: another account's agent is not found. */
  findAgent(accountId: string, id: string): Promise<Agent | null> {
    return this.agents.findOneBy({ accountId, id });
  }

  listAgents(accountId: string, limit: number, startingAfter?: string): Promise<Agent[]> {
    return this.agents.find({
      where: startingAfter ? { accountId, id: LessThan(startingAfter) } : { accountId },
      order: { id: 'DESC' },
      take: limit + 1,
    });
  }

  async insertMandate(manager: EntityManager, mandate: Mandate): Promise<void> {
    await manager.insert(Mandate, mandate);
  }

  /** A mandate the account granted or was granted (as a payee); anyone else gets null. */
  async findVisibleMandate(accountId: string, id: string): Promise<Mandate | null> {
    const mandate = await this.mandates.findOneBy({ id });
    if (!mandate) return null;
    return mandate.payerAccountId === accountId || mandate.payeeAccountIds.includes(accountId) ? mandate : null;
  }

  listVisibleMandates(
    accountId: string,
    role: 'payer' | 'payee' | undefined,
    limit: number,
    startingAfter?: string,
  ): Promise<Mandate[]> {
    const query = this.mandates.createQueryBuilder('m');
    query.where(
      new Brackets((visible) => {
        if (role !== 'payee') visible.orWhere('m.payer_account_id = :accountId', { accountId });
        if (role !== 'payer') visible.orWhere(':accountId = ANY(m.payee_account_ids)', { accountId });
      }),
    );
    if (startingAfter) query.andWhere('m.id < :startingAfter', { startingAfter });
    return query
      .orderBy('m.id', 'DESC')
      .take(limit + 1)
      .getMany();
  }

  /** Locks the mandate row for the rest of `manager`'s transaction: every spend on one mandate is serialised. */
  lockMandate(manager: EntityManager, id: string): Promise<Mandate | null> {
    return manager.findOne(Mandate, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async saveCounters(manager: EntityManager, id: string, counters: MandateCounters, at: Date): Promise<void> {
    await manager.query(
      `UPDATE mandates SET spent_total = $2, spent_day = $3, spent_day_amount = $4, status = $5, updated_at = $6
        WHERE id = $1`,
      [id, counters.spentTotal.toString(), counters.spentDay, counters.spentDayAmount.toString(), counters.status, at],
    );
  }

  async markRevoked(manager: EntityManager, mandate: Mandate, at: Date): Promise<void> {
    mandate.status = 'revoked';
    mandate.revokedAt = at;
    mandate.updatedAt = at;
    await manager.update(Mandate, { id: mandate.id }, { status: 'revoked', revokedAt: at, updatedAt: at });
  }

  async markExpired(manager: EntityManager, mandate: Mandate, at: Date): Promise<void> {
    mandate.status = 'expired';
    mandate.updatedAt = at;
    await manager.update(Mandate, { id: mandate.id }, { status: 'expired', updatedAt: at });
  }

  /** Active or exhausted mandates past their expiry, locked and skipped when another sweeper holds them. */
  lockExpired(manager: EntityManager, now: Date, limit: number): Promise<Mandate[]> {
    return manager.find(Mandate, {
      where: { status: In(['active', 'exhausted']), expiresAt: LessThanOrEqual(now) },
      order: { expiresAt: 'ASC' },
      take: limit,
      lock: { mode: 'pessimistic_write', onLocked: 'skip_locked' },
    });
  }

  /**
   * Everything a spend locks, in one round trip and in the order every spend takes them: the mandate row
   * (FOR UPDATE), the payer's wallet row for the mandate's currency (FOR UPDATE: every debit of a wallet
   * goes through a spend, so holding it makes the wallet's balance stable until commit), and the receiver's
   * account (FOR SHARE, so charges_enabled cannot change underneath). Null when the mandate does not exist.
   */
  async lockForSpend(
    manager: EntityManager,
    mandateId: string,
    receiverAccountId: string,
  ): Promise<{ mandate: Mandate; receiver: LockedReceiver | null } | null> {
    const select = (wallet: boolean, receiver: boolean) =>
      `SELECT ${MANDATE_COLUMNS},
              ${receiver ? "r.charges_enabled AND r.status = 'active'" : 'false'} AS receiver_enabled,
              ${receiver ? 'r.fee_bps, r.fee_fixed' : 'NULL::int AS fee_bps, NULL::numeric AS fee_fixed'},
              ${receiver ? 'true' : 'false'} AS receiver_found
         FROM mandates m
         ${wallet ? 'JOIN wallets w ON w.account_id = m.payer_account_id AND w.currency = m.currency' : ''}
         ${receiver ? 'JOIN accounts r ON r.id = $2' : ''}
        WHERE m.id = $1 ${receiver ? '' : 'AND $2::text IS NOT NULL'}
        FOR UPDATE OF m${wallet ? ', w' : ''}${receiver ? ' FOR SHARE OF r' : ''}`;
    // Usually the first form matches; the others cover a payer that never topped up in this currency (no
    // wallet row, nothing to spend) and an unknown receiver.
    let rows: Array<MandateRow & ReceiverRow> = [];
    for (const [wallet, receiver] of [
      [true, true],
      [false, true],
      [false, false],
    ]) {
      rows = await manager.query(select(wallet, receiver), [mandateId, receiverAccountId]);
      if (rows.length > 0) break;
    }
    if (rows.length === 0) return null;
    const row = rows[0];
    return {
      mandate: toMandate(row),
      receiver: row.receiver_found
        ? {
            id: receiverAccountId,
            enabled: row.receiver_enabled,
            feeBps: row.fee_bps === null ? null : Number(row.fee_bps),
            feeFixed: optionalBigint(row.fee_fixed),
          }
        : null,
    };
  }

  /**
   * lockForSpend for a batch of spends of any mandates and receivers (a batch of payments), in the order every
   * spend takes them: the mandate rows in id order, then the payers' wallet rows in each mandate's currency in
   * (account, currency) order, then the receivers' accounts FOR SHARE in id order. One round trip: the wallets'
   * CTE reads the locked mandates, and the receivers' CTE waits for the wallets' (its count), so the locks are
   * taken in that order. Missing mandates are left out; receivers are only read when a mandate was found (a
   * batch whose mandates are all missing spends nothing).
   *
   * With `later: true` only the mandates are locked: the receivers are read without a lock, and the wallets and
   * the receiver are left for lockWalletsAndReceiver, which the caller issues right before its ledger posting, so
   * that the contended wallet locks are held from the posting to commit instead of for the whole batch, in the
   * same order as here.
   */
  async lockForSpends(
    manager: EntityManager,
    mandateIds: string[],
    receiverAccountIds: string[],
    options: { later: boolean } = { later: false },
  ): Promise<{ mandates: Map<string, Mandate>; receivers: Map<string, LockedReceiver> }> {
    const rows: Array<
      MandateRow & {
        receivers: Array<{ id: string; enabled: boolean; fee_bps: number | null; fee_fixed: string | null }> | null;
      }
    > = await manager.query(
      `WITH m AS (
         SELECT ${MANDATE_COLUMNS} FROM mandates m WHERE m.id = ANY($1::text[]) ORDER BY m.id FOR UPDATE OF m
       ), w AS (
         ${options.later ? 'SELECT 1 FROM m' : LOCK_MANDATE_WALLETS}
       ), r AS (
         SELECT a.id, a.charges_enabled AND a.status = 'active' AS enabled, a.fee_bps, a.fee_fixed::text AS fee_fixed
           FROM accounts a
          WHERE a.id = ANY($2::text[]) AND (SELECT count(*) FROM w) >= 0
          ORDER BY a.id ${options.later ? '' : 'FOR SHARE OF a'}
       )
       SELECT m.*, (SELECT json_agg(r) FROM r) AS receivers FROM m`,
      [[...new Set(mandateIds)], [...new Set(receiverAccountIds)]],
    );
    const mandates = new Map(rows.map((row) => [row.id, toMandate(row)]));
    const receivers = new Map(
      (rows[0]?.receivers ?? []).map((row) => [
        row.id,
        {
          id: row.id,
          enabled: row.enabled,
          feeBps: row.fee_bps === null ? null : Number(row.fee_bps),
          feeFixed: optionalBigint(row.fee_fixed),
        },
      ]),
    );
    return { mandates, receivers };
  }

  /**
   * The rest of lockForSpends({ later: true }), in its order: the wallet rows of these payers in one currency
   * (FOR UPDATE, account order), then the receiver's account (FOR SHARE). Returns whether the receiver may take
   * charges now, for the caller to compare with what it decided on.
   */
  async lockWalletsAndReceiver(
    manager: EntityManager,
    payerAccountIds: string[],
    currency: string,
    receiverAccountId: string,
  ): Promise<boolean> {
    const rows: Array<{ enabled: boolean }> = await manager.query(
      `WITH w AS (
         SELECT 1 FROM wallets w WHERE w.account_id = ANY($1::text[]) AND w.currency = $2
          ORDER BY w.account_id FOR UPDATE OF w
       )
       SELECT a.charges_enabled AND a.status = 'active' AS enabled
         FROM accounts a WHERE a.id = $3 AND (SELECT count(*) FROM w) >= 0
          FOR SHARE OF a`,
      [payerAccountIds, currency, receiverAccountId],
    );
    return rows[0]?.enabled === true;
  }

  /** saveCounters for many mandates in one statement. */
  async saveManyCounters(
    manager: EntityManager,
    counters: Array<MandateCounters & { id: string }>,
    at: Date,
  ): Promise<void> {
    if (counters.length === 0) return;
    await manager.query(
      `UPDATE mandates m
          SET spent_total = c.spent_total, spent_day = c.spent_day, spent_day_amount = c.spent_day_amount,
              status = c.status, updated_at = $6
         FROM unnest($1::text[], $2::numeric[], $3::date[], $4::numeric[], $5::text[])
           AS c(id, spent_total, spent_day, spent_day_amount, status)
        WHERE m.id = c.id`,
      [
        counters.map((c) => c.id),
        counters.map((c) => c.spentTotal.toString()),
        counters.map((c) => c.spentDay),
        counters.map((c) => c.spentDayAmount.toString()),
        counters.map((c) => c.status),
        at,
      ],
    );
  }
}

/** The wallets of the mandates locked in CTE `m`, FOR UPDATE in (account, currency) order. */
const LOCK_MANDATE_WALLETS = `SELECT w.account_id FROM wallets w
           JOIN (SELECT DISTINCT payer_account_id, currency FROM m) k
             ON w.account_id = k.payer_account_id AND w.currency = k.currency
          ORDER BY w.account_id, w.currency FOR UPDATE OF w`;

export interface LockedReceiver {
  id: string;
  /** charges_enabled and not suspended. */
  enabled: boolean;
  feeBps: number | null;
  feeFixed: bigint | null;
}

interface ReceiverRow {
  receiver_enabled: boolean;
  receiver_found: boolean;
  fee_bps: number | null;
  fee_fixed: string | null;
}

const MANDATE_COLUMNS = `m.id, m.payer_account_id, m.agent_id, m.payee_account_ids, m.currency, m.max_amount_per_payment,
  m.max_amount_per_day, m.total_budget, m.confirmation_threshold, m.expires_at, m.description, m.metadata, m.status,
  m.spent_total, m.spent_day::text AS spent_day, m.spent_day_amount, m.revoked_at, m.created_at, m.updated_at`;

interface MandateRow {
  id: string;
  payer_account_id: string;
  agent_id: string | null;
  payee_account_ids: string[];
  currency: string;
  max_amount_per_payment: string | null;
  max_amount_per_day: string | null;
  total_budget: string | null;
  confirmation_threshold: string | null;
  expires_at: Date | null;
  description: string;
  metadata: Record<string, string>;
  status: Mandate['status'];
  spent_total: string;
  spent_day: string;
  spent_day_amount: string;
  revoked_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const optionalBigint = (value: string | null) => (value === null ? null : BigInt(value));

function toMandate(row: MandateRow): Mandate {
  return Object.assign(new Mandate(), {
    id: row.id,
    payerAccountId: row.payer_account_id,
    agentId: row.agent_id,
    payeeAccountIds: row.payee_account_ids,
    currency: row.currency,
    maxAmountPerPayment: optionalBigint(row.max_amount_per_payment),
    maxAmountPerDay: optionalBigint(row.max_amount_per_day),
    totalBudget: optionalBigint(row.total_budget),
    confirmationThreshold: optionalBigint(row.confirmation_threshold),
    expiresAt: row.expires_at,
    description: row.description,
    metadata: row.metadata,
    status: row.status,
    spentTotal: BigInt(row.spent_total),
    spentDay: row.spent_day,
    spentDayAmount: BigInt(row.spent_day_amount),
    revokedAt: row.revoked_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  } satisfies Mandate);
}
