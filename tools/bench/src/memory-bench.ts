import { once } from 'node:events';
import { join } from 'node:path';

import { sized, type BenchContext } from './bench-context';
import { atMost, ratio, type Figure } from './figures';
import type { OverloadConfig, OverloadOutcome } from './overload-protocol';
import { median } from './stats';
import { spawnTsxChild } from './tsx-child';

const PHASE = 'P6 memory';
/** The rate the default pipeline is sized for (its buffer of 1000 holds 5 s of it; tools/reliability's nominal load). */
const NOMINAL_RATE = 200;
const MB = 1024 * 1024;

/** Runs the overload child and resolves with its outcome. */
async function runOverloadChild(config: OverloadConfig): Promise<OverloadOutcome> {
  const child = spawnTsxChild('overload-child.ts', { BENCH_OVERLOAD: JSON.stringify(config) });
  child.stdin.end();
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: string) => (stdout += chunk));
  child.stderr.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-2000)));
  const [code] = (await once(child, 'exit')) as [number | null];
  const last = stdout.trim().split('\n').at(-1) ?? '';
  if (code !== 0 || !last.startsWith('{')) throw new Error(`P6: the overload child exited with ${code}: ${stderr.trim()}`);
  return JSON.parse(last) as OverloadOutcome;
}

/**
 * P6: peak RSS of a child process recording 10× the nominal rate (2000 events/s) for 60 s (quick: 5 s) into a
 * UsagePipeline whose store is down (always fails retryably) behind a GuardedSink, with a FileSpool: the bounded
 * buffer and the spool must keep memory flat. Bounded = the median RSS of the last 20 % of the run is at most
 * 1.25 × that of the first 20 %.
 *
 * @example
 * const figures = await runMemoryBench({ mode: 'quick', tempDir, log: () => undefined });
 */
export async function runMemoryBench(context: BenchContext): Promise<Figure[]> {
  const durationMs = sized(context, { quick: 5_000, standard: 60_000 });
  const outcome = await runOverloadChild({ spoolDir: join(context.tempDir, 'p6-spool'), ratePerSecond: 10 * NOMINAL_RATE, durationMs, sampleEveryMs: 100 });
  const fifth = Math.max(1, Math.floor(outcome.rssSamples.length / 5));
  const first = median(outcome.rssSamples.slice(0, fifth)) / MB;
  const last = median(outcome.rssSamples.slice(-fifth)) / MB;
  const growth = ratio(last, first);
  const detail = `${outcome.recorded.toLocaleString('en-US')} events at ${10 * NOMINAL_RATE}/s for ${durationMs / 1000} s, store down`;
  context.log(`P6: peak RSS ${Math.round(outcome.maxRssBytes / MB)} MB`);
  return [
    { phase: PHASE, name: 'peak RSS', value: outcome.maxRssBytes / MB, unit: 'MB', detail },
    { phase: PHASE, name: 'median RSS, first 20 % of the run', value: first, unit: 'MB' },
    { phase: PHASE, name: 'median RSS, last 20 % of the run', value: last, unit: 'MB' },
    { phase: PHASE, name: 'RSS last ÷ first 20 % (bounded)', value: growth, unit: '×', goal: atMost(growth, 1.25, '×') },
    { phase: PHASE, name: 'peak buffered events (cap)', value: outcome.peakBuffered, unit: 'events', detail: `cap ${outcome.capacity}`, goal: atMost(outcome.peakBuffered, outcome.capacity, 'events') },
    { phase: PHASE, name: 'events spooled', value: outcome.spooled, unit: 'events', detail: `${outcome.dropped} dropped` },
  ];
}
