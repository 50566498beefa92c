import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

export class ListQuery {
  @ApiPropertyOptional({ description: 'How many objects to return, 1 to 100.', default: 10, minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'An object id: return the objects after it in the list (older ones).' })
  @IsOptional()
  @IsString()
  starting_after?: string;
}

export interface ListPage<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
}

/** Builds a page from `limit + 1` rows fetched newest first. */
export function toPage<R, T>(rows: R[], limit: number, present: (row: R) => T): ListPage<T> {
  return { object: 'list', data: rows.slice(0, limit).map(present), has_more: rows.length > limit };
}

export function pageLimit(query: ListQuery): number {
  return query.limit ?? 10;
}

/** Seconds since the epoch, the way every object reports `created`. */
export function unixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
