import { once } from 'node:events';
import { createInterface } from 'node:readline';

import { sized, type BenchContext } from './bench-context';
import { atMost, ratio, type Figure } from './figures';
import type { ReportConfig, ReportSeeded, ReportTimings } from './report-protocol';
import { median } from './stats';
import { spawnTsxChild } from './tsx-child';

const PHASE = 'P5 reports';
const TIMED_RUNS = 3;

/**
 * The embedded store seeded with one day per size, in its child process, ready to time the daily report.
 *
 * @example
 * const figures = await (await seedReportStore(context)).timeReports();
 */
export interface SeededReportStore {
  /** Times `generateDailyCostReport` of each seeded day (one warm-up call, then the median of 3) and ends the child. */
  timeReports(): Promise<Figure[]>;
  /** Ends the child (idempotent). */
  close(): Promise<void>;
}

/**
 * P5, first half: starts `report-child.ts`, which runs dynalite (`startDynalite`) and seeds it with one UTC day of
 * generated events per size — 10k and 100k events per day (quick: 500 and 2,000; full: also 1M) — through our
 * `DynamoDbUsageStore` and `CostAnalyzer.refreshAggregates`; resolves once it is seeded. Seeding is not timed, so it
 * runs beside P3, P4 and P6; `timeReports()` is called once they are done.
 *
 * @example
 * const store = await seedReportStore(context);
 * try { figures.push(...(await store.timeReports())); } finally { await store.close(); }
 */
export async function seedReportStore(context: BenchContext): Promise<SeededReportStore> {
  const config: ReportConfig = { sizes: sized(context, { quick: [500, 2_000], standard: [10_000, 100_000], full: [10_000, 100_000, 1_000_000] }), timedRuns: TIMED_RUNS };
  const child = spawnTsxChild('report-child.ts', { BENCH_REPORT: JSON.stringify(config) });
  let stderr = '';
  child.stderr.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-2000)));
  const exited = once(child, 'exit') as Promise<[number | null]>;
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const close = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const nextLine = async <T>(what: string): Promise<T> => {
    const line = await lines.next();
    if (line.done === true || !line.value.startsWith('{')) {
      const [code] = await exited;
      throw new Error(`P5: the report child ended (code ${code}) before ${what}: ${stderr.trim()}`);
    }
    return JSON.parse(line.value) as T;
  };
  try {
    const seeded = await nextLine<ReportSeeded>('it was seeded');
    context.log(`P5 seeded ${seeded.seeded.toLocaleString('en-US')} events`);
    return {
      async timeReports() {
        child.stdin.write('time\n');
        const { reportMs } = await nextLine<ReportTimings>('its report timings');
        await close();
        return reportFigures(config, seeded, reportMs.map((runs) => median(runs)));
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

function reportFigures(config: ReportConfig, seeded: ReportSeeded, times: readonly number[]): Figure[] {
  const { sizes } = config;
  const figures: Figure[] = [
    {
      phase: PHASE,
      name: 'seeding (store writes + refreshAggregates)',
      value: seeded.seeded / seeded.seedSeconds,
      unit: 'events/s',
      detail: `${seeded.seeded.toLocaleString('en-US')} events in ${seeded.seedSeconds.toFixed(0)} s, beside P3, P4 and P6`,
    },
    ...sizes.map((count, index): Figure => ({ phase: PHASE, name: `daily report, ${count.toLocaleString('en-US')} events that day`, value: times[index] ?? Number.NaN, unit: 'ms', detail: `median of ${config.timedRuns} after a warm-up` })),
  ];
  const flat = ratio(times.at(-1) ?? 0, times[0] ?? 0);
  const span = `${(sizes.at(-1) ?? 0).toLocaleString('en-US')} ÷ ${(sizes[0] ?? 0).toLocaleString('en-US')} events`;
  figures.push({ phase: PHASE, name: `report time ${span} (flat = aggregates work)`, value: flat, unit: '×', detail: `${ratio(sizes.at(-1) ?? 0, sizes[0] ?? 1)}× the events`, goal: atMost(flat, 2, '× (flat)') });
  return figures;
}
