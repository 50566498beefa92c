import { ApiError } from '../common/errors/api-error.js';
import type { LedgerErrorCode } from './ledger.types.js';

const STATUS: Record<LedgerErrorCode, number> = {
  insufficient_funds: 402,
  idempotency_conflict: 409,
  transaction_not_pending: 409,
  amount_exceeds_hold: 400,
  currency_mismatch: 400,
  invalid_amount: 400,
  transaction_not_reversible: 409,
  amount_exceeds_reversible: 400,
  invalid_legs: 400,
  ledger_account_conflict: 409,
};

/** A refused money movement. Nothing was written when it is thrown. */
export class LedgerError extends ApiError {
  declare readonly code: LedgerErrorCode;

  constructor(code: LedgerErrorCode, message: string, param?: string) {
    super(
      STATUS[code],
      code === 'insufficient_funds' ? 'payment_error' : 'invalid_request_error',
      code,
      message,
      param,
    );
  }
}
