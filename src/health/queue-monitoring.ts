import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue } from 'bullmq';
import type { NextFunction, Request, Response } from 'express';
import { Gauge } from 'prom-client';
import { constantTimeEqual } from '../common/auth/api-key-secret.js';
import { QUEUE_NAMES } from '../common/queues.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.tokens.js';
import { metricsRegistry } from './http-metrics.js';

const BOARD_PATH = '/admin/queues';
const JOB_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized', 'waiting-children'] as const;

/** The operator key as a Bearer token, or as the password of HTTP basic auth so a browser can open the board. */
function operatorOnly(adminKey: string) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const header = request.header('authorization') ?? '';
    const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    const basic = /^Basic\s+(\S+)$/i.exec(header)?.[1];
    const password = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':').slice(1).join(':') : undefined;
    const presented = bearer ?? password;
    if (presented && constantTimeEqual(presented, adminKey)) {
      next();
      return;
    }
    response.setHeader('WWW-Authenticate', 'Basic realm="AI Receive queues"');
    response.status(401).json({
      error: {
        type: 'authentication_error',
        code: 'admin_key_required',
        message: 'The queue dashboard needs the operator key (ADMIN_API_KEY).',
      },
    });
  };
}

/** Bull Board at /admin/queues behind the operator key, and queue depths as Prometheus gauges. */
@Injectable()
export class QueueMonitoring implements OnModuleInit, OnApplicationShutdown {
  private readonly queues: Queue[];

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.queues = QUEUE_NAMES.map((name) => new Queue(name, { connection: { url: config.redisUrl }, prefix: 'air' }));
    metricsRegistry.removeSingleMetric('queue_jobs');
    const queues = this.queues;
    new Gauge({
      name: 'queue_jobs',
      help: 'BullMQ jobs per queue and state.',
      labelNames: ['queue', 'state'],
      registers: [metricsRegistry],
      async collect() {
        await Promise.all(
          queues.map(async (queue) => {
            const counts = await queue.getJobCounts(...JOB_STATES);
            for (const state of JOB_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
          }),
        );
      },
    });
  }

  onModuleInit(): void {
    const httpAdapter = this.adapterHost.httpAdapter;
    if (!httpAdapter) return;
    const serverAdapter = new ExpressAdapter();
    serverAdapter.setBasePath(BOARD_PATH);
    createBullBoard({ queues: this.queues.map((queue) => new BullMQAdapter(queue)), serverAdapter });
    httpAdapter.use(BOARD_PATH, operatorOnly(this.config.adminApiKey), serverAdapter.getRouter());
  }

  async onApplicationShutdown(): Promise<void> {
    metricsRegistry.removeSingleMetric('queue_jobs');
    await Promise.all(this.queues.map((queue) => queue.close()));
  }
}
