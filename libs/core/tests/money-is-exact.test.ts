import { FEMTO_PER_USD, formatUsd, parseUsd, usdToNumber, UsageError } from '../src';

describe('Money is exact decimal arithmetic in femto-dollars', () => {
  it('parses and prints decimals without rounding', () => {
    expect(parseUsd('0.00000000875')).toBe(8_750_000n);
    expect(parseUsd('3')).toBe(3n * FEMTO_PER_USD);
    expect(formatUsd(parseUsd('0.0000175'))).toBe('0.0000175');
    expect(formatUsd(0n)).toBe('0');
    expect(formatUsd(parseUsd('-1.5'))).toBe('-1.5');
    expect(formatUsd(parseUsd('12.000'))).toBe('12');
  });

  it('sums one million small costs to the exact decimal', () => {
    // Prepare: a Nova Micro cache read (0.00875 USD per 1M tokens) of one token, and 7 tokens of input at 0.035/1M
    const cacheRead = parseUsd('0.00875') / 1_000_000n;
    const input7 = (parseUsd('0.035') * 7n) / 1_000_000n;
    // Act
    let total = 0n;
    for (let i = 0; i < 1_000_000; i++) total += i % 2 === 0 ? cacheRead : input7;
    // Assess: 500k × 8.75e-9 + 500k × 2.45e-7 = 0.004375 + 0.1225
    expect(formatUsd(total)).toBe('0.126875');
    // and the float sum is not exact, which is why Money exists
    let float = 0;
    for (let i = 0; i < 1_000_000; i++) float += i % 2 === 0 ? 0.00875 / 1e6 : (0.035 * 7) / 1e6;
    expect(float).not.toBe(0.126875);
  });

  it('rounds only for display, half away from zero', () => {
    expect(formatUsd(parseUsd('0.125'), { fractionDigits: 2 })).toBe('0.13');
    expect(formatUsd(parseUsd('-0.125'), { fractionDigits: 2 })).toBe('-0.13');
    expect(formatUsd(parseUsd('0.001'), { fractionDigits: 2 })).toBe('0.00');
    expect(usdToNumber(parseUsd('1.5'))).toBe(1.5);
  });

  it('rejects what is not a decimal, naming the value', () => {
    expect(() => parseUsd('1e-9')).toThrow(/"1e-9" is not a decimal/);
    expect(() => parseUsd('0.0000000000000001')).toThrow(UsageError);
    expect(() => parseUsd('')).toThrow(/is not a decimal/);
  });
});
