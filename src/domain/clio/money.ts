/** An amount in integer minor units (cents) with its ISO currency: never a float in the service. */
export interface Money {
  amountCents: number;
  currency: string;
}

/**
 * Clio sends money as decimal numbers (`1234.5`). Converting through the decimal string, not `x * 100`,
 * keeps 1.005 or 0.29 from landing a cent off through binary floating point. The string is the shortest one that
 * reads back as the same number (what Clio wrote in its JSON), so the amount is rounded to the cent once: a fixed
 * number of places first (`toFixed(6)`) would round 1.0049999999 to 1.005 and then up to 1.01.
 */
function decimalText(value: number): string {
  const text = String(value);
  // Exponent forms: tiny amounts (1e-7) in plain digits; a number past 1e21 is no amount and is refused below.
  return /e-/i.test(text) ? value.toFixed(20) : text;
}

export function decimalToCents(value: number | string): number {
  const text = typeof value === 'number' ? decimalText(value) : value.trim();
  const m = /^(-)?(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m) throw new Error(`not a decimal amount: ${text}`);
  const whole = Number(m[2] || '0');
  const frac = (m[3] ?? '').padEnd(3, '0');
  // Half away from zero on the third decimal, as accountants round.
  const cents = whole * 100 + Number(frac.slice(0, 2)) + (Number(frac[2]) >= 5 ? 1 : 0);
  return m[1] && cents !== 0 ? -cents : cents;
}

export function money(value: number | string, currency: string): Money {
  return { amountCents: decimalToCents(value), currency };
}
