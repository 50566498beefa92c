import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Redis } from 'ioredis';
import swaggerUi from 'swagger-ui-express';
import { AppModule } from './app.module.js';
import { configureHttpApp } from './common/http/configure-http-app.js';
import { JsonLogger } from './common/http/json-logger.js';
import { AppConfig, ConfigError, loadConfig } from './config/app-config.js';
import { DatabaseUnavailableError, ensureDatabase, redact, runMigrations } from './database/ensure-database.js';
import { buildOpenApiDocument } from './openapi.js';

class RedisUnavailableError extends Error {}

async function checkRedis(config: AppConfig): Promise<void> {
  const redis = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new RedisUnavailableError(
      `Cannot reach Redis at ${redact(config.redisUrl)} (${(error as Error).message}); set REDIS_URL.`,
    );
  } finally {
    redis.disconnect();
  }
}

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const logger = new JsonLogger(config.logLevel);
  await ensureDatabase(config.databaseUrl);
  await checkRedis(config);
  await runMigrations(config.databaseUrl);
  if (config.adminApiKeyGenerated) {
    process.stdout.write(
      `\nNo ADMIN_API_KEY was set, so this run uses a generated operator key (set ADMIN_API_KEY to keep one):\n  ${config.adminApiKey}\n\n`,
    );
  }

  if (config.appRole === 'worker') {
    const context = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger });
    context.enableShutdownHooks();
    logger.log({ msg: 'Worker started.' }, 'Bootstrap');
    return;
  }

  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger,
    bodyParser: false,
  });
  configureHttpApp(app, config);
  app.enableShutdownHooks();
  const document = buildOpenApiDocument(app);
  app.use('/openapi.json', (_req: unknown, res: { json: (body: unknown) => void }) => res.json(document));
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(document, { customSiteTitle: 'AI Receive API' }));
  await app.listen(config.port);
  logger.log({ msg: `API listening on port ${config.port}; docs at ${config.publicBaseUrl}/docs.` }, 'Bootstrap');
}

bootstrap().catch((error: unknown) => {
  if (
    error instanceof ConfigError ||
    error instanceof DatabaseUnavailableError ||
    error instanceof RedisUnavailableError
  ) {
    process.stderr.write(`ai-receive: ${error.message}\n`);
  } else {
    process.stderr.write(`ai-receive: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  }
  process.exit(1);
});
