import { parseUsd } from '@bedrock-usage/core';

import type { DailyReport } from './daily-report';
import { byCostDescending, cents } from './internal/format';
import type { ReportMessage } from './report-notifier.port';

/**
 * Where the renderings of one report were stored (paths or URIs).
 *
 * @example
 * const locations: ReportLocations = { html: '/srv/reports/daily-cost-report-2025-03-11.html', markdown: '…md', json: '…json' };
 */
export interface ReportLocations {
  readonly html: string;
  readonly markdown: string;
  readonly json: string;
}

/**
 * The notifier's message: date, total, the top 3 agents, breaches, restatement, uncosted usage and where the
 * report is. Plain text, ASCII subject (SNS rejects others), no data beyond ids and figures.
 *
 * @example
 * const { subject, text } = formatReportSummary(report, locations);
 * // subject: "Bedrock usage 2025-03-11: $120.50 - daily threshold crossed"
 */
export function formatReportSummary(report: DailyReport, locations: ReportLocations): ReportMessage {
  const { daily } = report;
  const daily_ = report.breaches.find((b) => b.kind === 'daily');
  const hours = report.breaches.filter((b) => b.kind === 'hourly');
  const status = daily_ ? 'daily threshold crossed' : hours.length > 0 ? `${hours.length} hour(s) above threshold` : 'within thresholds';
  const lines = [
    `Bedrock usage daily cost report ${report.date} (UTC)`,
    `Total: $${daily.totalCost} (${cents(daily.totalCost)}), ${daily.requestCount} requests, ${daily.totalTokens} tokens, ${daily.errorCount} errors`,
  ];
  const top = byCostDescending(daily.breakdown.byAgent, (line) => line.cost).slice(0, 3);
  if (top.length > 0) lines.push(`Top agents: ${top.map(([agent, line]) => `${oneLine(agent)} ${cents(line.cost)}`).join(', ')}`);
  if (daily_) lines.push(`BREACH: daily total $${daily.totalCost} > $${daily_.threshold}`);
  for (const hour of hours) if (hour.kind === 'hourly') lines.push(`BREACH: hour ${hour.hour.slice(11, 16)} UTC $${hour.cost} > $${hour.threshold}`);
  if (report.breaches.length === 0) lines.push(`Thresholds: none crossed (daily > $${report.thresholds.dailyCost}, hourly > $${report.thresholds.hourlyCost})`);
  if (daily.restated) lines.push(`Restated: late events changed this day after it closed (${daily.restatedAt ?? ''})`);
  if (daily.unpriced.requests > 0 || daily.provisioned.requests > 0) lines.push(`Not in the total: ${daily.unpriced.requests} unpriced and ${daily.provisioned.requests} provisioned requests`);
  lines.push(`Report: ${locations.html}`, `Also: ${locations.markdown}, ${locations.json}`);
  const subject = `Bedrock usage ${report.date}: ${cents(daily.totalCost)} - ${status}${parseUsd(daily.totalCost) === 0n && daily.requestCount === 0 ? ' (no usage)' : ''}`;
  return { subject: subject.slice(0, 100), text: `${lines.join('\n')}\n` };
}

function oneLine(value: string): string {
  // eslint-disable-next-line no-control-regex -- control characters from data must not reach a chat or an SMS
  const flat = value.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 59)}…` : flat;
}
