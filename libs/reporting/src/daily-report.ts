import type { CacheEfficiency, CostAnalyzer, DailyCostReport, ModelEfficiency, PerformanceMetrics, TrendPoint } from '@bedrock-usage/analyzer';
import { UsageError } from '@bedrock-usage/core';

import { findThresholdBreaches, type ReportThresholds, type ThresholdBreach } from './report-thresholds';

/**
 * What a daily report reads: the `CostAnalyzer` methods it calls (a `CostAnalyzer` is one).
 *
 * @example
 * const source: DailyReportSource = analyzer;
 */
export type DailyReportSource = Pick<CostAnalyzer, 'generateDailyCostReport' | 'getCostTrends' | 'getPerformanceMetrics' | 'getCacheEfficiency' | 'getModelEfficiency'>;

/**
 * The version tag of the JSON document; a reader checks it before relying on the shape.
 *
 * @example
 * if (json.schema !== DAILY_REPORT_SCHEMA) throw new Error(`unknown report ${json.schema}`);
 */
export const DAILY_REPORT_SCHEMA = 'bedrock-usage.daily-report/1';

/**
 * The daily report's model: everything the HTML, Markdown and JSON renderings show, as the analyzer returned it
 * (money as exact decimal USD strings). The JSON document is this object.
 *
 * @example
 * const report: DailyReport = await buildDailyReport(analyzer, '2025-03-11', { thresholds: DEFAULT_REPORT_THRESHOLDS, generatedAt: new Date().toISOString() });
 * report.daily.totalCost; // "84.219"
 */
export interface DailyReport {
  readonly schema: typeof DAILY_REPORT_SCHEMA;
  /** The UTC day, `YYYY-MM-DD`. */
  readonly date: string;
  /** When the report was built (ISO). */
  readonly generatedAt: string;
  /** The thresholds the report was checked against. */
  readonly thresholds: ReportThresholds;
  /** Daily total above `thresholds.dailyCost`, hours above `thresholds.hourlyCost`. */
  readonly breaches: readonly ThresholdBreach[];
  /** `generateDailyCostReport(date)`, unchanged. */
  readonly daily: DailyCostReport;
  /** `getCostTrends({ startDate: date, endDate: date, granularity: 'hourly' }).points`: 24 points, zero-filled. */
  readonly hourly: readonly TrendPoint[];
  /** `getPerformanceMetrics` over [date 00:00, next day 00:00) UTC. */
  readonly performance: PerformanceMetrics;
  /** `getCacheEfficiency({ startDate: date, endDate: date })`. */
  readonly cache: CacheEfficiency;
  /** `getModelEfficiency({ startDate: date, endDate: date })`. */
  readonly modelEfficiency: ModelEfficiency;
}

/**
 * Options of {@link buildDailyReport}.
 *
 * @example
 * const options: BuildDailyReportOptions = { thresholds: DEFAULT_REPORT_THRESHOLDS, generatedAt: '2025-03-12T00:15:00.000Z' };
 */
export interface BuildDailyReportOptions {
  readonly thresholds: ReportThresholds;
  /** The build time written into the report (ISO). */
  readonly generatedAt: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Reads one UTC day from the analyzer (aggregates only, except the cache's unread-writes heuristic and the
 * performance window's edges) and checks it against the thresholds. No I/O of its own; rendering is separate.
 *
 * @example
 * const report = await buildDailyReport(analyzer, '2025-03-11', { thresholds: { dailyCost: '100', hourlyCost: '10' }, generatedAt: new Date().toISOString() });
 * const html = renderDailyReportHtml(report);
 */
export async function buildDailyReport(source: DailyReportSource, date: string, options: BuildDailyReportOptions): Promise<DailyReport> {
  if (!DAY.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) {
    throw new UsageError('INVALID_INPUT', `date "${date}" is not a UTC day — use YYYY-MM-DD, e.g. 2025-03-11`);
  }
  const range = { startDate: date, endDate: date };
  const start = `${date}T00:00:00.000Z`;
  const end = new Date(Date.parse(start) + 86_400_000).toISOString();
  const [daily, trends, performance, cache, modelEfficiency] = await Promise.all([
    source.generateDailyCostReport(date),
    source.getCostTrends({ ...range, granularity: 'hourly' }),
    source.getPerformanceMetrics({ startTime: start, endTime: end }),
    source.getCacheEfficiency(range),
    source.getModelEfficiency(range),
  ]);
  return {
    schema: DAILY_REPORT_SCHEMA,
    date,
    generatedAt: options.generatedAt,
    thresholds: { dailyCost: options.thresholds.dailyCost, hourlyCost: options.thresholds.hourlyCost },
    breaches: findThresholdBreaches(daily.totalCost, trends.points, options.thresholds),
    daily,
    hourly: trends.points,
    performance,
    cache,
    modelEfficiency,
  };
}
