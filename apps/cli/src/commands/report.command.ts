import { parseArgs } from 'node:util';

import type { CostLine } from '@bedrock-usage/analyzer';

import { addDays, type CommandDeps, parseDay } from '../cli-args';
import { CliError, type CliIo, table } from '../cli-io';

export const REPORT_HELP = `Usage: npm run -s cli -- report daily [--date YYYY-MM-DD] [--json]

Runbook 1, the daily cost report: total cost (exact USD), tokens, requests, errors by code, and the cost by agent,
by model and by incident, from the hourly aggregates of that UTC day.
  --date D   the UTC day (default: yesterday)
  --json     the report as one JSON document (money as exact decimal strings; totalCost = sum of
             breakdown.byAgent[*].cost = sum of breakdown.byModel[*].cost)`;

/** `report daily`: Runbook 1. */
export async function reportCommand(argv: readonly string[], { openStore }: CommandDeps, io: CliIo): Promise<number> {
  const [kind, ...rest] = argv;
  if (kind === '--help' || kind === '-h' || kind === 'help') {
    io.out(REPORT_HELP);
    return 0;
  }
  if (kind !== 'daily') throw new CliError(`report "${kind ?? ''}" is not a report — allowed: daily\n\n${REPORT_HELP}`);
  const { values } = parseArgs({ args: rest, strict: true, options: { date: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    io.out(REPORT_HELP);
    return 0;
  }
  const date = values.date === undefined ? undefined : parseDay('--date', values.date);
  const { analyzer, clock } = await openStore();
  const day = date ?? addDays(new Date(clock.now()).toISOString().slice(0, 10), -1);
  const report = await analyzer.generateDailyCostReport(day);
  if (values.json) {
    io.out(JSON.stringify(report));
    return 0;
  }
  io.out(
    table([
      ['date', `${report.date}${report.complete ? '' : ' (not closed yet: figures may still change)'}${report.restated ? ` (restated ${report.restatedAt})` : ''}`],
      ['total cost', `$${report.totalCost}`],
      ['tokens', String(report.totalTokens)],
      ['requests', `${report.requestCount} (${report.pricedRequests} priced, ${report.unpriced.requests} unpriced, ${report.provisioned.requests} provisioned)`],
      ['errors', `${report.errorCount}${Object.keys(report.errorsByCode).length ? ` — ${Object.entries(report.errorsByCode).map(([code, n]) => `${code} ${n}`).join(', ')}` : ''}`],
    ]),
  );
  for (const [title, lines] of [['agent', report.breakdown.byAgent], ['model', report.breakdown.byModel], ['incident', report.breakdown.byIncident]] as const) {
    io.out('');
    io.out(costTable(title, lines));
  }
  if (report.requestCount === 0) io.out(`\nNo usage on ${day}. Seed demo data with: npm run -s cli -- seed-demo`);
  return 0;
}

/** Rows of cost lines, most expensive first. */
export function costTable(title: string, lines: Readonly<Record<string, CostLine>>): string {
  const rows = Object.entries(lines).sort(([, a], [, b]) => Number(b.cost) - Number(a.cost));
  return table([[title, 'cost USD', 'tokens', 'requests', 'errors'], ...rows.map(([name, line]) => [name, line.cost, String(line.tokens), String(line.requests), String(line.errors)])]);
}
