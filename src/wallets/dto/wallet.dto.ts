import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IsCurrencyCode } from '../../common/validation/is-currency-code.js';
import { IsMetadata } from '../../common/validation/is-string-map.js';
import { TOP_UP_TEST_OUTCOMES, type TopUpTestOutcome } from '../../providers/payment-provider.js';

export class CreateTopUpRequest {
  @ApiProperty({ example: '50.00', description: 'Whole minor units of the currency (cents for usd).' })
  @IsString()
  amount!: string;

  @ApiProperty({ example: 'usd' })
  @IsCurrencyCode()
  currency!: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptional()
  @IsMetadata()
  metadata?: Record<string, string>;

  @ApiPropertyOptional({
    enum: TOP_UP_TEST_OUTCOMES,
    default: 'succeed',
    description:
      'Local rail only (400 `test_helpers_unavailable` with any other provider), like a Stripe test payment ' +
      'method: `succeed` credits the wallet at once; `pending` leaves the top-up pending until ' +
      '`POST /v1/test_helpers/top_ups/{id}/succeed` or `/fail`; `fail` declines it at once with `card_declined`.',
  })
  @IsOptional()
  @IsIn(TOP_UP_TEST_OUTCOMES)
  test_outcome?: TopUpTestOutcome;
}

export class FailTestTopUpRequest {
  @ApiPropertyOptional({
    default: 'card_declined',
    description: 'The failure code to record: lower-case snake_case, at most 64 characters.',
    example: 'insufficient_funds',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z][a-z0-9_]{0,63}$/, { message: 'failure_code must be lower-case snake_case (at most 64 characters)' })
  failure_code?: string;

  @ApiPropertyOptional({
    default: 'The card was declined.',
    description: 'The failure message to record (at most 500 characters).',
    example: 'The card has insufficient funds to complete the purchase.',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  failure_message?: string;
}

export class TopUpView {
  @ApiProperty({ example: 'tu_01jd8...' }) id!: string;
  @ApiProperty({ enum: ['top_up'] }) object!: 'top_up';
  @ApiProperty({ example: '50.00' }) amount!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Stripe: the PaymentIntent client secret to confirm the payment in the browser.',
  })
  client_secret!: string | null;
  @ApiProperty({ description: 'Unix seconds.' }) created!: number;
  @ApiProperty() currency!: string;
  @ApiProperty({ nullable: true, type: String }) failure_code!: string | null;
  @ApiProperty({ nullable: true, type: String }) failure_message!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) metadata!: Record<string, string>;
  @ApiProperty({ enum: ['local', 'stripe'] }) provider!: string;
  @ApiProperty({ nullable: true, type: String }) provider_payment_id!: string | null;
  @ApiProperty({ enum: ['pending', 'succeeded', 'failed'] }) status!: string;
}

export class TopUpListView {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [TopUpView] }) data!: TopUpView[];
  @ApiProperty() has_more!: boolean;
}

export class WalletBalanceView {
  @ApiProperty({ example: '42.50', description: 'What can be spent now.' }) available!: string;
  @ApiProperty() currency!: string;
  @ApiProperty({ example: '7.50', description: 'Held for payments awaiting confirmation.' }) held!: string;
}

export class WalletView {
  @ApiProperty({ enum: ['wallet'] }) object!: 'wallet';
  @ApiProperty({ example: 'acct_01jd8...' }) account!: string;
  @ApiProperty({ type: [WalletBalanceView], description: 'One per currency the wallet was ever topped up in.' })
  balances!: WalletBalanceView[];
}
