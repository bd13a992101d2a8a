import { parseArgs } from 'node:util';

import type { ThroughputGranularity } from '@bedrock-usage/analyzer';

import { type CommandDeps, parseChoice, parsePositiveInt } from '../cli-args';
import { CliError, type CliIo, table } from '../cli-io';
import { statusIo, withSpinner } from '../cli-progress';

export const THROUGHPUT_HELP = `Usage: npm run -s cli -- throughput [--granularity 5min] [--hours 24] [--json]

Performance Monitoring, "Throughput Analysis": requests and requests per second per bucket over the last N hours
up to now (buckets aligned to the granularity; the first and last are divided by their part inside the window),
from the per-minute counts of the hourly aggregates.
  --granularity G   1min, 5min or 1h (default 5min)
  --hours N         hours to look back (default 24, at most 8784; at most 20000 buckets)
  --json            one JSON document: {granularity, lookbackHours, requests, peak, points: [{timestamp,
                    requests, requestsPerSecond}]}`;

const GRANULARITIES: readonly ThroughputGranularity[] = ['1min', '5min', '1h'];
const MINUTES: Record<ThroughputGranularity, number> = { '1min': 1, '5min': 5, '1h': 60 };
const MAX_BUCKETS = 20_000;
const BAR_WIDTH = 30;

/** `throughput`: requests per second per bucket. */
export async function throughputCommand(argv: readonly string[], { openStore }: CommandDeps, io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: { granularity: { type: 'string', default: '5min' }, hours: { type: 'string', default: '24' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.out(THROUGHPUT_HELP);
    return 0;
  }
  const granularity = parseChoice('--granularity', values.granularity, GRANULARITIES);
  const lookbackHours = parsePositiveInt('--hours', values.hours, 8784);
  const buckets = Math.ceil((lookbackHours * 60) / MINUTES[granularity]);
  if (buckets > MAX_BUCKETS) {
    throw new CliError(`--hours "${values.hours}" with --granularity "${granularity}" is ${buckets} buckets — use at most ${MAX_BUCKETS} (fewer hours or a coarser granularity)`);
  }
  const { analyzer } = await openStore();
  const points = await withSpinner(statusIo(io, values.json), `throughput: counting ${lookbackHours} h of requests`, () => analyzer.getThroughputMetrics({ granularity, lookbackHours }));
  const requests = points.reduce((sum, p) => sum + p.requests, 0);
  const peak = points.reduce<(typeof points)[number] | null>((best, p) => (p.requests > 0 && (best === null || p.requestsPerSecond > best.requestsPerSecond) ? p : best), null);
  if (values.json) {
    io.out(JSON.stringify({ granularity, lookbackHours, requests, peak, points }));
    return 0;
  }
  const seconds = lookbackHours * 3600;
  io.out(`last ${lookbackHours} h in ${granularity} buckets: ${requests} requests, ${(requests / seconds).toFixed(3)} req/s on average${peak ? `, peak ${peak.requestsPerSecond.toFixed(3)} req/s at ${peak.timestamp}` : ''}\n`);
  const top = peak?.requestsPerSecond ?? 0;
  io.out(
    table([
      ['bucket', 'requests', 'req/s', ''],
      ...points.map((p) => [p.timestamp, String(p.requests), p.requestsPerSecond.toFixed(3), top > 0 ? '▇'.repeat(Math.round((p.requestsPerSecond / top) * BAR_WIDTH)) : '']),
    ]),
  );
  if (requests === 0) io.out(`\nNo requests in the last ${lookbackHours} h. Seed demo data (the days before today) with: npm run -s cli -- seed-demo`);
  return 0;
}
