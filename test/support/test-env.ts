/** The test run's own database and Redis db: never the development ones. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@localhost:5432/ai_receive_test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/1';
export const TEST_ADMIN_KEY = 'test_admin_key_0123456789abcdefghij';
