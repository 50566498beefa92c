import { Module } from '@nestjs/common';
import { HealthController } from './health.controller.js';
import { QueueMonitoring } from './queue-monitoring.js';

@Module({ controllers: [HealthController], providers: [QueueMonitoring] })
export class HealthModule {}
