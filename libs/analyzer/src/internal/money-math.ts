import type { Money } from '@bedrock-usage/core';

/** `numerator / denominator` rounded half away from zero to the femto-dollar; null when the denominator is 0. */
export function divideRounded(numerator: Money, denominator: bigint): Money | null {
  if (denominator === 0n) return null;
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const q = (n * 2n + d) / (2n * d);
  return negative ? -q : q;
}

/** Percentage change from `before` to `after`, exact then rounded half away from zero to 2 decimals ("12.50"); null when `before` is 0. */
export function growthPercent(before: Money, after: Money): string | null {
  if (before === 0n) return null;
  const hundredths = divideRounded((after - before) * 10_000n, before) ?? 0n;
  const negative = hundredths < 0n;
  const abs = negative ? -hundredths : hundredths;
  return `${negative ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}
