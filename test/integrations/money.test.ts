import {
  decimalToMinorUnits,
  minorUnitsOf,
  minorUnitsToDecimal,
  money,
  UnknownCurrencyError,
} from '../../src/domain/clio/money';
import { bankTransactionSchema, billSchema } from '../../src/integrations/clio/resources/billing';

describe('decimalToMinorUnits: Clio decimals to the currency’s minor units, rounded once', () => {
  it.each([
    [172, 'USD', 17200],
    [123.45, 'USD', 12345],
    [1234.5, 'USD', 123450],
    [0.29, 'USD', 29],
    [1.005, 'USD', 101],
    [-12.34, 'USD', -1234],
    ['99.999', 'USD', 10000],
    [0, 'USD', 0],
    // No minor unit: one yen is the unit, and half a yen rounds away from zero.
    [1000, 'JPY', 1000],
    [1000.5, 'JPY', 1001],
    [-1000.5, 'JPY', -1001],
    [1000.4999, 'JPY', 1000],
    ['1500000', 'KRW', 1500000],
    // Three decimals: fils, rounded at the fourth decimal, half away from zero.
    [1.2345, 'KWD', 1235],
    [-1.2345, 'KWD', -1235],
    [1.2344999, 'KWD', 1234],
    [12.5, 'BHD', 12500],
    ['0.001', 'OMR', 1],
    [7.0005, 'TND', 7001],
    [3.14159, 'JOD', 3142],
    // Four decimals (Chile's Unidad de Fomento).
    [1.23455, 'CLF', 12346],
  ])('when Clio sends %p %s, then it is %i minor units', (input, currency, units) => {
    expect(decimalToMinorUnits(input, currency)).toBe(units);
  });

  it('when the amount is past what an integer holds exactly, then it is refused, not approximated', () => {
    expect(() => decimalToMinorUnits('90071992547409.93', 'USD')).toThrow(/exact/);
    expect(() => decimalToMinorUnits(1e21, 'USD')).toThrow(/not a decimal amount/);
  });

  it('when the text holds no digit, then it is no amount', () => {
    expect(() => decimalToMinorUnits('.', 'USD')).toThrow(/not a decimal amount/);
    expect(() => decimalToMinorUnits('-', 'USD')).toThrow(/not a decimal amount/);
  });
});

describe('minorUnitsOf: ISO 4217 minor units', () => {
  it.each([
    ['USD', 2],
    ['EUR', 2],
    ['JPY', 0],
    ['KRW', 0],
    ['KWD', 3],
    ['BHD', 3],
    ['JOD', 3],
    ['OMR', 3],
    ['TND', 3],
    ['CLF', 4],
    // Where the runtime's Intl (CLDR display digits) says otherwise, ISO 4217 is what minor units mean.
    ['IQD', 3],
    ['COP', 2],
    ['HUF', 2],
    ['IDR', 2],
    ['PKR', 2],
    // A code withdrawn recently still names old records.
    ['HRK', 2],
  ])('%s has %i', (currency, digits) => {
    expect(minorUnitsOf(currency)).toBe(digits);
  });

  it.each(['XYZ', 'US', '', 'XAU', 'XXX', 'usd '])(
    'when the code %p is no ISO 4217 currency with minor units, then it is a clear error, never a silent ×100',
    (currency) => {
      expect(() => minorUnitsOf(currency)).toThrow(UnknownCurrencyError);
      expect(() => money(10, currency)).toThrow(/ISO 4217/);
    },
  );

  it('when a code comes in lower case, then it is the same currency', () => {
    expect(money('1000', 'jpy')).toEqual({ amountCents: 1000, currency: 'JPY' });
  });
});

describe('minorUnitsToDecimal: minor units back to the decimal Clio takes in writes', () => {
  it.each([
    [12345, 'USD', 123.45],
    [5, 'USD', 0.05],
    [-1234, 'USD', -12.34],
    [1000, 'JPY', 1000],
    [1001, 'JPY', 1001],
    [1235, 'KWD', 1.235],
    [-1235, 'KWD', -1.235],
    [1, 'OMR', 0.001],
    [12346, 'CLF', 1.2346],
    [0, 'KWD', 0],
  ])('%i minor units of %s are %p', (units, currency, decimal) => {
    expect(minorUnitsToDecimal(units, currency)).toBe(decimal);
    // And back: the same digits both ways.
    expect(decimalToMinorUnits(minorUnitsToDecimal(units, currency), currency)).toBe(units);
  });

  it('when the minor units are no safe integer, then nothing is sent', () => {
    expect(() => minorUnitsToDecimal(12.5, 'USD')).toThrow(RangeError);
    expect(() => minorUnitsToDecimal(2 ** 53, 'USD')).toThrow(RangeError);
    expect(() => minorUnitsToDecimal(100, 'XYZ')).toThrow(UnknownCurrencyError);
  });
});

describe('money', () => {
  it.each([
    [123.45, 'USD', 12345],
    [1000, 'JPY', 1000],
    [1000.5, 'JPY', 1001],
    [1.2345, 'KWD', 1235],
    [-1.2345, 'KWD', -1235],
  ])('%p %s is %i minor units of that currency', (value, currency, units) => {
    expect(money(value, currency)).toEqual({ amountCents: units, currency });
  });
});

describe('Clio records in other currencies', () => {
  it('when a bill is in yen or dinars, then each amount is counted in that currency’s minor units', () => {
    const yen = billSchema('USD').parse({ id: 1, state: 'draft', total: 1000.5, currency: { code: 'JPY' } });
    expect(yen.total).toEqual({ amountCents: 1001, currency: 'JPY' });
    const dinars = billSchema('USD').parse({
      id: 2,
      state: 'draft',
      balance: -1.2345,
      currency: { code: 'KWD' },
    });
    expect(dinars.balance).toEqual({ amountCents: -1235, currency: 'KWD' });
  });

  it('when a trust withdrawal is in dinars, then it is negative fils', () => {
    const t = bankTransactionSchema('USD').parse({ id: 3, funds_out: 1.2345, currency: 'KWD' });
    expect(t.amount).toEqual({ amountCents: -1235, currency: 'KWD' });
  });

  it('when Clio names a currency that is not ISO 4217, then the record is refused naming the code', () => {
    const parsed = billSchema('USD').safeParse({
      id: 4,
      state: 'draft',
      total: 10,
      currency: { code: 'XYZ' },
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues).toEqual([
      expect.objectContaining({ path: ['currency'], message: expect.stringMatching(/"XYZ".*ISO 4217/) }),
    ]);
  });
});
