import type { Server } from 'node:http';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import swaggerUi from 'swagger-ui-express';
import { AppModule } from './app.module.js';
import { exitOnStartupError, prepareProcess } from './bootstrap.js';
import { configureHttpApp } from './common/http/configure-http-app.js';
import { JsonLogger } from './common/http/json-logger.js';
import type { AppConfig } from './config/app-config.js';
import { buildOpenApiDocument } from './openapi.js';
import { startWorker } from './worker.js';

const KEEP_ALIVE_MS = 65_000;

/** Serves the API; with APP_ROLE=all (the default) the same process also runs the workers. */
async function startApi(config: AppConfig): Promise<void> {
  const logger = new JsonLogger(config.logLevel);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger,
    bodyParser: false,
  });
  configureHttpApp(app, config);
  app.enableShutdownHooks();
  const document = buildOpenApiDocument(app);
  app.use('/openapi.json', (_req: unknown, res: { json: (body: unknown) => void }) => res.json(document));
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(document, { customSiteTitle: 'AI Receive API' }));
  // Idle keep-alive connections stay open longer than the usual load balancer's idle timeout (60 s), so that the
  // balancer closes them, not the app: a request sent on a connection the app is closing would be reset.
  const server = app.getHttpServer() as Server;
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;
  await app.listen(config.port);
  logger.log({ msg: `API listening on port ${config.port}; docs at ${config.publicBaseUrl}/docs.` }, 'Bootstrap');
}

prepareProcess()
  .then((config) => (config.appRole === 'worker' ? startWorker(config) : startApi(config)))
  .catch(exitOnStartupError);
