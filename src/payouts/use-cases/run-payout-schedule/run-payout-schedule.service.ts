import { Inject, Injectable, Logger } from '@nestjs/common';
import { splitMinorUnits } from '../../../../libs/money/src/index.js';
import { Clock, startOfUtcDay, utcDate } from '../../../common/clock/clock.js';
import { ApiError } from '../../../common/errors/api-error.js';
import { TransactionRunner } from '../../../database/transaction-runner.js';
import { LedgerService } from '../../../ledger/ledger.service.js';
import { PAYMENT_PROVIDER } from '../../../providers/payment-provider.js';
import type { PaymentProvider } from '../../../providers/payment-provider.js';
import { receiverAccount } from '../../ledger-keys.js';
import { PayoutCandidate, PayoutScheduleRepository } from '../../payout-schedule.repository.js';
import { CreatePayoutService, NewPayout } from '../create-payout/create-payout.service.js';

const PAGE = 2000;
/** Payouts created per database transaction: one commit for many payouts, each still atomic with its hold. */
const CHUNK = 50;
const PARALLEL_CHUNKS = 12;

/**
 * A scheduled run for business day "today": one payout per due account and currency, for every whole minor unit
 * of its available balance (the sub-minor remainder stays), at most once per day whatever how often it runs.
 */
@Injectable()
export class RunPayoutScheduleService {
  private readonly logger = new Logger(RunPayoutScheduleService.name);

  constructor(
    private readonly schedule: PayoutScheduleRepository,
    private readonly createPayout: CreatePayoutService,
    private readonly transactions: TransactionRunner,
    private readonly ledger: LedgerService,
    private readonly clock: Clock,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
  ) {}

  async run(): Promise<number> {
    const now = this.clock.now();
    const day = startOfUtcDay(now);
    const scheduledFor = utcDate(now);
    let after = { accountId: '', currency: '' };
    let created = 0;
    for (;;) {
      const candidates = await this.schedule.dueOn(day, this.provider.name, after, PAGE);
      if (candidates.length === 0) break;
      after = candidates[candidates.length - 1];
      const payouts = candidates.flatMap((candidate) => this.payoutFor(candidate, scheduledFor));
      // One round of statements opens (or finds) every account the holds touch, instead of a few per payout.
      await this.ledger.openAccounts(
        payouts.flatMap((p) => [
          receiverAccount(p.accountId, 'available', p.currency),
          receiverAccount(p.accountId, 'payout_in_transit', p.currency),
        ]),
      );
      const chunks: NewPayout[][] = [];
      for (let i = 0; i < payouts.length; i += CHUNK) chunks.push(payouts.slice(i, i + CHUNK));
      let next = 0;
      const workers = Array.from({ length: PARALLEL_CHUNKS }, async () => {
        while (next < chunks.length) {
          const made = await this.createChunk(chunks[next++]);
          created += made;
        }
      });
      await Promise.all(workers);
      if (candidates.length < PAGE) break;
    }
    return created;
  }

  private payoutFor(candidate: PayoutCandidate, scheduledFor: string): NewPayout[] {
    const { wholeNanos } = splitMinorUnits(candidate.available, candidate.currency);
    const minimum = candidate.minimumCurrency === candidate.currency ? candidate.minimumAmount : 0n;
    if (wholeNanos <= 0n || wholeNanos < minimum) return [];
    return [
      {
        accountId: candidate.accountId,
        destination: candidate.destination,
        amount: wholeNanos,
        currency: candidate.currency,
        scheduledFor,
      },
    ];
  }

  /** All of the chunk in one transaction; when one payout of it is refused, each is retried on its own. */
  private async createChunk(chunk: NewPayout[]): Promise<number> {
    try {
      await this.transactions.run((manager) => this.createPayout.createInTransaction(manager, chunk));
      return chunk.length;
    } catch (error) {
      if (chunk.length === 1) {
        if (isExpectedRefusal(error)) return 0;
        throw error;
      }
    }
    let created = 0;
    for (const payout of chunk) {
      try {
        await this.transactions.run((manager) => this.createPayout.createInTransaction(manager, [payout]));
        created += 1;
      } catch (error) {
        if (!isExpectedRefusal(error)) throw error;
        this.logger.log({
          msg: `No scheduled payout for ${payout.accountId} in ${payout.currency} today: ${String(error)}`,
        });
      }
    }
    return created;
  }
}

/** A concurrent manual payout took the balance, or another run already paid this account today. */
function isExpectedRefusal(error: unknown): boolean {
  if (error instanceof ApiError && error.code === 'insufficient_funds') return true;
  const code =
    (error as { driverError?: { code?: string }; code?: string }).driverError?.code ??
    (error as { code?: string }).code;
  return code === '23505';
}
