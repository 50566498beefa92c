import { moneyError } from './money.error.js';

export interface Currency {
  /** Lower-case ISO 4217 alphabetic code, as used on the wire ("usd"). */
  readonly code: string;
  /** ISO 4217 minor-unit exponent: 2 means 1 usd = 100 cents. */
  readonly exponent: number;
}

/*
 * ISO 4217 List One (SIX, published 2026-01-01): every active code that has a minor unit, grouped by exponent so a
 * reviewer can check the unusual ones at a glance. Deliberately left out:
 * - codes whose minor unit is "N.A." (xau, xag, xpd, xpt, xdr, xsu, xua, xba–xbd, xts, xxx): units of account,
 *   metals and test codes, not something a customer can be charged in;
 * - withdrawn codes (e.g. ang → xcg, bgn → eur on 2026-01-01, cuc, hrk, sll → sle, zwl → zwg).
 * Exponents follow ISO, not any one provider's quirks (huf/twd are 2 here even where a PSP wants whole units).
 */
// prettier-ignore
const CODES_BY_EXPONENT: ReadonlyArray<readonly [exponent: number, codes: readonly string[]]> = [
  [0, ['bif', 'clp', 'djf', 'gnf', 'isk', 'jpy', 'kmf', 'krw', 'pyg', 'rwf', 'ugx', 'uyi', 'vnd', 'vuv', 'xaf', 'xof', 'xpf']],
  [
    2,
    [
      'aed', 'afn', 'all', 'amd', 'aoa', 'ars', 'aud', 'awg', 'azn', 'bam', 'bbd', 'bdt', 'bmd', 'bnd', 'bob', 'bov',
      'brl', 'bsd', 'btn', 'bwp', 'byn', 'bzd', 'cad', 'cdf', 'che', 'chf', 'chw', 'cny', 'cop', 'cou', 'crc', 'cup',
      'cve', 'czk', 'dkk', 'dop', 'dzd', 'egp', 'ern', 'etb', 'eur', 'fjd', 'fkp', 'gbp', 'gel', 'ghs', 'gip', 'gmd',
      'gtq', 'gyd', 'hkd', 'hnl', 'htg', 'huf', 'idr', 'ils', 'inr', 'irr', 'jmd', 'kes', 'kgs', 'khr', 'kpw', 'kyd',
      'kzt', 'lak', 'lbp', 'lkr', 'lrd', 'lsl', 'mad', 'mdl', 'mga', 'mkd', 'mmk', 'mnt', 'mop', 'mru', 'mur', 'mvr',
      'mwk', 'mxn', 'mxv', 'myr', 'mzn', 'nad', 'ngn', 'nio', 'nok', 'npr', 'nzd', 'pab', 'pen', 'pgk', 'php', 'pkr',
      'pln', 'qar', 'ron', 'rsd', 'rub', 'sar', 'sbd', 'scr', 'sdg', 'sek', 'sgd', 'shp', 'sle', 'sos', 'srd', 'ssp',
      'stn', 'svc', 'syp', 'szl', 'thb', 'tjs', 'tmt', 'top', 'try', 'ttd', 'twd', 'tzs', 'uah', 'usd', 'usn', 'uyu',
      'uzs', 'ved', 'ves', 'wst', 'xad', 'xcd', 'xcg', 'yer', 'zar', 'zmw', 'zwg',
    ],
  ],
  [3, ['bhd', 'iqd', 'jod', 'kwd', 'lyd', 'omr', 'tnd']],
  [4, ['clf', 'uyw']],
];

// A Map (not an object literal) so that keys like "constructor" or "__proto__" can never look like currencies.
const CURRENCIES: ReadonlyMap<string, Currency> = new Map(
  CODES_BY_EXPONENT.flatMap(([exponent, codes]) =>
    codes.map((code) => [code, Object.freeze({ code, exponent })] as const),
  ),
);

export const SUPPORTED_CURRENCIES: readonly string[] = Object.freeze([...CURRENCIES.keys()].sort());

export function isCurrency(code: string): boolean {
  return typeof code === 'string' && CURRENCIES.has(code);
}

/** Looks up a lower-case ISO 4217 code. Upper-case is rejected rather than folded so the wire format stays canonical. */
export function getCurrency(code: string): Currency {
  const currency = typeof code === 'string' ? CURRENCIES.get(code) : undefined;
  if (currency === undefined) throw unknownCurrency(code);
  return currency;
}

function unknownCurrency(code: unknown): Error {
  const shown = typeof code === 'string' ? JSON.stringify(code) : `of type ${typeof code}`;
  const lower = typeof code === 'string' ? code.toLowerCase() : '';
  const hint = CURRENCIES.has(lower)
    ? `currency codes are lower-case, use ${JSON.stringify(lower)}`
    : 'expected a lower-case ISO 4217 code such as "usd" or "eur"';
  return moneyError('unknown_currency', `Unknown currency ${shown}: ${hint}.`);
}
