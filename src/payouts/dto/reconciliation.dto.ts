import { ApiProperty } from '@nestjs/swagger';

export class BalanceLineView {
  @ApiProperty({
    example: 'payment',
    description:
      'payment, usage_charge, refund, subsidy… (funds that became available, from the ledger transaction type), ' +
      'reserve_hold, reserve_release, payout, payout_cancel, payout_failure, payout_return or adjustment.',
  })
  type!: string;
  @ApiProperty({ nullable: true, type: Number, description: 'Unix seconds: when the funds became available.' })
  available_on!: number | null;
  @ApiProperty({ description: 'Unix seconds (business time of the movement).' }) created!: number;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty({ example: '-0.30', description: 'Platform fee; gross − fee = net.' }) fee!: string;
  @ApiProperty({ example: '10.00' }) gross!: string;
  @ApiProperty({ example: 'ltx_01jd8...' }) ledger_transaction!: string;
  @ApiProperty({ example: '9.70', description: 'The change of the available balance.' }) net!: string;
  @ApiProperty({ nullable: true, type: String, example: 'pay_01jd8...' }) source_id!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'payment' }) source_type!: string | null;
}

export class LineTypeTotalView {
  @ApiProperty() type!: string;
  @ApiProperty() count!: number;
  @ApiProperty() fee!: string;
  @ApiProperty() gross!: string;
  @ApiProperty() net!: string;
}

export class PayoutReconciliationView {
  @ApiProperty({ enum: ['payout_reconciliation'] }) object!: 'payout_reconciliation';
  @ApiProperty({ description: 'opening_balance + lines_total − payout_amount = closing_balance, exactly.' })
  balanced!: boolean;
  @ApiProperty({ example: '0.004', description: 'Available balance right after the previous payout.' })
  closing_balance!: string;
  @ApiProperty({ example: 'usd' }) currency!: string;
  @ApiProperty({ type: [BalanceLineView] }) lines!: BalanceLineView[];
  @ApiProperty({ example: '120.00', description: 'Sum of the lines’ net amounts.' }) lines_total!: string;
  @ApiProperty({ example: '0.004' }) opening_balance!: string;
  @ApiProperty({ example: 'po_01jd8...' }) payout!: string;
  @ApiProperty({ example: '120.00' }) payout_amount!: string;
  @ApiProperty({ type: [LineTypeTotalView] }) summary!: LineTypeTotalView[];
}
