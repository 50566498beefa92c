import { ApiError } from '../common/errors/api-error.js';
import type { TopUp } from './top-up.entity.js';

/** Test controls exist on the simulated local rail only, like Stripe's test helpers in test mode only. */
export function testHelpersUnavailable(provider: string, param?: string): ApiError {
  return ApiError.badRequest(
    'test_helpers_unavailable',
    `Top-up test controls work on the local rail only, not on ${provider}.`,
    param,
  );
}

/** A test helper settles a pending top-up once; a settled one keeps its outcome. */
export function topUpNotPending(topUp: TopUp): ApiError {
  return ApiError.conflict(
    'top_up_not_pending',
    `Top-up ${topUp.id} is already ${topUp.status}; only a pending top-up can be succeeded or failed.`,
  );
}
