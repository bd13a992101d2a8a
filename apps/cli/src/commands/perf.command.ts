import { parseArgs } from 'node:util';

import type { LatencySummary, PerformanceMetrics } from '@bedrock-usage/analyzer';

import { type CommandDeps, parseIsoTime, parsePositiveInt } from '../cli-args';
import { CliError, type CliIo, table } from '../cli-io';
import { statusIo, withSpinner } from '../cli-progress';

export const PERF_HELP = `Usage: npm run -s cli -- perf [--hours 1 | --from ISO --to ISO] [--json]

Performance Monitoring and Runbook 2 ("API error rate spike", high API latency): API latency (the tracked client's
wall clock) and Bedrock's own invocation latency — avg, p50, p95, p99 (≈ 1 % relative error), min, max — overall,
per agent and per model, and the error rate, over a window: whole hours from the hourly aggregates, partial hours
from the events. KPIs from the spec: p95 API latency < 2 s, error rate < 1 %.
Logging latency is a health metric, not stored per event: read it in CloudWatch (LoggingLatency).
  --hours N          the last N hours up to now (default 1, at most 8784)
  --from T --to T    a past window instead, [from, to): ISO-8601 with a zone (2025-03-11T09:00:00Z) or a day
                     (its UTC midnight); at most 366 days — seeded demo data lives on past days
  --json             one JSON document: the analyzer's PerformanceMetrics (latencies in ms, null without data;
                     errorRate a fraction; loggingLatency null)`;

const LOGGING_LATENCY_NA = 'n/a (health metric, see CloudWatch LoggingLatency)';
const P95_KPI_MS = 2000;
const ERROR_RATE_KPI = 0.01;

/** `perf`: latency percentiles and error rate over a window. */
export async function perfCommand(argv: readonly string[], { openStore }: CommandDeps, io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: { hours: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.out(PERF_HELP);
    return 0;
  }
  const window = perfWindow(values);
  const { analyzer, clock } = await openStore();
  const now = clock.now();
  const startTime = window.kind === 'past' ? window.from : new Date(now - window.hours * 3_600_000).toISOString();
  const endTime = window.kind === 'past' ? window.to : new Date(now).toISOString();
  const perf = await withSpinner(statusIo(io, values.json), 'perf: reading latencies', () => analyzer.getPerformanceMetrics({ startTime, endTime }));
  if (values.json) {
    io.out(JSON.stringify(perf));
    return 0;
  }
  printPerf(perf, io);
  return 0;
}

export type PerfWindow = { readonly kind: 'recent'; readonly hours: number } | { readonly kind: 'past'; readonly from: string; readonly to: string };

export function perfWindow(values: { hours?: string; from?: string; to?: string }, command = 'perf', help = PERF_HELP): PerfWindow {
  if (values.from === undefined && values.to === undefined) return { kind: 'recent', hours: parsePositiveInt('--hours', values.hours ?? '1', 8784) };
  if (values.hours !== undefined) throw new CliError(`--hours "${values.hours}" and --from/--to both given — use --hours N for the last N hours, or --from and --to for a past window`);
  if (values.from === undefined || values.to === undefined) throw new CliError(`${command} needs both --from and --to for a past window (got only ${values.from === undefined ? '--to' : '--from'})\n\n${help}`);
  const from = parseIsoTime('--from', values.from);
  const to = parseIsoTime('--to', values.to);
  if (!(from < to)) throw new CliError(`--from "${values.from}" is not before --to "${values.to}" — use a window with from < to`);
  if (Date.parse(to) - Date.parse(from) > 366 * 86_400_000) throw new CliError(`--from "${values.from}" --to "${values.to}" spans more than 366 days — use a shorter window`);
  return { kind: 'past', from, to };
}

function printPerf(perf: PerformanceMetrics, io: CliIo): void {
  const errors = Math.round(perf.errorRate * perf.requests);
  const p95 = perf.p95ApiLatency;
  io.out(
    table([
      ['window', `${perf.startTime} … ${perf.endTime}`],
      ['requests', String(perf.requests)],
      ['error rate', `${percent(perf.errorRate)} (${errors} errors)`],
      ['KPI p95 API < 2 s', p95 === null ? '— (no data)' : p95 < P95_KPI_MS ? `met (${ms(p95)} ms)` : `MISSED (${ms(p95)} ms)`],
      ['KPI errors < 1 %', perf.requests === 0 ? '— (no data)' : perf.errorRate < ERROR_RATE_KPI ? 'met' : `MISSED (${percent(perf.errorRate)})`],
      ['logging latency', perf.loggingLatency === null ? LOGGING_LATENCY_NA : `avg ${ms(perf.loggingLatency.avg)} ms, p95 ${ms(perf.loggingLatency.p95)} ms`],
    ]),
  );
  io.out('');
  io.out(table([['latency ms', 'avg', 'p50', 'p95', 'p99', 'min', 'max', 'count'], summaryRow('API', perf.apiLatency), summaryRow('Bedrock', perf.bedrockLatency)]));
  for (const [title, groups] of [['agent', perf.byAgent], ['model', perf.byModel]] as const) {
    io.out('');
    io.out(
      table([
        [title, 'requests', 'API avg', 'API p50', 'API p95', 'API p99', 'Bedrock avg', 'Bedrock p50', 'Bedrock p95', 'Bedrock p99'],
        ...Object.entries(groups).map(([name, g]) => [
          name,
          String(g.apiLatency.count),
          ms(g.apiLatency.avg),
          ms(g.apiLatency.p50),
          ms(g.apiLatency.p95),
          ms(g.apiLatency.p99),
          ms(g.bedrockLatency.avg),
          ms(g.bedrockLatency.p50),
          ms(g.bedrockLatency.p95),
          ms(g.bedrockLatency.p99),
        ]),
      ]),
    );
  }
  if (perf.requests === 0) io.out(`\nNo usage in this window. Seeded demo data lives on past days: perf --from YYYY-MM-DD --to YYYY-MM-DD`);
}

function summaryRow(name: string, s: LatencySummary): string[] {
  return [name, ms(s.avg), ms(s.p50), ms(s.p95), ms(s.p99), ms(s.min), ms(s.max), String(s.count)];
}

/** Milliseconds with one decimal, `—` without data. */
export function ms(value: number | null): string {
  return value === null ? '—' : value.toFixed(1);
}

/** A fraction as a percentage with two decimals. */
export function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(2)} %`;
}
