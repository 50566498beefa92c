import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { exitOnStartupError, prepareProcess } from './bootstrap.js';
import { JsonLogger } from './common/http/json-logger.js';
import type { AppConfig } from './config/app-config.js';

/** Runs the BullMQ processors and schedulers without serving HTTP (APP_ROLE=worker). */
export async function startWorker(config: AppConfig): Promise<void> {
  const logger = new JsonLogger(config.logLevel);
  const context = await NestFactory.createApplicationContext(AppModule.forRoot({ ...config, appRole: 'worker' }), {
    logger,
  });
  context.enableShutdownHooks();
  logger.log({ msg: 'Worker started: processing queues.' }, 'Bootstrap');
}

if (process.argv[1]?.endsWith('worker.js')) {
  prepareProcess().then(startWorker).catch(exitOnStartupError);
}
