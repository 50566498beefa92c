import { ApiProperty } from '@nestjs/swagger';

export class PayoutRunView {
  @ApiProperty({ enum: ['payout_run'] }) object!: 'payout_run';
  @ApiProperty({ description: 'Business time of the run, unix seconds.' }) at!: number;
  @ApiProperty({ description: 'Payouts created by the scheduled run.' }) payouts_created!: number;
  @ApiProperty({ description: 'Provider updates applied (local bank processing).' }) rail_updates!: number;
  @ApiProperty({ description: 'Pending payouts handed to the queue again.' }) resubmitted!: number;
  @ApiProperty({ description: 'Reserve holds released to available.' }) reserves_released!: number;
  @ApiProperty({ description: 'New pending balance movements recorded for settlement.' }) settlement_items!: number;
  @ApiProperty({ description: 'Account balances moved from pending to available.' }) settlements!: number;
}
