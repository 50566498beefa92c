import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import type { EnrollmentMethod, EnrollmentStatus } from '../incentive-enrollment.entity.js';
import { ListQuery } from '../../common/pagination/pagination.js';

const ENROLLMENT_STATUSES = ['pending', 'approved', 'rejected'] as const;

export class ApplyForProgramRequest {
  @ApiPropertyOptional({ example: 'We run 2M agent calls a day on your vendors.', description: 'For the operator.' })
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  note?: string;
}

export class RejectEnrollmentRequest {
  @ApiPropertyOptional({ example: 'Outside the target segment.', description: 'Shown to the applicant.' })
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  reason?: string;
}

export class EnrollmentListQuery extends ListQuery {
  @ApiPropertyOptional({ enum: ENROLLMENT_STATUSES })
  @IsOptional()
  @IsIn(ENROLLMENT_STATUSES)
  status?: EnrollmentStatus;
}

export class EnrollmentView {
  @ApiProperty({ example: 'enrl_01jd8...' }) id!: string;
  @ApiProperty({ enum: ['incentive_enrollment'] }) object!: 'incentive_enrollment';
  @ApiProperty({ example: 'acct_01jd8...' }) account!: string;
  @ApiProperty({ type: Number, nullable: true, description: 'Unix seconds.' }) approved_at!: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Unix seconds. Fee discounts: when the discounted rate stops applying.',
  })
  benefit_ends_at!: number | null;
  @ApiProperty({ description: 'Unix seconds.' }) created!: number;
  @ApiProperty({
    enum: ['application', 'automatic'],
    description: 'automatic: enrolled by auto_enroll without review.',
  })
  method!: EnrollmentMethod;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({ example: 'prog_01jd8...' }) program!: string;
  @ApiProperty({ type: Number, nullable: true, description: 'Unix seconds.' }) rejected_at!: number | null;
  @ApiProperty({ type: String, nullable: true }) rejection_reason!: string | null;
  @ApiProperty({ enum: ENROLLMENT_STATUSES }) status!: EnrollmentStatus;
}

export class EnrollmentListView {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [EnrollmentView] }) data!: EnrollmentView[];
  @ApiProperty() has_more!: boolean;
}
