import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsCurrencyCode } from '../../common/validation/is-currency-code.js';
import { IsMetadata } from '../../common/validation/is-string-map.js';
import { PROGRAM_STATUSES, PROGRAM_TYPES } from '../incentive-program.entity.js';
import type { ProgramStatus, ProgramType } from '../incentive-program.entity.js';
import { EnrollmentView } from './enrollment.dto.js';
import { ListQuery } from '../../common/pagination/pagination.js';

const AMOUNT = /^\d+(\.\d{1,9})?$/;
const AMOUNT_MESSAGE = '$property must be a decimal string in major units with at most 9 decimals, such as "10.00"';
const UNIX_SECONDS_DESCRIPTION = 'Unix seconds.';

export class EligibilityRules {
  @ApiPropertyOptional({
    enum: ['receive', 'pay'],
    isArray: true,
    description:
      'Capabilities the account must all have. The beneficiary capability of the type is always required ' +
      '(`pay` for token_subsidy and signup_credit, `receive` for fee_discount).',
  })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(['receive', 'pay'], { each: true })
  capabilities?: string[];

  @ApiPropertyOptional({
    type: [String],
    example: ['US', 'CA'],
    description: 'ISO 3166-1 alpha-2 countries; empty or absent: any country.',
  })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(250)
  @Matches(/^[A-Z]{2}$/, { each: true, message: 'countries must be two-letter ISO 3166-1 codes in upper case' })
  countries?: string[];

  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    example: 30,
    description: 'Only accounts created at most this many days ago; null: any age.',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(1)
  @Max(36500)
  max_account_age_days?: number | null;
}

export class TokenSubsidyTerms {
  @ApiPropertyOptional({
    type: [String],
    description: 'Only usage of these products (prod_…) is subsidized; empty or absent: every product.',
  })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  eligible_products?: string[];

  @ApiPropertyOptional({
    type: [String],
    description: 'Only usage billed by these vendor accounts (acct_…) is subsidized; empty or absent: every vendor.',
  })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  eligible_vendors?: string[];

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    example: '50.00',
    description: 'Most subsidy one account receives per UTC calendar month (by usage timestamp); null: no cap.',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Matches(AMOUNT, { message: AMOUNT_MESSAGE })
  monthly_cap_per_account?: string | null;

  @ApiProperty({
    example: '50',
    description: 'Share of the token cost the budget pays, in percent with at most two decimals: (0, 100].',
  })
  @IsString()
  percent!: string;
}

export class FeeDiscountTerms {
  @ApiProperty({ example: 90, description: 'Days the discount lasts from the enrollment approval.' })
  @IsInt()
  @Min(1)
  @Max(3650)
  duration_days!: number;

  @ApiProperty({
    example: 100,
    description: 'The discounted fee rate in basis points (replaces the percentage part of the fee).',
  })
  @IsInt()
  @Min(0)
  @Max(10000)
  fee_rate_bps!: number;
}

export class SignupCreditTerms {
  @ApiProperty({ example: '5.00', description: 'Credited once to the wallet of each enrolled payer.' })
  @Matches(AMOUNT, { message: AMOUNT_MESSAGE })
  credit_amount!: string;
}

export class CreateProgramRequest {
  @ApiPropertyOptional({ default: false, description: 'Enroll eligible accounts without an application.' })
  @IsOptional()
  @IsBoolean()
  auto_enroll?: boolean;

  @ApiProperty({ example: 'usd' })
  @IsCurrencyCode()
  currency!: string;

  @ApiPropertyOptional({ example: 'Half price tokens for new developers' })
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  description?: string;

  @ApiPropertyOptional({ type: EligibilityRules })
  @IsOptional()
  @ValidateNested()
  @Type(() => EligibilityRules)
  eligibility?: EligibilityRules;

  @ApiPropertyOptional({ type: Number, nullable: true, description: `${UNIX_SECONDS_DESCRIPTION} Null: no end.` })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(946_684_800)
  @Max(4_102_444_800)
  ends_at?: number | null;

  @ApiPropertyOptional({ type: FeeDiscountTerms, description: 'Required when type is fee_discount.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => FeeDiscountTerms)
  fee_discount?: FeeDiscountTerms;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptional()
  @IsMetadata()
  metadata?: Record<string, string>;

  @ApiProperty({ example: 'Token Boost 2025' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ type: SignupCreditTerms, description: 'Required when type is signup_credit.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => SignupCreditTerms)
  signup_credit?: SignupCreditTerms;

  @ApiPropertyOptional({ description: `${UNIX_SECONDS_DESCRIPTION} Default: now.` })
  @IsOptional()
  @IsInt()
  @Min(946_684_800)
  @Max(4_102_444_800)
  starts_at?: number;

  @ApiPropertyOptional({
    enum: ['draft', 'active'],
    default: 'draft',
    description: 'A draft grants nothing and is invisible to developers until activated.',
  })
  @IsOptional()
  @IsIn(['draft', 'active'])
  status?: 'draft' | 'active';

  @ApiPropertyOptional({ type: TokenSubsidyTerms, description: 'Required when type is token_subsidy.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => TokenSubsidyTerms)
  token_subsidy?: TokenSubsidyTerms;

  @ApiProperty({ enum: PROGRAM_TYPES })
  @IsIn(PROGRAM_TYPES)
  type!: ProgramType;
}

export class UpdateProgramRequest {
  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  auto_enroll?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  description?: string;

  @ApiPropertyOptional({ type: EligibilityRules, description: 'Replaces the given rules; absent rules stay.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => EligibilityRules)
  eligibility?: EligibilityRules;

  @ApiPropertyOptional({ type: Number, nullable: true, description: `${UNIX_SECONDS_DESCRIPTION} Null: no end.` })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(946_684_800)
  @Max(4_102_444_800)
  ends_at?: number | null;

  @ApiPropertyOptional({ type: FeeDiscountTerms, description: 'Only for fee_discount programs.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => FeeDiscountTerms)
  fee_discount?: FeeDiscountTerms;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptional()
  @IsMetadata()
  metadata?: Record<string, string>;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ type: SignupCreditTerms, description: 'Only for signup_credit programs.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => SignupCreditTerms)
  signup_credit?: SignupCreditTerms;

  @ApiPropertyOptional({ description: UNIX_SECONDS_DESCRIPTION })
  @IsOptional()
  @IsInt()
  @Min(946_684_800)
  @Max(4_102_444_800)
  starts_at?: number;

  @ApiPropertyOptional({
    enum: PROGRAM_STATUSES,
    description: 'draft → active; active ⇄ paused; any → ended (final).',
  })
  @IsOptional()
  @IsIn(PROGRAM_STATUSES)
  status?: ProgramStatus;

  @ApiPropertyOptional({ type: TokenSubsidyTerms, description: 'Only for token_subsidy programs.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => TokenSubsidyTerms)
  token_subsidy?: TokenSubsidyTerms;
}

export class BudgetAmountRequest {
  @ApiProperty({ example: '1000.00', description: "Decimal string in the program's currency." })
  @IsString()
  amount!: string;
}

export class WithdrawBudgetRequest {
  @ApiPropertyOptional({ example: '250.00', description: 'Default: everything that remains.' })
  @IsOptional()
  @IsString()
  amount?: string;
}

export class ProgramListQuery extends ListQuery {
  @ApiPropertyOptional({ enum: PROGRAM_STATUSES })
  @IsOptional()
  @IsIn(PROGRAM_STATUSES)
  status?: ProgramStatus;

  @ApiPropertyOptional({ enum: PROGRAM_TYPES })
  @IsOptional()
  @IsIn(PROGRAM_TYPES)
  type?: ProgramType;
}

export class EligibilityView {
  @ApiProperty({ enum: ['receive', 'pay'], isArray: true }) capabilities!: string[];
  @ApiProperty({ type: [String] }) countries!: string[];
  @ApiProperty({ type: Number, nullable: true }) max_account_age_days!: number | null;
}

export class TokenSubsidyView {
  @ApiProperty({ type: [String] }) eligible_products!: string[];
  @ApiProperty({ type: [String] }) eligible_vendors!: string[];
  @ApiProperty({ type: String, nullable: true }) monthly_cap_per_account!: string | null;
  @ApiProperty({ example: '50' }) percent!: string;
}

export class FeeDiscountView {
  @ApiProperty() duration_days!: number;
  @ApiProperty() fee_rate_bps!: number;
}

export class SignupCreditView {
  @ApiProperty({ example: '5.00' }) credit_amount!: string;
}

export class LedgerAccountKeyView {
  @ApiProperty({ example: 'lacc_01jd8...' }) id!: string;
  @ApiProperty({ example: 'usd' }) currency!: string;
  @ApiProperty({ example: 'prog_01jd8...' }) owner!: string;
  @ApiProperty({ enum: ['budget'] }) purpose!: 'budget';
}

export class BudgetView {
  @ApiProperty({ example: 'usd' }) currency!: string;
  @ApiProperty({ example: '1000.00', description: 'Platform money moved in, all time.' }) funded!: string;
  @ApiProperty({
    type: LedgerAccountKeyView,
    description: 'The ledger account holding the budget (floor 0: it can never go below zero).',
  })
  ledger_account!: LedgerAccountKeyView;
  @ApiProperty({ example: '900.00', description: 'funded − withdrawn − spent; never below zero.' }) remaining!: string;
  @ApiProperty({ example: '100.00', description: 'Benefits paid, net of benefits returned by refunds.' })
  spent!: string;
  @ApiProperty({ example: '0', description: 'Unspent money moved back to the platform.' }) withdrawn!: string;
}

export class ProgramView {
  @ApiProperty({ example: 'prog_01jd8...' }) id!: string;
  @ApiProperty({ enum: ['incentive_program'] }) object!: 'incentive_program';
  @ApiProperty() auto_enroll!: boolean;
  @ApiProperty({ description: UNIX_SECONDS_DESCRIPTION }) created!: number;
  @ApiProperty() currency!: string;
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty({ type: EligibilityView }) eligibility!: EligibilityView;
  @ApiProperty({ type: Number, nullable: true, description: UNIX_SECONDS_DESCRIPTION }) ends_at!: number | null;
  @ApiProperty({ type: FeeDiscountView, nullable: true }) fee_discount!: FeeDiscountView | null;
  @ApiProperty() name!: string;
  @ApiProperty({ type: SignupCreditView, nullable: true }) signup_credit!: SignupCreditView | null;
  @ApiProperty({ description: UNIX_SECONDS_DESCRIPTION }) starts_at!: number;
  @ApiProperty({ enum: PROGRAM_STATUSES }) status!: ProgramStatus;
  @ApiProperty({ type: TokenSubsidyView, nullable: true }) token_subsidy!: TokenSubsidyView | null;
  @ApiProperty({ enum: PROGRAM_TYPES }) type!: ProgramType;
}

export class AdminProgramView extends ProgramView {
  @ApiProperty({ type: BudgetView }) budget!: BudgetView;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) metadata!: Record<string, string>;
}

/** A program as a developer sees it, with its own enrollment if it has one. */
export class DeveloperProgramView extends ProgramView {
  @ApiProperty({ type: EnrollmentView, nullable: true }) enrollment!: EnrollmentView | null;
}

export class AdminProgramListView {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [AdminProgramView] }) data!: AdminProgramView[];
  @ApiProperty() has_more!: boolean;
}

export class DeveloperProgramListView {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [DeveloperProgramView] }) data!: DeveloperProgramView[];
  @ApiProperty() has_more!: boolean;
}
