import type { DataSourceOptions } from 'typeorm';
import { ALL_MIGRATIONS } from '../../migrations/index.js';
import { namedStatementsClient } from './named-statements.js';

/** TypeORM options shared by the app, the migration runner and the test harness. Never `synchronize`. */
export function dataSourceOptions(databaseUrl: string, poolSize: number): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    synchronize: false,
    migrationsRun: false,
    migrations: ALL_MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    extra: {
      max: poolSize,
      application_name: 'ai-receive',
      // Pipelined connections: statements issued together (Promise.all on one transaction's manager) go out at
      // once and share a round trip; PostgreSQL still runs them in order, each with its own result.
      pipeline: true,
      // Recurring statements are prepared once per connection (see StatementNames), and each connection is
      // replaced after ten minutes, so that a cached plan made while a table was small does not outlive its growth
      // where nothing ANALYZEs the table (which also makes PostgreSQL plan again).
      Client: namedStatementsClient(),
      maxLifetimeSeconds: 600,
    },
    logging: false,
  };
}
