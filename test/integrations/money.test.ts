import { decimalToCents } from '../../src/domain/clio/money';

describe('decimalToCents', () => {
  it.each([
    [172, 17200],
    [1234.5, 123450],
    [0.29, 29],
    [1.005, 101],
    [-12.34, -1234],
    ['99.999', 10000],
    [0, 0],
  ])('when Clio sends %p, then %i cents', (input, cents) => {
    expect(decimalToCents(input)).toBe(cents);
  });
});
