import { ApiProperty } from '@nestjs/swagger';
import { UsageQuantitiesView } from './usage-event.dto.js';

export class PayerUsageLineView {
  @ApiProperty({ example: '4.20', description: 'Charged to the wallet for this vendor’s product in the period.' })
  amount!: string;
  @ApiProperty({ example: 'usd' }) currency!: string;
  @ApiProperty() events!: number;
  @ApiProperty({ example: 'prod_01jd8...' }) product!: string;
  @ApiProperty({ type: UsageQuantitiesView }) quantities!: UsageQuantitiesView;
  @ApiProperty({ example: 'acct_01jd8...', description: 'The vendor that billed the usage.' }) vendor!: string;
}

export class PayerUsageTotalView {
  @ApiProperty() amount!: string;
  @ApiProperty() currency!: string;
  @ApiProperty() events!: number;
}

/** Token usage billed to a payer in a period (by when it was charged), by vendor and product. */
export class PayerUsageView {
  @ApiProperty({ type: [PayerUsageLineView] }) lines!: PayerUsageLineView[];
  @ApiProperty({ type: [PayerUsageTotalView] }) totals!: PayerUsageTotalView[];
}
