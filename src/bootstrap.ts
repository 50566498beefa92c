import { Redis } from 'ioredis';
import { AppConfig, ConfigError, loadConfig } from './config/app-config.js';
import { DatabaseUnavailableError, ensureDatabase, redact, runMigrations } from './database/ensure-database.js';

class RedisUnavailableError extends Error {}

async function checkRedis(config: AppConfig): Promise<void> {
  const redis = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  let lastError = '';
  redis.on('error', (error: Error) => {
    lastError = error.message;
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new RedisUnavailableError(
      `Cannot reach Redis at ${redact(config.redisUrl)} (${lastError || (error as Error).message}); set REDIS_URL.`,
    );
  } finally {
    redis.disconnect();
  }
}

/**
 * What every process does before Nest starts: validate the configuration, create the database if it is
 * missing, check Redis, run pending migrations. A bad value or an unreachable service exits with one line.
 */
export async function prepareProcess(): Promise<AppConfig> {
  const config = loadConfig();
  await ensureDatabase(config.databaseUrl);
  await checkRedis(config);
  await runMigrations(config.databaseUrl);
  if (config.adminApiKeyGenerated) {
    process.stdout.write(
      `\nNo ADMIN_API_KEY was set, so this run uses a generated operator key (set ADMIN_API_KEY to keep one):\n  ${config.adminApiKey}\n\n`,
    );
  }
  return config;
}

export function exitOnStartupError(error: unknown): never {
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
}
