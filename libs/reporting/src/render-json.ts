import type { DailyReport } from './daily-report';

/**
 * The report as a JSON document (the {@link DailyReport} object itself, 2-space indented, newline-terminated):
 * money stays exact decimal strings, so `JSON.parse(json).daily` equals the analyzer's report.
 *
 * @example
 * const body = renderDailyReportJson(report);
 * JSON.parse(body).daily.totalCost === report.daily.totalCost; // true
 */
export function renderDailyReportJson(report: DailyReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
