import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { ListQuery } from '../../common/pagination/pagination.js';
import { IsMetadata } from '../../common/validation/is-string-map.js';
import { PRODUCT_KINDS, type ProductKind } from '../product.entity.js';

export class CreateProductRequest {
  @ApiProperty({ enum: PRODUCT_KINDS, example: 'model' })
  @IsIn(PRODUCT_KINDS)
  kind!: ProductKind;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptional()
  @IsMetadata()
  metadata?: Record<string, string>;

  @ApiProperty({ example: 'acme-large-2' })
  @IsString()
  @Length(1, 200)
  name!: string;
}

export class ListProductsQuery extends ListQuery {
  @ApiPropertyOptional({ description: 'Only active (true) or only archived (false) products.' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  active?: boolean;
}

export class ProductView {
  @ApiProperty({ example: 'prod_01jd8...' }) id!: string;
  @ApiProperty({ enum: ['product'] }) object!: 'product';
  @ApiProperty({ description: 'False once archived: no new prices, no usage after the archive time.' })
  active!: boolean;
  @ApiProperty({ nullable: true, type: Number, description: 'Unix seconds.' }) archived_at!: number | null;
  @ApiProperty({ description: 'Unix seconds.' }) created!: number;
  @ApiProperty({ enum: PRODUCT_KINDS }) kind!: ProductKind;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) metadata!: Record<string, string>;
  @ApiProperty() name!: string;
}

export class ProductListView {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [ProductView] }) data!: ProductView[];
  @ApiProperty() has_more!: boolean;
}
