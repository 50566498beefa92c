import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { readFileSync, writeFileSync } from 'node:fs';
import { AppModule } from './app.module.js';
import { loadConfig } from './config/app-config.js';
import { buildOpenApiDocument } from './openapi.js';

/**
 * Writes openapi.json from the code (`npm run openapi`), or with --check fails when the committed file differs.
 * Preview mode builds the module graph without connecting to PostgreSQL or Redis.
 */
async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const config = loadConfig({ NODE_ENV: 'test', ADMIN_API_KEY: 'openapi_generation_placeholder_key' });
  const app = await NestFactory.create(AppModule.forRoot(config), { preview: true, logger: false });
  const generated = `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`;
  await app.close();
  if (!check) {
    writeFileSync('openapi.json', generated);
    process.stdout.write('openapi.json written.\n');
    return;
  }
  let committed = '';
  try {
    committed = readFileSync('openapi.json', 'utf8');
  } catch {
    committed = '';
  }
  if (committed !== generated) {
    process.stderr.write('openapi.json is out of date with the code: run `npm run openapi` and commit the result.\n');
    process.exit(1);
  }
  process.stdout.write('openapi.json matches the code.\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
