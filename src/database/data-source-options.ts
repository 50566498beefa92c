import type { DataSourceOptions } from 'typeorm';
import { ALL_MIGRATIONS } from '../../migrations/index.js';

/** TypeORM options shared by the app, the migration runner and the test harness. Never `synchronize`. */
export function dataSourceOptions(databaseUrl: string, poolSize: number): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    synchronize: false,
    migrationsRun: false,
    migrations: ALL_MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    // Pipelined connections: statements issued together (Promise.all on one transaction's manager) go out at
    // once and share a round trip; PostgreSQL still runs them in order, each with its own result.
    extra: { max: poolSize, application_name: 'ai-receive', pipeline: true },
    logging: false,
  };
}
