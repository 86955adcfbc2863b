/**
 * An amount in integer minor units of its ISO 4217 currency, with the currency's code: never a float in the
 * service. `amountCents` keeps the contract's name but counts the currency's own minor unit, as ISO 4217 defines
 * it: cents for USD or EUR (2 decimals), whole yen for JPY and won for KRW (0), fils for KWD or BHD (3),
 * ten-thousandths for CLF (4). So `{ amountCents: 1000, currency: 'JPY' }` is ¥1000 and
 * `{ amountCents: 1235, currency: 'KWD' }` is 1.235 KWD.
 */
export interface Money {
  amountCents: number;
  currency: string;
}

/** A currency code that names no ISO 4217 currency with minor units: its amounts cannot be counted. */
export class UnknownCurrencyError extends Error {
  override readonly name = 'UnknownCurrencyError';
  constructor(readonly currency: string) {
    super(
      `${JSON.stringify(currency)} is not an ISO 4217 currency with minor units; its amounts cannot be converted`,
    );
  }
}

/*
 * ISO 4217 minor units (list one as published by SIX on 2026-01-01, plus codes withdrawn since 2008 that old Clio
 * records may still carry). Written down here rather than taken from `Intl.NumberFormat(...).resolvedOptions()
 * .maximumFractionDigits`: that is CLDR's display precision, not ISO's minor unit, and in Node 20 (ICU 78) it differs
 * for 17 current currencies (IQD 0 against ISO's 3; AFN, ALL, COP, HUF, IDR, IRR, KPW, LAK, LBP, MGA, MMK, PKR, SOS,
 * SYP, YER 0 against 2), answers 2 for any unknown but well-formed code, and moves with the runtime's ICU data, so
 * the integers of the contract would change meaning with a Node upgrade. Codes with no minor unit in ISO 4217
 * (gold, silver, SDR, test and "no currency" codes: XAU, XDR, XTS, XXX, ...) are left out: they are not money a
 * bill is written in.
 */
const TWO_DECIMALS = [
  'AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW CNY',
  'COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS',
  'INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR',
  'MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP',
  'STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XAD XCD XCG YER ZAR ZMW ZWG',
  // Withdrawn, still on older records: Bulgarian lev, kuna, Antillean guilder, convertible peso, leone (old),
  // Zimbabwe dollar, bolívar fuerte, ouguiya and dobra (old), litas, lats, kroon.
  'BGN HRK ANG CUC SLL ZWL VEF MRO STD LTL LVL EEK',
];
const OTHER_DECIMALS: Record<number, string> = {
  0: 'BIF BYR CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF',
  3: 'BHD IQD JOD KWD LYD OMR TND',
  4: 'CLF UYW',
};

const MINOR_UNITS: ReadonlyMap<string, number> = new Map([
  ...TWO_DECIMALS.flatMap((line) => line.split(' ').map((code): [string, number] => [code, 2])),
  ...Object.entries(OTHER_DECIMALS).flatMap(([digits, codes]) =>
    codes.split(' ').map((code): [string, number] => [code, Number(digits)]),
  ),
]);

/** The currency's code as ISO 4217 writes it (upper case); throws UnknownCurrencyError for any other code. */
export function currencyCode(currency: string): string {
  const code = currency.toUpperCase();
  if (!MINOR_UNITS.has(code)) throw new UnknownCurrencyError(currency);
  return code;
}

/** How many decimals the currency's minor unit has (ISO 4217): USD 2, JPY 0, KWD 3, CLF 4. */
export function minorUnitsOf(currency: string): number {
  return MINOR_UNITS.get(currencyCode(currency)) as number;
}

/**
 * Clio sends money as decimal numbers (`1234.5`). Converting through the decimal string, not `x * 100`,
 * keeps 1.005 or 0.29 from landing a cent off through binary floating point. The string is the shortest one that
 * reads back as the same number (what Clio wrote in its JSON), so the amount is rounded to the minor unit once: a
 * fixed number of places first (`toFixed(6)`) would round 1.0049999999 to 1.005 and then up to 1.01.
 */
function decimalText(value: number): string {
  const text = String(value);
  // Exponent forms: tiny amounts (1e-7) in plain digits; a number past 1e21 is no amount and is refused below.
  return /e-/i.test(text) ? value.toFixed(20) : text;
}

/**
 * A Clio decimal amount as integer minor units of `currency`, rounded once, half away from zero (as accountants
 * round), at the currency's own last decimal: 123.45 USD → 12345, 1000.5 JPY → 1001, -1.2345 KWD → -1235.
 */
export function decimalToMinorUnits(value: number | string, currency: string): number {
  const digits = minorUnitsOf(currency);
  const text = typeof value === 'number' ? decimalText(value) : value.trim();
  const m = /^(-)?(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || !/\d/.test(`${m[2]}${m[3] ?? ''}`)) throw new Error(`not a decimal amount: ${text}`);
  const frac = (m[3] ?? '').padEnd(digits + 1, '0');
  // Whole and kept decimals as one digit string: exact while it stays a safe integer (checked below).
  const units = Number(`${m[2] || '0'}${frac.slice(0, digits)}`) + (Number(frac[digits]) >= 5 ? 1 : 0);
  if (!Number.isSafeInteger(units))
    throw new RangeError(`${text} ${currency} is too large to count in exact minor units`);
  return m[1] && units !== 0 ? -units : units;
}

/**
 * Integer minor units of `currency` back as the decimal Clio takes in a write (12345 USD → 123.45, 1000 JPY →
 * 1000, -1235 KWD → -1.235), with the same digits as decimalToMinorUnits; refused when the number could not carry
 * the amount exactly.
 */
export function minorUnitsToDecimal(amount: number, currency: string): number {
  const digits = minorUnitsOf(currency);
  if (!Number.isSafeInteger(amount))
    throw new RangeError(`${amount} is not a whole number of minor units that can be counted exactly`);
  const padded = String(Math.abs(amount)).padStart(digits + 1, '0');
  const text = digits === 0 ? padded : `${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
  const decimal = Number(amount < 0 ? `-${text}` : text);
  if (decimalToMinorUnits(decimal, currency) !== amount)
    throw new RangeError(`${amount} minor units of ${currency} do not fit a decimal number exactly`);
  return decimal;
}

/** Clio's decimal amount as Money: minor units of the currency (see Money), the code in upper case. */
export function money(value: number | string, currency: string): Money {
  return { amountCents: decimalToMinorUnits(value, currency), currency: currencyCode(currency) };
}
