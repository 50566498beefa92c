import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { Public } from '../common/auth/auth.decorators.js';
import { REDIS } from '../common/redis/redis.module.js';
import { metricsRegistry } from './http-metrics.js';

export class HealthView {
  @ApiProperty({ enum: ['ok', 'degraded'] }) status!: string;
  @ApiProperty({ enum: ['up', 'down'] }) postgres!: string;
  @ApiProperty({ enum: ['up', 'down'] }) redis!: string;
}

@ApiTags('Operations')
@Controller()
@Public()
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  @Get('health')
  @ApiOperation({ summary: 'Liveness and dependencies: PostgreSQL and Redis' })
  @ApiOkResponse({ type: HealthView })
  @ApiServiceUnavailableResponse({ type: HealthView, description: 'A dependency is down.' })
  async health(@Res({ passthrough: true }) response: Response): Promise<HealthView> {
    const [postgres, redis] = await Promise.all([
      this.dataSource.query('SELECT 1').then(
        () => 'up',
        () => 'down',
      ),
      this.redis.ping().then(
        () => 'up',
        () => 'down',
      ),
    ]);
    const ok = postgres === 'up' && redis === 'up';
    response.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'degraded', postgres, redis };
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  @ApiOperation({ summary: 'Prometheus metrics: request latency histogram, queue depths, process' })
  @ApiOkResponse({ description: 'Prometheus text format.', schema: { type: 'string' } })
  metrics(): Promise<string> {
    return metricsRegistry.metrics();
  }
}
