import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The double-entry ledger (ARCHITECTURE.md §5). The guarantees live in the database so that no code path,
 * including a hand-written SQL statement, can lose or invent money:
 * - a deferred constraint trigger rejects a transaction whose debits and credits differ per currency and effect,
 *   and a transaction can never gain entries after it was written;
 * - entries are append-only, transactions are append-only once they leave `pending`;
 * - a CHECK on every balance row rejects a bounded account going below its floor;
 * - a unique index on (reference_owner, reference) backs idempotency, another allows one resolution per hold.
 * `ledger_apply` is the one statement LedgerService runs per money movement: it locks, checks, claims the
 * reference and writes in a single round trip, and returns an outcome instead of raising for expected refusals.
 */
export class CreateLedger1764800100000 implements MigrationInterface {
  name = 'CreateLedger1764800100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Enums and domains rather than table CHECKs for single-column rules: PostgreSQL re-reads a table CHECK's
    // expression on every INSERT or UPDATE statement, while enum input and cached domain constraints cost
    // next to nothing, and these tables are written on every money movement. Ids compare byte-wise (COLLATE "C").
    await queryRunner.query(`CREATE TYPE ledger_normal_balance AS ENUM ('debit', 'credit')`);
    await queryRunner.query(`CREATE TYPE ledger_transaction_kind AS ENUM
      ('transfer', 'hold', 'post_pending', 'void_pending', 'expire_pending', 'reversal')`);
    await queryRunner.query(`CREATE TYPE ledger_transaction_status AS ENUM ('pending', 'posted', 'voided', 'expired')`);
    await queryRunner.query(`CREATE TYPE ledger_entry_direction AS ENUM ('debit', 'credit')`);
    await queryRunner.query(`CREATE TYPE ledger_entry_effect AS ENUM ('hold', 'release', 'post')`);
    await queryRunner.query(`CREATE DOMAIN ledger_nanos AS numeric(38, 0) CHECK (VALUE >= 0)`);
    await queryRunner.query(`CREATE DOMAIN ledger_positive_nanos AS numeric(38, 0) CHECK (VALUE > 0)`);
    await queryRunner.query(`CREATE TYPE ledger_counters AS
      (debits_pending numeric, debits_posted numeric, credits_pending numeric, credits_posted numeric)`);

    await queryRunner.query(`
      CREATE TABLE ledger_accounts (
        id text COLLATE "C" PRIMARY KEY,
        owner text NOT NULL,
        purpose text NOT NULL,
        currency text NOT NULL,
        normal_balance ledger_normal_balance NOT NULL,
        min_balance numeric(38, 0),
        shards smallint NOT NULL DEFAULT 1 CHECK (shards BETWEEN 1 AND 256),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ledger_accounts_key UNIQUE (owner, purpose, currency),
        CONSTRAINT ledger_accounts_bounded_unsharded CHECK (min_balance IS NULL OR shards = 1)
      )`);

    // One row per account and shard. Only unbounded accounts have more than one shard; the floor and the normal
    // balance are copied from the account (both immutable) so that a plain CHECK can hold the floor.
    await queryRunner.query(`
      CREATE TABLE ledger_balances (
        account_id text COLLATE "C" NOT NULL REFERENCES ledger_accounts (id),
        shard smallint NOT NULL,
        normal_balance ledger_normal_balance NOT NULL,
        min_balance numeric(38, 0),
        debits_pending ledger_nanos NOT NULL DEFAULT 0,
        debits_posted ledger_nanos NOT NULL DEFAULT 0,
        credits_pending ledger_nanos NOT NULL DEFAULT 0,
        credits_posted ledger_nanos NOT NULL DEFAULT 0,
        version bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (account_id, shard),
        CONSTRAINT ledger_balances_floor CHECK (
          min_balance IS NULL OR
          CASE normal_balance
            WHEN 'credit' THEN credits_posted - debits_posted - debits_pending
            ELSE debits_posted - credits_posted - credits_pending
          END >= min_balance)
      ) WITH (fillfactor = 50)`);

    await queryRunner.query(`
      CREATE TABLE ledger_transactions (
        id text COLLATE "C" PRIMARY KEY,
        reference_owner text COLLATE "C" NOT NULL,
        reference text COLLATE "C" NOT NULL,
        content_hash bytea NOT NULL,
        kind ledger_transaction_kind NOT NULL,
        type text NOT NULL,
        status ledger_transaction_status NOT NULL,
        parent_id text COLLATE "C" REFERENCES ledger_transactions (id),
        source_type text,
        source_id text,
        description text,
        metadata jsonb,
        request_id text,
        legs jsonb NOT NULL,
        entry_count integer NOT NULL,
        expires_at timestamptz,
        created_at timestamptz NOT NULL,
        resolved_at timestamptz,
        CONSTRAINT ledger_transactions_reference UNIQUE (reference_owner, reference),
        -- Transfers and holds (the enum's first two kinds) stand alone; postings, voids, expiries and reversals
        -- point at their parent. A hold moves through the statuses; every other kind is born in its final status.
        CONSTRAINT ledger_transactions_shape CHECK (
          (parent_id IS NULL) = (kind <= 'hold') AND
          (kind = 'hold' OR status = CASE kind WHEN 'void_pending' THEN 'voided'::ledger_transaction_status
            WHEN 'expire_pending' THEN 'expired'::ledger_transaction_status ELSE 'posted' END))
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX ledger_transactions_one_resolution ON ledger_transactions (parent_id)
      WHERE kind IN ('post_pending', 'void_pending', 'expire_pending')`);
    await queryRunner.query(`CREATE INDEX ledger_transactions_reversals ON ledger_transactions (parent_id)
      WHERE kind = 'reversal'`);
    await queryRunner.query(`CREATE INDEX ledger_transactions_expiring ON ledger_transactions (expires_at)
      WHERE status = 'pending' AND expires_at IS NOT NULL`);

    // Entries are aggregated per transaction, account shard, direction and effect: a batch of 500 usage charges
    // from one wallet to one receiver is a handful of entries, while the legs stay on the transaction.
    // `resulting_*` are the shard's counters right after the entry; entries of one shard are ordered by
    // (created_at, ordinal) because created_at is taken after the shard's row lock is held.
    await queryRunner.query(`
      CREATE TABLE ledger_entries (
        transaction_id text COLLATE "C" NOT NULL,
        ordinal integer NOT NULL,
        account_id text COLLATE "C" NOT NULL,
        shard smallint NOT NULL,
        currency text NOT NULL,
        direction ledger_entry_direction NOT NULL,
        effect ledger_entry_effect NOT NULL,
        amount ledger_positive_nanos NOT NULL,
        created_at timestamptz NOT NULL,
        resulting_debits_pending numeric(38, 0) NOT NULL,
        resulting_debits_posted numeric(38, 0) NOT NULL,
        resulting_credits_pending numeric(38, 0) NOT NULL,
        resulting_credits_posted numeric(38, 0) NOT NULL,
        PRIMARY KEY (transaction_id, ordinal)
      )`);
    await queryRunner.query(`CREATE INDEX ledger_entries_account ON ledger_entries (account_id, shard, created_at)`);

    await queryRunner.query(`
      CREATE FUNCTION ledger_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'ledger: % of % is not allowed: the ledger is append-only; post a correcting transaction',
          TG_OP, TG_TABLE_NAME USING ERRCODE = 'LDG01';
      END $$`);

    await queryRunner.query(`
      CREATE FUNCTION ledger_guard_transaction_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.status <> 'pending' THEN
          RAISE EXCEPTION 'ledger: transaction % is % and can no longer change', OLD.id, OLD.status
            USING ERRCODE = 'LDG01';
        END IF;
        IF NEW.status NOT IN ('posted', 'voided', 'expired')
           OR (to_jsonb(NEW) - 'status' - 'resolved_at') <> (to_jsonb(OLD) - 'status' - 'resolved_at') THEN
          RAISE EXCEPTION 'ledger: a pending transaction may only move to posted, voided or expired'
            USING ERRCODE = 'LDG01';
        END IF;
        RETURN NEW;
      END $$`);

    // The balance check runs once per ledger transaction, at commit, over all its entries: linear in the entries
    // even for a batch of thousands. Two pieces make that sound against hand-written SQL:
    // - every transaction declares its entry_count, and a statement-level trigger rejects an entry whose ordinal is
    //   not below it (or whose transaction does not exist), so a committed transaction, whose ordinals are all
    //   taken (checked below), can never gain an entry: a new one would either repeat an ordinal or exceed the count;
    // - a deferred constraint trigger on each new transaction checks, at commit, that it has exactly entry_count
    //   entries and that its debits equal its credits per currency and effect. Like ledger_apply below, it keeps
    //   one generic plan, an index lookup whatever the statistics say.
    await queryRunner.query(`
      CREATE FUNCTION ledger_check_entry_slots() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        v_bad record;
      BEGIN
        -- A correlated lookup per new entry (primary key), never a join that could scan every transaction.
        SELECT i.transaction_id, i.ordinal INTO v_bad
        FROM inserted_entries i
        WHERE i.ordinal >= coalesce((SELECT t.entry_count FROM ledger_transactions t WHERE t.id = i.transaction_id), -1)
        LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'ledger: entry % of transaction % has no place in it (unknown transaction or beyond its entries)',
            v_bad.ordinal, v_bad.transaction_id USING ERRCODE = 'LDG02';
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION ledger_check_balanced() RETURNS trigger LANGUAGE plpgsql
      SET plan_cache_mode = force_generic_plan SET enable_seqscan = off AS $$
      DECLARE
        v_entries integer;
        v_unbalanced text;
      BEGIN
        SELECT coalesce(sum(g.entries), 0), min(g.label) FILTER (WHERE g.net <> 0)
          INTO v_entries, v_unbalanced
        FROM (
          SELECT count(*) AS entries, e.currency || ' (' || e.effect || ')' AS label,
                 sum(CASE e.direction WHEN 'debit' THEN e.amount ELSE -e.amount END) AS net
          FROM ledger_entries e WHERE e.transaction_id = NEW.id
          GROUP BY e.currency, e.effect
        ) g;
        IF v_entries <> NEW.entry_count THEN
          RAISE EXCEPTION 'ledger: transaction % declares % entries but has %', NEW.id, NEW.entry_count, v_entries
            USING ERRCODE = 'LDG02';
        END IF;
        IF v_unbalanced IS NOT NULL THEN
          RAISE EXCEPTION 'ledger: transaction % does not balance in %', NEW.id, v_unbalanced USING ERRCODE = 'LDG02';
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER ledger_entries_slots AFTER INSERT ON ledger_entries REFERENCING NEW TABLE AS inserted_entries
      FOR EACH STATEMENT EXECUTE FUNCTION ledger_check_entry_slots()`);
    await queryRunner.query(`
      CREATE CONSTRAINT TRIGGER ledger_transactions_balanced AFTER INSERT ON ledger_transactions
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_check_balanced()`);
    await queryRunner.query(`CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
      FOR EACH ROW EXECUTE FUNCTION ledger_reject_change()`);
    await queryRunner.query(`CREATE TRIGGER ledger_transactions_guard BEFORE UPDATE ON ledger_transactions
      FOR EACH ROW EXECUTE FUNCTION ledger_guard_transaction_update()`);
    await queryRunner.query(`CREATE TRIGGER ledger_transactions_append_only BEFORE DELETE ON ledger_transactions
      FOR EACH ROW EXECUTE FUNCTION ledger_reject_change()`);
    // WHEN clauses are evaluated without calling a function, so the hot path of balance updates pays little.
    await queryRunner.query(`CREATE TRIGGER ledger_balances_identity BEFORE UPDATE ON ledger_balances
      FOR EACH ROW WHEN (OLD.account_id IS DISTINCT FROM NEW.account_id OR OLD.shard IS DISTINCT FROM NEW.shard
        OR OLD.normal_balance IS DISTINCT FROM NEW.normal_balance OR OLD.min_balance IS DISTINCT FROM NEW.min_balance)
      EXECUTE FUNCTION ledger_reject_change()`);
    await queryRunner.query(`CREATE TRIGGER ledger_balances_append_only BEFORE DELETE ON ledger_balances
      FOR EACH ROW EXECUTE FUNCTION ledger_reject_change()`);
    await queryRunner.query(`CREATE TRIGGER ledger_accounts_identity BEFORE UPDATE ON ledger_accounts
      FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.owner IS DISTINCT FROM NEW.owner
        OR OLD.purpose IS DISTINCT FROM NEW.purpose OR OLD.currency IS DISTINCT FROM NEW.currency
        OR OLD.normal_balance IS DISTINCT FROM NEW.normal_balance OR OLD.min_balance IS DISTINCT FROM NEW.min_balance
        OR OLD.shards IS DISTINCT FROM NEW.shards)
      EXECUTE FUNCTION ledger_reject_change()`);
    await queryRunner.query(`CREATE TRIGGER ledger_accounts_append_only BEFORE DELETE ON ledger_accounts
      FOR EACH ROW EXECUTE FUNCTION ledger_reject_change()`);
    for (const table of ['ledger_accounts', 'ledger_balances', 'ledger_transactions', 'ledger_entries']) {
      await queryRunner.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION ledger_reject_change()`);
    }

    // The one statement LedgerService runs per money movement. Outcomes: 'applied'; 'exists' (the reference is
    // taken: the caller replays or reports a conflict); 'parent_not_pending'; 'missing_balance' (an account id
    // the caller cached does not exist); 'insufficient_funds' with the accounts that would go below their floor.
    // Its statements (and the entry slot check it fires) are keyed lookups or joins of a few parameters with
    // primary keys. It keeps generic plans instead of planning every statement on every call, and without
    // sequential scans, so that a plan cached while a table was still tiny stays an index lookup as it grows.
    // Nothing is written unless the outcome is 'applied', and no error is raised for the others, so a caller's
    // own transaction stays usable. Balance rows, bounded and sharded alike, are locked in one statement in
    // (account_id, shard) order, so two calls never deadlock on each other.
    // Entries name their balance row by position in p_accounts; p_entry_*_after are the row's counter changes
    // up to and including the entry, so its resulting counters are the row's old counters plus them.
    await queryRunner.query(`
      CREATE FUNCTION ledger_apply(
        p_id text, p_reference_owner text, p_reference text, p_content_hash bytea,
        p_kind ledger_transaction_kind, p_type text, p_status ledger_transaction_status, p_parent_id text,
        p_parent_status ledger_transaction_status, p_source_type text, p_source_id text, p_description text,
        p_metadata jsonb, p_request_id text, p_expires_at timestamptz, p_legs jsonb,
        p_accounts text[], p_shards smallint[], p_currencies text[], p_debits_pending numeric[],
        p_debits_posted numeric[], p_credits_pending numeric[], p_credits_posted numeric[],
        p_entry_balances integer[], p_entry_directions ledger_entry_direction[], p_entry_effects ledger_entry_effect[],
        p_entry_amounts numeric[], p_entry_debits_pending_after numeric[], p_entry_debits_posted_after numeric[],
        p_entry_credits_pending_after numeric[], p_entry_credits_posted_after numeric[],
        OUT result text, OUT result_created_at timestamptz, OUT result_short_accounts text[])
      LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan SET enable_seqscan = off AS $$
      DECLARE
        v_parent_status ledger_transaction_status;
        v_locked integer;
        v_before ledger_counters[];
        v_claimed integer;
      BEGIN
        PERFORM 1 FROM ledger_transactions t WHERE t.reference_owner = p_reference_owner AND t.reference = p_reference;
        IF FOUND THEN
          result := 'exists';
          RETURN;
        END IF;

        IF p_parent_status IS NOT NULL THEN
          SELECT t.status INTO v_parent_status FROM ledger_transactions t WHERE t.id = p_parent_id FOR UPDATE;
          IF v_parent_status IS DISTINCT FROM 'pending' THEN
            result := 'parent_not_pending';
            RETURN;
          END IF;
        END IF;

        -- Lock every balance row in (account_id, shard) order, keep its counters and check the floors.
        SELECT count(*),
               array_agg(l.account_id) FILTER (WHERE NOT (l.min_balance IS NULL OR
                 CASE l.normal_balance
                   WHEN 'credit' THEN (l.credits_posted + l.d_credits_posted) - (l.debits_posted + l.d_debits_posted)
                     - (l.debits_pending + l.d_debits_pending)
                   ELSE (l.debits_posted + l.d_debits_posted) - (l.credits_posted + l.d_credits_posted)
                     - (l.credits_pending + l.d_credits_pending)
                 END >= l.min_balance)),
               array_agg(ROW(l.debits_pending, l.debits_posted, l.credits_pending, l.credits_posted)::ledger_counters
                 ORDER BY l.position)
          INTO v_locked, result_short_accounts, v_before
        FROM (
          SELECT b.account_id, b.normal_balance, b.min_balance, b.debits_pending, b.debits_posted,
                 b.credits_pending, b.credits_posted, d.d_debits_pending, d.d_debits_posted, d.d_credits_pending,
                 d.d_credits_posted, d.position
          FROM unnest(p_accounts, p_shards, p_debits_pending, p_debits_posted, p_credits_pending, p_credits_posted)
            WITH ORDINALITY
            AS d(account_id, shard, d_debits_pending, d_debits_posted, d_credits_pending, d_credits_posted, position)
          JOIN ledger_balances b ON b.account_id = d.account_id AND b.shard = d.shard
          ORDER BY b.account_id, b.shard
          FOR UPDATE OF b
        ) l;
        IF v_locked <> cardinality(p_accounts) THEN
          result := 'missing_balance';
          result_short_accounts := NULL;
          RETURN;
        END IF;
        IF result_short_accounts IS NOT NULL THEN
          result := 'insufficient_funds';
          RETURN;
        END IF;

        -- Taken after the locks: a later writer of the same shard waits for this commit, so its time is later.
        result_created_at := clock_timestamp();
        -- One statement claims the reference and, only if it did, resolves the parent hold, applies the counter
        -- changes to the rows locked above and writes the entries with their resulting counters.
        WITH claimed AS (
          INSERT INTO ledger_transactions (id, reference_owner, reference, content_hash, kind, type, status,
            parent_id, source_type, source_id, description, metadata, request_id, legs, entry_count, expires_at,
            created_at)
          VALUES (p_id, p_reference_owner, p_reference, p_content_hash, p_kind, p_type, p_status, p_parent_id,
            p_source_type, p_source_id, p_description, p_metadata, p_request_id, p_legs,
            cardinality(p_entry_balances), p_expires_at, result_created_at)
          ON CONFLICT (reference_owner, reference) DO NOTHING
          RETURNING id
        ), resolved AS (
          UPDATE ledger_transactions SET status = p_parent_status, resolved_at = result_created_at
          WHERE p_parent_status IS NOT NULL AND id = p_parent_id AND EXISTS (SELECT 1 FROM claimed)
        ), applied AS (
          UPDATE ledger_balances b
          SET debits_pending = b.debits_pending + d.d_debits_pending,
              debits_posted = b.debits_posted + d.d_debits_posted,
              credits_pending = b.credits_pending + d.d_credits_pending,
              credits_posted = b.credits_posted + d.d_credits_posted,
              version = b.version + 1
          FROM unnest(p_accounts, p_shards, p_debits_pending, p_debits_posted, p_credits_pending, p_credits_posted)
            AS d(account_id, shard, d_debits_pending, d_debits_posted, d_credits_pending, d_credits_posted)
          WHERE b.account_id = d.account_id AND b.shard = d.shard AND EXISTS (SELECT 1 FROM claimed)
        ), written AS (
          INSERT INTO ledger_entries (transaction_id, ordinal, account_id, shard, currency, direction, effect,
            amount, created_at, resulting_debits_pending, resulting_debits_posted, resulting_credits_pending,
            resulting_credits_posted)
          SELECT p_id, e.ordinal - 1, p_accounts[e.balance], p_shards[e.balance], p_currencies[e.balance],
            e.direction, e.effect, e.amount, result_created_at,
            (v_before[e.balance]).debits_pending + e.dp, (v_before[e.balance]).debits_posted + e.dpo,
            (v_before[e.balance]).credits_pending + e.cp, (v_before[e.balance]).credits_posted + e.cpo
          FROM unnest(p_entry_balances, p_entry_directions, p_entry_effects, p_entry_amounts,
            p_entry_debits_pending_after, p_entry_debits_posted_after, p_entry_credits_pending_after,
            p_entry_credits_posted_after) WITH ORDINALITY AS e(balance, direction, effect, amount, dp, dpo, cp, cpo, ordinal)
          WHERE EXISTS (SELECT 1 FROM claimed)
        )
        SELECT count(*) INTO v_claimed FROM claimed;
        IF v_claimed = 0 THEN
          result := 'exists';
          result_created_at := NULL;
          RETURN;
        END IF;

        result := 'applied';
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ledger_entries, ledger_transactions, ledger_balances, ledger_accounts`);
    await queryRunner.query(`DROP FUNCTION ledger_apply, ledger_check_balanced, ledger_check_entry_slots,
      ledger_guard_transaction_update, ledger_reject_change`);
    await queryRunner.query(`DROP DOMAIN ledger_nanos, ledger_positive_nanos`);
    await queryRunner.query(`DROP TYPE ledger_counters, ledger_normal_balance, ledger_transaction_kind, ledger_transaction_status,
      ledger_entry_direction, ledger_entry_effect`);
  }
}
