import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { AppModule } from '../../src/app.module.js';
import { configureHttpApp } from '../../src/common/http/configure-http-app.js';
import { AppConfig, loadConfig } from '../../src/config/app-config.js';
import { prepareTestDatabase } from './test-database.js';
import { TEST_ADMIN_KEY, TEST_DATABASE_URL, TEST_REDIS_URL } from './test-env.js';

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  http: ReturnType<typeof request>;
  close(): Promise<void>;
}

/** Starts the whole application (API and workers) against the test database and Redis, on a random port. */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  await prepareTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: TEST_DATABASE_URL,
    REDIS_URL: TEST_REDIS_URL,
    ADMIN_API_KEY: TEST_ADMIN_KEY,
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    // Test apps share the queues, so any of them may retry a delivery: all retry within milliseconds.
    WEBHOOK_RETRY_SCHEDULE: '50ms,100ms,200ms',
    LOCAL_AUTO_VERIFY: 'true',
    DATABASE_POOL_SIZE: '10',
    ...env,
  });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger: ['error'],
    bodyParser: false,
  });
  configureHttpApp(app, config);
  await app.listen(0, '127.0.0.1');
  const http = request(app.getHttpServer());
  return { app, config, http, close: () => app.close() };
}
