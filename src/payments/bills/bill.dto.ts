import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Min } from 'class-validator';
import { PayerUsageView } from '../../metering/dto/payer-usage.dto.js';
import { PaymentView } from '../dto/payment.dto.js';

export const BILL_GROUPS = ['agent', 'payee', 'mandate', 'day'] as const;
export type BillGroup = (typeof BILL_GROUPS)[number];

export class BillQuery {
  @ApiPropertyOptional({ description: 'Unix seconds, inclusive. Default: the start of the current UTC month.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  from?: number;

  @ApiPropertyOptional({ enum: BILL_GROUPS, default: 'agent' })
  @IsOptional()
  @IsIn(BILL_GROUPS)
  group_by?: BillGroup;

  @ApiPropertyOptional({ description: 'Unix seconds, exclusive. Default: now.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  to?: number;
}

export class BillLineView {
  @ApiProperty({ example: '12.50', description: 'Paid in the period (succeeded payments, gross).' }) amount!: string;
  @ApiProperty() currency!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The agent, payee account, mandate or UTC day (YYYY-MM-DD); null for spending by no agent.',
  })
  key!: string | null;
  @ApiProperty({ description: 'Paid minus refunded: what the wallet lost in the period.' }) net!: string;
  @ApiProperty() payments_count!: number;
  @ApiProperty({ description: 'Refunded in the period (to the payments of this line).' }) refunded!: string;
  @ApiProperty() refunds_count!: number;
}

export class BillTotalView {
  @ApiProperty() amount!: string;
  @ApiProperty() currency!: string;
  @ApiProperty() net!: string;
  @ApiProperty() payments_count!: number;
  @ApiProperty() refunded!: string;
  @ApiProperty() refunds_count!: number;
}

export class BillAttemptTotalView {
  @ApiProperty() amount!: string;
  @ApiProperty() currency!: string;
  @ApiProperty() payments_count!: number;
}

export class BillAttemptsView {
  @ApiProperty({ description: 'How many there are in the period.' }) count!: number;
  @ApiProperty({ type: [PaymentView], description: 'The latest 100.' }) data!: PaymentView[];
  @ApiProperty({ type: [BillAttemptTotalView], description: 'Per currency: the amounts asked for.' })
  totals!: BillAttemptTotalView[];
}

export class BillView {
  @ApiProperty({ enum: ['bill'] }) object!: 'bill';
  @ApiProperty({ type: BillAttemptsView, description: 'Payments declined in the period.' })
  declined!: BillAttemptsView;
  @ApiProperty({ description: 'Unix seconds, inclusive.' }) from!: number;
  @ApiProperty({ enum: BILL_GROUPS }) group_by!: BillGroup;
  @ApiProperty({ type: [BillLineView] }) lines!: BillLineView[];
  @ApiProperty({
    type: BillAttemptsView,
    description: 'Payments created in the period still awaiting your confirmation (their amounts are held).',
  })
  pending_confirmation!: BillAttemptsView;
  @ApiProperty({ description: 'Unix seconds, exclusive.' }) to!: number;
  @ApiProperty({ type: [BillTotalView], description: 'Per currency; equal to the wallet ledger movements.' })
  totals!: BillTotalView[];
  @ApiProperty({
    type: PayerUsageView,
    description: 'Token Pay usage charged in the period, by vendor and product (apart from the payments above).',
  })
  usage!: PayerUsageView;
}
