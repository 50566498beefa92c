import { randomBytes } from 'node:crypto';

export type AppRole = 'all' | 'api' | 'worker';
export type AppEnv = 'development' | 'test' | 'production';
export type PaymentProviderName = 'local' | 'stripe';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** The validated configuration. The only place that reads process.env is loadConfig(). */
export interface AppConfig {
  appEnv: AppEnv;
  appRole: AppRole;
  port: number;
  databaseUrl: string;
  databasePoolSize: number;
  redisUrl: string;
  adminApiKey: string;
  adminApiKeyGenerated: boolean;
  allowSignup: boolean;
  paymentProvider: PaymentProviderName;
  stripeSecretKey: string | null;
  stripeWebhookSecret: string | null;
  stripeApiBase: string | null;
  /** Time allowed for one Stripe API request; the SDK retries twice (same idempotency key) after a timeout. */
  stripeTimeoutMs: number;
  publicBaseUrl: string;
  logLevel: LogLevel;
  localAutoVerify: boolean;
  webhookAllowPrivateUrls: boolean;
  /** Delays before each retry of a failed webhook delivery, in milliseconds (jitter is added per attempt). */
  webhookRetrySchedule: number[];
  webhookTimeoutMs: number;
  rateLimitPerSecond: number;
  bodyLimit: string;
  idempotencyTtlHours: number;
  platformFeeBps: number;
  platformFeeFixed: string;
  settlementDelayDays: number;
  /** Payouts: BullMQ limiter of provider calls, worker concurrency, the payout clock's period (0 = off). */
  payoutRateLimitPerSecond: number;
  payoutWorkerConcurrency: number;
  payoutTickSeconds: number;
  /** A payout still pending after this long is handed to the queue again (its job may have been lost). */
  payoutResubmitAfterSeconds: number;
  /** The local rail's simulated bank: settlement time, failing and returning destination accounts. */
  localRailSettlementSeconds: number;
  localRailReturnDays: number;
  localRailFailingAccounts: Record<string, string>;
  localRailReturningAccounts: Record<string, string>;
  /** Test-only fault injection (refused in production): 'crash_after_payout_provider_call'. */
  faultInjection: string | null;
  confirmationTtlSeconds: number;
  /** Payment batches a process runs at once (group commit lanes, by receiver). */
  paymentBatchLanes: number;
  usageMaxAgeDays: number;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}

type Env = Record<string, string | undefined>;

function read(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const value = read(env, name);
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}; got "${value}".`);
  }
  return value as T;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const value = read(env, name);
  if (value === undefined) return fallback;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new ConfigError(name, `must be true or false; got "${value}".`);
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = read(env, name);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max}; got "${value}".`);
  }
  return Number(value);
}

function url(env: Env, name: string, fallback: string, protocols: readonly string[]): string {
  const value = read(env, name) ?? fallback;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(name, `must be a URL; got "${value}".`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must use ${protocols.join(' or ')}; got "${parsed.protocol}".`);
  }
  return value;
}

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A comma-separated list of durations such as "5s,5m,30m,2h" (units ms, s, m, h). */
function durations(env: Env, name: string, fallback: string): number[] {
  const value = read(env, name) ?? fallback;
  return value.split(',').map((part) => {
    const match = /^(\d{1,9})(ms|s|m|h)$/.exec(part.trim());
    if (!match) throw new ConfigError(name, `must list durations such as "5s,5m,2h"; got "${value}".`);
    return Number(match[1]) * DURATION_UNITS_MS[match[2]];
  });
}

export function loadConfig(env: Env = process.env): AppConfig {
  const appEnv = oneOf<AppEnv>(env, 'NODE_ENV', ['development', 'test', 'production'], 'development');
  const isProduction = appEnv === 'production';
  const stripeSecretKey = read(env, 'STRIPE_SECRET_KEY') ?? null;
  const explicitAdminKey = read(env, 'ADMIN_API_KEY');
  if (explicitAdminKey !== undefined && explicitAdminKey.length < 24) {
    throw new ConfigError('ADMIN_API_KEY', 'must be at least 24 characters long.');
  }
  if (explicitAdminKey === undefined && isProduction) {
    throw new ConfigError('ADMIN_API_KEY', 'must be set when NODE_ENV=production.');
  }
  const paymentProvider = oneOf<PaymentProviderName>(
    env,
    'PAYMENT_PROVIDER',
    ['local', 'stripe'],
    stripeSecretKey ? 'stripe' : 'local',
  );
  if (paymentProvider === 'stripe' && !stripeSecretKey) {
    throw new ConfigError('STRIPE_SECRET_KEY', 'must be set when PAYMENT_PROVIDER=stripe.');
  }
  const port = integer(env, 'PORT', 3000, 1, 65535);
  const platformFeeFixed = read(env, 'PLATFORM_FEE_FIXED') ?? '0';
  if (!/^\d+(\.\d{1,9})?$/.test(platformFeeFixed)) {
    throw new ConfigError('PLATFORM_FEE_FIXED', `must be a decimal amount such as "0.30"; got "${platformFeeFixed}".`);
  }
  const bodyLimit = read(env, 'BODY_LIMIT') ?? '2mb';
  if (!/^\d+(kb|mb)$/.test(bodyLimit)) {
    throw new ConfigError('BODY_LIMIT', `must look like "512kb" or "2mb"; got "${bodyLimit}".`);
  }
  return {
    appEnv,
    appRole: oneOf<AppRole>(env, 'APP_ROLE', ['all', 'api', 'worker'], 'all'),
    port,
    databaseUrl: url(env, 'DATABASE_URL', 'postgres://postgres@localhost:5432/ai_receive', [
      'postgres:',
      'postgresql:',
    ]),
    databasePoolSize: integer(env, 'DATABASE_POOL_SIZE', 20, 1, 500),
    redisUrl: url(env, 'REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']),
    adminApiKey: explicitAdminKey ?? `air_admin_${randomBytes(24).toString('base64url')}`,
    adminApiKeyGenerated: explicitAdminKey === undefined,
    allowSignup: bool(env, 'ALLOW_SIGNUP', !isProduction),
    paymentProvider,
    stripeSecretKey,
    stripeWebhookSecret: read(env, 'STRIPE_WEBHOOK_SECRET') ?? null,
    stripeApiBase: read(env, 'STRIPE_API_BASE') ? url(env, 'STRIPE_API_BASE', '', ['http:', 'https:']) : null,
    stripeTimeoutMs: integer(env, 'STRIPE_TIMEOUT_MS', 20_000, 100, 120_000),
    publicBaseUrl: url(env, 'PUBLIC_BASE_URL', `http://localhost:${port}`, ['http:', 'https:']).replace(/\/$/, ''),
    logLevel: oneOf<LogLevel>(
      env,
      'LOG_LEVEL',
      ['debug', 'info', 'warn', 'error'],
      appEnv === 'test' ? 'warn' : 'info',
    ),
    localAutoVerify: bool(env, 'LOCAL_AUTO_VERIFY', !isProduction),
    webhookAllowPrivateUrls: bool(env, 'WEBHOOK_ALLOW_PRIVATE_URLS', false),
    webhookRetrySchedule: durations(env, 'WEBHOOK_RETRY_SCHEDULE', '5s,5m,30m,2h,5h,10h,10h,10h,10h,10h,10h'),
    webhookTimeoutMs: integer(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 60_000),
    rateLimitPerSecond: integer(env, 'RATE_LIMIT_PER_SECOND', 1000, 1, 1_000_000),
    bodyLimit,
    idempotencyTtlHours: integer(env, 'IDEMPOTENCY_TTL_HOURS', 24, 24, 24 * 90),
    platformFeeBps: integer(env, 'PLATFORM_FEE_BPS', 250, 0, 10_000),
    platformFeeFixed,
    settlementDelayDays: integer(env, 'SETTLEMENT_DELAY_DAYS', 2, 0, 365),
    payoutRateLimitPerSecond: integer(
      env,
      'PAYOUT_RATE_LIMIT_PER_SECOND',
      paymentProvider === 'stripe' ? 20 : 2000,
      1,
      100_000,
    ),
    payoutWorkerConcurrency: integer(env, 'PAYOUT_WORKER_CONCURRENCY', 200, 1, 2000),
    payoutTickSeconds: integer(env, 'PAYOUT_TICK_SECONDS', 60, 0, 86_400),
    payoutResubmitAfterSeconds: integer(env, 'PAYOUT_RESUBMIT_AFTER_SECONDS', 300, 1, 86_400),
    localRailSettlementSeconds: integer(env, 'LOCAL_RAIL_SETTLEMENT_SECONDS', 0, 0, 30 * 86_400),
    localRailReturnDays: integer(env, 'LOCAL_RAIL_RETURN_DAYS', 1, 0, 365),
    localRailFailingAccounts: accountCodes(
      env,
      'LOCAL_RAIL_FAILING_ACCOUNTS',
      '000111111116=no_account,000111111113=account_closed,000222222227=insufficient_funds,' +
        '000333333335=debit_not_authorized,000444444440=invalid_currency',
    ),
    localRailReturningAccounts: accountCodes(env, 'LOCAL_RAIL_RETURNING_ACCOUNTS', '000555555559=account_closed'),
    faultInjection: faultInjection(env, isProduction),
    confirmationTtlSeconds: integer(env, 'CONFIRMATION_TTL_SECONDS', 900, 10, 7 * 86400),
    paymentBatchLanes: integer(env, 'PAYMENT_BATCH_LANES', 1, 1, 16),
    usageMaxAgeDays: integer(env, 'USAGE_MAX_AGE_DAYS', 35, 1, 3650),
  };
}

/** "<account number>=<failure code>,…": the local rail's simulated bank outcomes per destination account. */
function accountCodes(env: Env, name: string, fallback: string): Record<string, string> {
  const value = read(env, name) ?? fallback;
  const codes: Record<string, string> = {};
  for (const pair of value.split(',').filter((part) => part.trim() !== '')) {
    const match = /^([0-9A-Z]{4,34})=([a-z_]{1,50})$/.exec(pair.trim());
    if (!match) throw new ConfigError(name, `must list "<account number>=<code>" pairs; got "${pair.trim()}".`);
    codes[match[1]] = match[2];
  }
  return codes;
}

function faultInjection(env: Env, isProduction: boolean): string | null {
  const value = oneOf(env, 'FAULT_INJECTION', ['none', 'crash_after_payout_provider_call'], 'none');
  if (value !== 'none' && isProduction) {
    throw new ConfigError('FAULT_INJECTION', 'is refused when NODE_ENV=production.');
  }
  return value === 'none' ? null : value;
}
