import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Min,
  ValidateNested,
} from 'class-validator';
import { ListQuery } from '../../common/pagination/pagination.js';
import { IsCurrencyCode } from '../../common/validation/is-currency-code.js';
import { LEDGER_PURPOSES } from '../ledger-chart.js';
import type { LedgerAccountPurpose } from '../ledger.types.js';

const AMOUNT = { example: '12.50', description: 'Decimal string in major units (up to 9 fractional digits).' };

export class BalanceAccountView {
  @ApiProperty({ ...AMOUNT, description: 'What can be spent or paid out now: posted minus pending outflows.' })
  available!: string;
  @ApiProperty({ example: 'usd' }) currency!: string;
  @ApiProperty({ ...AMOUNT, description: 'Held for pending operations (authorizations, payouts in flight).' })
  pending!: string;
  @ApiProperty({ ...AMOUNT, description: 'Posted (settled in the ledger) balance.' }) posted!: string;
  @ApiProperty({
    enum: LEDGER_PURPOSES,
    description: 'wallet (payer), pending / available / reserve / payout_in_transit (receiver).',
  })
  purpose!: LedgerAccountPurpose;
}

export class BalanceView {
  @ApiProperty({ enum: ['balance'] }) object!: 'balance';
  @ApiProperty({ type: [BalanceAccountView], description: 'One entry per ledger account, by currency then purpose.' })
  balances!: BalanceAccountView[];
}

export class BalanceTransactionSourceView {
  @ApiProperty({ example: 'pay_01jd8...' }) id!: string;
  @ApiProperty({ example: 'payment', description: 'The kind of API object that caused the movement.' })
  object!: string;
}

export class BalanceTransactionView {
  @ApiProperty({ example: 'btxn_01jd8..._1' }) id!: string;
  @ApiProperty({ enum: ['balance_transaction'] }) object!: 'balance_transaction';
  @ApiProperty({ ...AMOUNT, description: 'Gross movement of the account, fee included (negative: money out).' })
  amount!: string;
  @ApiProperty({ description: 'Unix seconds.' }) created!: number;
  @ApiProperty({ example: 'usd' }) currency!: string;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty({ ...AMOUNT, description: 'The part of the movement paid to the platform as a fee.' }) fee!: string;
  @ApiProperty({ example: 'ltx_01jd8...', description: 'The ledger transaction of this line.' })
  ledger_transaction!: string;
  @ApiProperty({ ...AMOUNT, description: 'amount − fee: what the account actually moved by.' }) net!: string;
  @ApiProperty({ enum: LEDGER_PURPOSES }) purpose!: LedgerAccountPurpose;
  @ApiProperty({ ...AMOUNT, description: 'Posted balance of the account right after this line.' })
  resulting_balance!: string;
  @ApiProperty({ type: BalanceTransactionSourceView, nullable: true }) source!: BalanceTransactionSourceView | null;
  @ApiProperty({ example: 'payment', description: 'payment, refund, top_up, usage_charge, payout, adjustment…' })
  type!: string;
}

export class BalanceTransactionListView {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [BalanceTransactionView] }) data!: BalanceTransactionView[];
  @ApiProperty() has_more!: boolean;
}

export class ListBalanceTransactionsQuery extends ListQuery {
  @ApiPropertyOptional({ description: 'Created at or after (unix seconds).' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  created_gte?: number;

  @ApiPropertyOptional({ description: 'Created before (unix seconds).' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  created_lt?: number;

  @ApiPropertyOptional({
    example: 'po_01jd8...',
    description: 'Only the lines a payout paid out: the movements its reconciliation lists, and the payout itself.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  payout?: string;

  @ApiPropertyOptional({ example: 'payment', description: 'Only lines of this type.' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  type?: string;
}

export class LedgerBalanceView {
  @ApiProperty(AMOUNT) available!: string;
  @ApiProperty(AMOUNT) credits_pending!: string;
  @ApiProperty(AMOUNT) credits_posted!: string;
  @ApiProperty(AMOUNT) debits_pending!: string;
  @ApiProperty(AMOUNT) debits_posted!: string;
  @ApiProperty(AMOUNT) pending!: string;
  @ApiProperty(AMOUNT) posted!: string;
}

export class LedgerAccountView {
  @ApiProperty({ example: 'lacc_01jd8...' }) id!: string;
  @ApiProperty({ enum: ['ledger_account'] }) object!: 'ledger_account';
  @ApiProperty({ type: LedgerBalanceView }) balance!: LedgerBalanceView;
  @ApiProperty({ description: 'Unix seconds.' }) created!: number;
  @ApiProperty({ example: 'usd' }) currency!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Lowest balance allowed; null = unbounded.' })
  floor!: string | null;
  @ApiProperty({ enum: ['debit', 'credit'] }) normal_balance!: 'debit' | 'credit';
  @ApiProperty({ example: 'acct_01jd8...', description: "'platform' or the owning account / program id." })
  owner!: string;
  @ApiProperty({ enum: LEDGER_PURPOSES }) purpose!: LedgerAccountPurpose;
  @ApiProperty({ description: 'Balance rows the account is spread over (hot unbounded platform accounts).' })
  shards!: number;
}

export class LedgerAccountListView {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [LedgerAccountView] }) data!: LedgerAccountView[];
  @ApiProperty() has_more!: boolean;
}

export class ListLedgerAccountsQuery extends ListQuery {
  @ApiPropertyOptional({ example: 'usd' })
  @IsOptional()
  @IsCurrencyCode()
  currency?: string;

  @ApiPropertyOptional({ example: 'platform' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  owner?: string;

  @ApiPropertyOptional({ enum: LEDGER_PURPOSES })
  @IsOptional()
  @IsIn(LEDGER_PURPOSES)
  purpose?: LedgerAccountPurpose;
}

export class LedgerEntryView {
  @ApiProperty({ example: 'ltx_01jd8...:0', description: '<ledger transaction>:<ordinal>.' }) id!: string;
  @ApiProperty({ enum: ['ledger_entry'] }) object!: 'ledger_entry';
  @ApiProperty({ example: 'lacc_01jd8...' }) account!: string;
  @ApiProperty(AMOUNT) amount!: string;
  @ApiProperty({ description: 'Unix seconds.' }) created!: number;
  @ApiProperty({ example: 'usd' }) currency!: string;
  @ApiProperty({ enum: ['debit', 'credit'] }) direction!: 'debit' | 'credit';
  @ApiProperty({
    enum: ['hold', 'release', 'post'],
    description: 'hold adds to the pending counters, release takes from them, post adds to the posted counters.',
  })
  effect!: 'hold' | 'release' | 'post';
  @ApiProperty({ example: 'ltx_01jd8...' }) ledger_transaction!: string;
  @ApiProperty({ type: LedgerBalanceView, description: "The balance row's counters right after this entry." })
  resulting_balance!: LedgerBalanceView;
  @ApiProperty({ description: 'Balance row (shard) of the account the entry was written to.' }) shard!: number;
}

export class LedgerEntryListView {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [LedgerEntryView] }) data!: LedgerEntryView[];
  @ApiProperty() has_more!: boolean;
}

export class LedgerLegView {
  @ApiProperty(AMOUNT) amount!: string;
  @ApiProperty({ example: 'lacc_01jd8...' }) credit_account!: string;
  @ApiProperty({ example: 'usd' }) currency!: string;
  @ApiProperty({ example: 'lacc_01jd8...' }) debit_account!: string;
}

export class LedgerTransactionView {
  @ApiProperty({ example: 'ltx_01jd8...' }) id!: string;
  @ApiProperty({ enum: ['ledger_transaction'] }) object!: 'ledger_transaction';
  @ApiProperty({ type: [String], description: 'Transactions acting on this one (postings, voids, reversals).' })
  children!: string[];
  @ApiProperty({ description: 'Unix seconds.' }) created!: number;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty({ type: [LedgerEntryView] }) entries!: LedgerEntryView[];
  @ApiProperty({ nullable: true, type: Number, description: 'Unix seconds (holds).' }) expires_at!: number | null;
  @ApiProperty({ enum: ['transfer', 'hold', 'post_pending', 'void_pending', 'expire_pending', 'reversal'] })
  kind!: string;
  @ApiProperty({ type: [LedgerLegView] }) legs!: LedgerLegView[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) metadata!: Record<string, string>;
  @ApiProperty({ nullable: true, type: String }) parent!: string | null;
  @ApiProperty({ example: 'payment:pay_01jd8...' }) reference!: string;
  @ApiProperty({ example: 'platform' }) reference_owner!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The API request that caused it, when recorded.' })
  request_id!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Unix seconds a hold left pending.' })
  resolved_at!: number | null;
  @ApiProperty({ nullable: true, type: String }) source_id!: string | null;
  @ApiProperty({ nullable: true, type: String }) source_type!: string | null;
  @ApiProperty({ enum: ['pending', 'posted', 'voided', 'expired'] }) status!: string;
  @ApiProperty({ example: 'payment' }) type!: string;
}

export class TrialBalancePurposeView {
  @ApiProperty({ description: 'Ledger accounts of this purpose.' }) accounts!: number;
  @ApiProperty({ ...AMOUNT, description: 'Σ posted balances in their normal direction.' }) balance!: string;
  @ApiProperty(AMOUNT) credits_pending!: string;
  @ApiProperty(AMOUNT) credits_posted!: string;
  @ApiProperty(AMOUNT) debits_pending!: string;
  @ApiProperty(AMOUNT) debits_posted!: string;
  @ApiProperty({ enum: LEDGER_PURPOSES }) purpose!: LedgerAccountPurpose;
}

export class TrialBalanceCurrencyView {
  @ApiProperty({ description: 'Σ debits = Σ credits, pending and posted separately.' }) balanced!: boolean;
  @ApiProperty(AMOUNT) credits_pending!: string;
  @ApiProperty(AMOUNT) credits_posted!: string;
  @ApiProperty({ example: 'usd' }) currency!: string;
  @ApiProperty(AMOUNT) debits_pending!: string;
  @ApiProperty(AMOUNT) debits_posted!: string;
  @ApiProperty({ type: [TrialBalancePurposeView] }) purposes!: TrialBalancePurposeView[];
}

export class TrialBalanceView {
  @ApiProperty({ enum: ['trial_balance'] }) object!: 'trial_balance';
  @ApiProperty({ description: 'Every currency balances (and, when verified, every balance matches its entries).' })
  balanced!: boolean;
  @ApiProperty({ type: [TrialBalanceCurrencyView] }) currencies!: TrialBalanceCurrencyView[];
  @ApiProperty({ description: 'Unix seconds.' }) created!: number;
  @ApiProperty({
    type: [String],
    nullable: true,
    description: 'With verify_entries: balance rows (<account>:<shard>) whose counters differ from their entries.',
  })
  mismatched_balances!: string[] | null;
}

export class TrialBalanceQuery {
  @ApiPropertyOptional({
    description: 'Also check that every stored balance equals the sum of its entries (a full scan of the entries).',
    default: false,
  })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  verify_entries?: boolean;
}

export class AdjustmentAccountRequest {
  @ApiProperty({ example: 'acct_01jd8...', description: "'platform' or an account / program id." })
  @IsString()
  @Length(1, 100)
  owner!: string;

  @ApiProperty({ enum: LEDGER_PURPOSES })
  @IsIn(LEDGER_PURPOSES)
  purpose!: LedgerAccountPurpose;
}

export class AdjustmentLegRequest {
  @ApiProperty(AMOUNT)
  @IsString()
  amount!: string;

  @ApiProperty({ type: AdjustmentAccountRequest })
  @ValidateNested()
  @Type(() => AdjustmentAccountRequest)
  credit!: AdjustmentAccountRequest;

  @ApiProperty({ type: AdjustmentAccountRequest })
  @ValidateNested()
  @Type(() => AdjustmentAccountRequest)
  debit!: AdjustmentAccountRequest;
}

export class CreateAdjustmentRequest {
  @ApiProperty({ example: 'usd' })
  @IsCurrencyCode()
  currency!: string;

  @ApiProperty({ type: [AdjustmentLegRequest], description: 'Each leg moves amount from debit to credit.' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => AdjustmentLegRequest)
  legs!: AdjustmentLegRequest[];

  @ApiProperty({ example: 'Compensation for ticket 4412', description: 'Why: kept on the transaction for audit.' })
  @IsString()
  @Length(3, 500)
  reason!: string;

  @ApiPropertyOptional({
    example: 'ticket-4412',
    description: 'Ledger reference (idempotency); default: derived from the request id.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @Matches(/^[\x21-\x7e]+$/, { message: 'reference must be printable ASCII without spaces' })
  reference?: string;
}
