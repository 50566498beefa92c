import { BankAccountError, isValidIban, isValidRoutingNumber, validateBankAccount } from './bank-account.js';

describe('bank account shape', () => {
  it('accepts ABA routing numbers whose checksum holds', () => {
    expect(isValidRoutingNumber('110000000')).toBe(true);
    expect(isValidRoutingNumber('021000021')).toBe(true);
    expect(isValidRoutingNumber('021000022')).toBe(false);
    expect(isValidRoutingNumber('12345678')).toBe(false);
  });

  it('accepts IBANs whose mod-97 check holds', () => {
    expect(isValidIban('DE89370400440532013000')).toBe(true);
    expect(isValidIban('GB82WEST12345698765432')).toBe(true);
    expect(isValidIban('DE89370400440532013001')).toBe(false);
  });

  it('normalises a US account and names the offending field otherwise', () => {
    const base = { account_holder_name: ' Ada ', country: 'US', currency: 'usd' };
    expect(validateBankAccount({ ...base, account_number: '000123456789', routing_number: '110000000' })).toEqual({
      accountHolderName: 'Ada',
      accountNumber: '000123456789',
      routingNumber: '110000000',
      country: 'US',
      currency: 'usd',
    });
    expect(() => validateBankAccount({ ...base, account_number: '12', routing_number: '110000000' })).toThrow(
      expect.objectContaining({ code: 'invalid_account_number', param: 'destination.account_number' }),
    );
    expect(() => validateBankAccount({ ...base, account_number: '000123456789', routing_number: '110000001' })).toThrow(
      BankAccountError,
    );
  });

  it('accepts an IBAN from the stated country', () => {
    const account = validateBankAccount({
      account_holder_name: 'Ada',
      iban: 'de89 3704 0044 0532 0130 00',
      country: 'DE',
      currency: 'eur',
    });
    expect(account.accountNumber).toBe('DE89370400440532013000');
    expect(() =>
      validateBankAccount({
        account_holder_name: 'Ada',
        iban: 'DE89370400440532013000',
        country: 'FR',
        currency: 'eur',
      }),
    ).toThrow(expect.objectContaining({ code: 'country_mismatch' }));
  });
});
