/**
 * Shape checks for the local rail's bank destinations: a US account (ABA routing number with its checksum and
 * a 4–17 digit account number) or an IBAN (ISO 13616 mod-97 check). Shape only: whether the account exists is
 * the bank's answer, which arrives as a payout failure.
 */
export interface BankAccountInput {
  account_holder_name: string;
  account_number?: string;
  routing_number?: string;
  iban?: string;
  country: string;
  currency: string;
}

export interface BankAccount {
  accountHolderName: string;
  /** The full number (or IBAN) the rail pays to; only its last four digits are ever shown. */
  accountNumber: string;
  routingNumber: string | null;
  country: string;
  currency: string;
}

export class BankAccountError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly param: string,
  ) {
    super(message);
  }
}

export function isValidRoutingNumber(routing: string): boolean {
  if (!/^[0-9]{9}$/.test(routing)) return false;
  const d = [...routing].map(Number);
  return (3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5] + d[8])) % 10 === 0;
}

export function isValidIban(iban: string): boolean {
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const digits = /[0-9]/.test(char) ? char : String(char.charCodeAt(0) - 55);
    for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

export function validateBankAccount(input: BankAccountInput, param = 'destination'): BankAccount {
  const name = input.account_holder_name.trim();
  if (name.length === 0) {
    throw new BankAccountError(
      'invalid_account_holder_name',
      'The account holder name must not be empty.',
      `${param}.account_holder_name`,
    );
  }
  if (input.iban !== undefined) {
    if (input.account_number !== undefined || input.routing_number !== undefined) {
      throw new BankAccountError(
        'conflicting_bank_details',
        'Send either an iban or an account_number with a routing_number, not both.',
        `${param}.iban`,
      );
    }
    const iban = input.iban.replace(/ /g, '').toUpperCase();
    if (!isValidIban(iban)) {
      throw new BankAccountError(
        'invalid_iban',
        `"${input.iban}" is not a valid IBAN (its check digits do not match).`,
        `${param}.iban`,
      );
    }
    if (iban.slice(0, 2) !== input.country) {
      throw new BankAccountError(
        'country_mismatch',
        `The IBAN is from ${iban.slice(0, 2)}, not ${input.country}.`,
        `${param}.country`,
      );
    }
    return {
      accountHolderName: name,
      accountNumber: iban,
      routingNumber: null,
      country: input.country,
      currency: input.currency,
    };
  }
  if (input.account_number === undefined || !/^[0-9]{4,17}$/.test(input.account_number)) {
    throw new BankAccountError(
      'invalid_account_number',
      'account_number must be 4 to 17 digits.',
      `${param}.account_number`,
    );
  }
  if (input.routing_number === undefined || !isValidRoutingNumber(input.routing_number)) {
    throw new BankAccountError(
      'invalid_routing_number',
      'routing_number must be a 9-digit ABA routing number with a valid checksum (for example 110000000).',
      `${param}.routing_number`,
    );
  }
  return {
    accountHolderName: name,
    accountNumber: input.account_number,
    routingNumber: input.routing_number,
    country: input.country,
    currency: input.currency,
  };
}
