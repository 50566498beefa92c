import { Injectable } from '@nestjs/common';
import { formatAmount } from '../../libs/money/src/index.js';
import { Clock, utcDate } from '../common/clock/clock.js';
import { ApiError } from '../common/errors/api-error.js';
import type { ReportQuery, ReportView } from './dto/report.dto.js';
import { IncentiveBenefitsRepository } from './incentive-benefits.repository.js';
import { IncentiveProgramsRepository } from './incentive-programs.repository.js';

const DAY_MS = 86_400_000;

/**
 * A program's report. Every figure is a sum over rows that each mirror exactly one ledger transaction (funding,
 * withdrawal, benefit, return), grouped by the ledger's booking time, so the report equals the ledger to the
 * nano: `remaining` is the budget account's balance at the end of the period.
 */
@Injectable()
export class IncentiveReportService {
  constructor(
    private readonly programs: IncentiveProgramsRepository,
    private readonly benefits: IncentiveBenefitsRepository,
    private readonly clock: Clock,
  ) {}

  async report(programId: string, query: ReportQuery): Promise<ReportView> {
    const program = await this.programs.find(programId);
    if (!program) throw ApiError.notFound('incentive_program', programId);
    const from = query.from === undefined ? null : parseDay(query.from, 'from');
    const toDay = query.to ?? utcDate(this.clock.now());
    const toStart = parseDay(toDay, 'to');
    if (from !== null && from.getTime() > toStart.getTime()) {
      throw ApiError.badRequest('parameter_invalid', 'from must not be after to.', 'from');
    }
    const end = new Date(toStart.getTime() + DAY_MS);
    const period = { from, to: end };
    const groupBy = query.group_by ?? 'day';
    const [inPeriod, upToEnd, beneficiaries, rows] = await Promise.all([
      this.benefits.periodTotals(program.id, period),
      this.benefits.periodTotals(program.id, { from: null, to: end }),
      this.benefits.beneficiaries(program.id, period),
      this.benefits.breakdown(program.id, period, groupBy),
    ]);
    const money = (nanos: bigint) => formatAmount(nanos, program.currency);
    return {
      object: 'incentive_program_report',
      beneficiaries,
      currency: program.currency,
      from: query.from ?? null,
      funded: money(inPeriod.funded),
      group_by: groupBy,
      program: program.id,
      remaining: money(upToEnd.funded - upToEnd.withdrawn - upToEnd.granted + upToEnd.returned),
      rows: rows.map((row) => ({
        ...(groupBy === 'day' ? { day: row.key } : { account: row.key }),
        benefits: row.benefits,
        granted: money(row.granted),
        returned: money(row.returned),
        spent: money(row.granted - row.returned),
      })),
      spent: money(inPeriod.granted - inPeriod.returned),
      to: toDay,
      withdrawn: money(inPeriod.withdrawn),
    };
  }
}

function parseDay(value: string, param: string): Date {
  const date = new Date(`${value}T00:00:00.000Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw ApiError.badRequest('parameter_invalid', `${param} is not a calendar date.`, param);
  }
  return date;
}
