import { UsageError } from '../errors';

/**
 * An exact amount of US dollars, as an integer count of femto-dollars (1e-15 USD).
 *
 * Why so fine: a Nova Micro cache read costs 8.75e-9 USD per token, so nano-dollars are too coarse;
 * every Bedrock price per million tokens with at most 9 decimals is a whole number of femto-dollars per token.
 * bigint never rounds, so sums of millions of events stay exact. Round only for display ({@link formatUsd}).
 */
export type Money = bigint;

/** Femto-dollars in one dollar. */
export const FEMTO_PER_USD = 1_000_000_000_000_000n;
const FRACTION_DIGITS = 15;
const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * Parses an exact decimal USD string ("3", "0.00875", "-1.5") into {@link Money}.
 * Throws a `UsageError('INVALID_DECIMAL')` that names the value when it is not a plain decimal
 * or has more than 15 fractional digits.
 *
 * @example
 * parseUsd('0.000003') // 3_000_000_000n
 */
export function parseUsd(value: string): Money {
  const match = DECIMAL.exec(value);
  if (!match) {
    throw new UsageError('INVALID_DECIMAL', `"${value}" is not a decimal number of dollars — write it like "3" or "0.00875"`);
  }
  const [, sign, whole, fraction = ''] = match;
  if (fraction.replace(/0+$/, '').length > FRACTION_DIGITS) {
    throw new UsageError('INVALID_DECIMAL', `"${value}" has more than ${FRACTION_DIGITS} decimal places — the smallest unit is 1e-15 USD`);
  }
  const femto = BigInt(whole) * FEMTO_PER_USD + BigInt(fraction.slice(0, FRACTION_DIGITS).padEnd(FRACTION_DIGITS, '0'));
  return sign ? -femto : femto;
}

/**
 * The exact decimal string of an amount, trailing zeros trimmed ("0.0000175", "12", "0").
 * With `fractionDigits`, rounds half away from zero to that many places and keeps them ("0.02").
 *
 * @example
 * formatUsd(17_500_000_000n) // "0.0000175"
 * formatUsd(17_500_000_000n, { fractionDigits: 2 }) // "0.00"
 */
export function formatUsd(amount: Money, options: { fractionDigits?: number } = {}): string {
  const negative = amount < 0n;
  let abs = negative ? -amount : amount;
  const digits = options.fractionDigits;
  if (digits !== undefined) {
    const unit = 10n ** BigInt(FRACTION_DIGITS - digits);
    abs = ((abs + unit / 2n) / unit) * unit;
  }
  const whole = abs / FEMTO_PER_USD;
  let fraction = (abs % FEMTO_PER_USD).toString().padStart(FRACTION_DIGITS, '0');
  fraction = digits === undefined ? fraction.replace(/0+$/, '') : fraction.slice(0, digits);
  const text = fraction ? `${whole}.${fraction}` : `${whole}`;
  return negative && abs !== 0n ? `-${text}` : text;
}

/**
 * The amount as a JavaScript number of dollars — only for formats that demand a float
 * (CloudWatch values, the numeric log field); never sum these.
 *
 * @example
 * usdToNumber(1_500_000_000_000_000n) // 1.5
 */
export function usdToNumber(amount: Money): number {
  return Number(formatUsd(amount));
}
