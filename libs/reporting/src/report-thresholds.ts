import { formatUsd, parseUsd, UsageError, type Money } from '@bedrock-usage/core';

/**
 * The seed's cost alarms as report thresholds: a day whose total is above `dailyCost`, an hour above `hourlyCost`
 * (exact decimal USD strings; "above" is strictly greater, like the alarms' `GreaterThanThreshold`).
 *
 * @example
 * const thresholds: ReportThresholds = { dailyCost: '100', hourlyCost: '10' };
 */
export interface ReportThresholds {
  /** @default "100" (BedrockUsage-DailyCostHigh) */
  readonly dailyCost: string;
  /** @default "10" (BedrockUsage-HourlyCostSpike) */
  readonly hourlyCost: string;
}

/**
 * The seed's thresholds: daily > $100, hourly > $10.
 *
 * @example
 * const thresholds = { ...DEFAULT_REPORT_THRESHOLDS, dailyCost: '250' };
 */
export const DEFAULT_REPORT_THRESHOLDS: ReportThresholds = Object.freeze({ dailyCost: '100', hourlyCost: '10' });

/**
 * One threshold the report's day crossed: the whole day, or one hour (ISO start of the hour).
 *
 * @example
 * const text = breach.kind === 'daily' ? `day $${breach.cost} > $${breach.threshold}` : `${breach.hour} $${breach.cost}`;
 */
export type ThresholdBreach =
  | { readonly kind: 'daily'; readonly cost: string; readonly threshold: string }
  | { readonly kind: 'hourly'; readonly hour: string; readonly cost: string; readonly threshold: string };

/**
 * Validates thresholds (non-negative exact decimals); throws `UsageError('INVALID_INPUT')` naming the field.
 *
 * @example
 * const thresholds = parseReportThresholds({ dailyCost: '100', hourlyCost: '10' });
 */
export function parseReportThresholds(thresholds: ReportThresholds): { readonly dailyCost: Money; readonly hourlyCost: Money } {
  return { dailyCost: nonNegative('dailyCost', thresholds.dailyCost), hourlyCost: nonNegative('hourlyCost', thresholds.hourlyCost) };
}

/**
 * The breaches of a day: its total above the daily threshold, and each hour above the hourly one (in hour order).
 * Exact comparisons on femto-dollars.
 *
 * @example
 * findThresholdBreaches('120.5', [{ date: '2025-03-11T09:00:00.000Z', cost: '11' }], DEFAULT_REPORT_THRESHOLDS);
 * // [{ kind: 'daily', cost: '120.5', threshold: '100' }, { kind: 'hourly', hour: '2025-03-11T09:00:00.000Z', cost: '11', threshold: '10' }]
 */
export function findThresholdBreaches(
  dailyCost: string,
  hours: readonly { readonly date: string; readonly cost: string }[],
  thresholds: ReportThresholds,
): ThresholdBreach[] {
  const limits = parseReportThresholds(thresholds);
  const breaches: ThresholdBreach[] = [];
  if (parseUsd(dailyCost) > limits.dailyCost) breaches.push({ kind: 'daily', cost: dailyCost, threshold: formatUsd(limits.dailyCost) });
  for (const hour of hours) {
    if (parseUsd(hour.cost) > limits.hourlyCost) breaches.push({ kind: 'hourly', hour: hour.date, cost: hour.cost, threshold: formatUsd(limits.hourlyCost) });
  }
  return breaches;
}

function nonNegative(field: string, value: string): Money {
  let amount: Money;
  try {
    amount = parseUsd(value);
  } catch (error) {
    throw new UsageError('INVALID_INPUT', `${field} threshold "${value}" is not a decimal number of dollars — write it like "100" or "12.5"`, { cause: error });
  }
  if (amount < 0n) throw new UsageError('INVALID_INPUT', `${field} threshold "${value}" is negative — use 0 or more dollars`);
  return amount;
}
