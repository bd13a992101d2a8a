import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import type { BenchContext, BenchMode } from './bench-context';
import { runCloudWatchBench } from './cloudwatch-bench';
import { runDynamoDbBench } from './dynamodb-bench';
import type { Figure } from './figures';
import { runHotPathBench } from './hot-path-bench';
import { runMemoryBench } from './memory-bench';
import { peerVersions } from './peers';
import { seedReportStore } from './report-bench';
import { runThroughputBench } from './throughput-bench';

/**
 * The machine a run was measured on.
 *
 * @example
 * const machine: Machine = { cpuModel: 'Intel(R) Xeon(R) Processor', cpuCount: 2, node: 'v20.20.2', os: 'linux 6.18', memoryGb: 24,
 *   loadAverage: { atStart: 1.2, atEnd: 2.5 } };
 */
export interface Machine {
  readonly cpuModel: string;
  readonly cpuCount: number;
  readonly node: string;
  readonly os: string;
  readonly memoryGb: number;
  /** The 1-minute load average when the run started and when it ended (other work on the host shows here). */
  readonly loadAverage: { readonly atStart: number; readonly atEnd: number };
}

/**
 * Everything one run measured, as written to bench/results/latest.json.
 *
 * @example
 * const result: BenchResult = await runBench({ mode: 'quick', command: 'npm run bench -- --quick' });
 */
export interface BenchResult {
  readonly command: string;
  readonly mode: BenchMode;
  readonly startedAt: string;
  readonly durationSeconds: number;
  readonly machine: Machine;
  readonly peers: Readonly<Record<string, string>>;
  readonly figures: readonly Figure[];
}

/**
 * Options of {@link runBench}.
 *
 * @example
 * const options: BenchOptions = { mode: 'standard', command: 'npm run bench', log: (line) => process.stderr.write(`${line}\n`) };
 */
export interface BenchOptions {
  readonly mode: BenchMode;
  /** The command line, recorded in the result. */
  readonly command: string;
  /** Progress lines. @default none */
  readonly log?: (line: string) => void;
}

/**
 * The machine this process runs on; `loadAtStart` is the 1-minute load average when the run started.
 *
 * @example
 * describeMachine(loadavg()[0] ?? 0).cpuCount; // 2
 */
export function describeMachine(loadAtStart: number): Machine {
  const all = cpus();
  return {
    cpuModel: all[0]?.model.trim() ?? 'unknown',
    cpuCount: all.length,
    node: process.version,
    os: `${platform()} ${release()}`,
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    loadAverage: { atStart: loadAtStart, atEnd: loadavg()[0] ?? 0 },
  };
}

/**
 * Runs P1–P6 on this machine (P5's store and P6's load in child processes). The timed phases (P1, P2, P5's
 * reports) run alone; P5's seeding, which is not timed, runs beside P3 then P4 and beside P6, which count requests,
 * bytes, capacity and memory.
 * Resolves with every figure.
 *
 * @example
 * const result = await runBench({ mode: 'quick', command: 'npm run bench -- --quick' });
 * process.stdout.write(formatMarkdown(result));
 */
export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const tempDir = mkdtempSync(join(tmpdir(), 'bedrock-usage-bench-'));
  const context: BenchContext = { mode: options.mode, tempDir, log: options.log ?? (() => undefined) };
  const startedAt = new Date().toISOString();
  const loadAtStart = loadavg()[0] ?? 0;
  const started = performance.now();
  try {
    const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
      const begun = performance.now();
      const value = await work();
      context.log(`${name} done in ${((performance.now() - begun) / 1000).toFixed(0)} s`);
      return value;
    };
    const figures: Figure[] = [...(await timed('P1', () => runHotPathBench(context))), ...(await timed('P2', () => runThroughputBench(context)))];
    // P3, P4 and P6 are counts and memory, not times: they run while P5 seeds its store.
    const counted = async (): Promise<Figure[]> => [...(await timed('P3', () => runCloudWatchBench(context))), ...(await timed('P4', () => runDynamoDbBench(context)))];
    const [store, counts, memory] = await Promise.all([
      timed('P5 seeding', () => seedReportStore(context)),
      counted(),
      timed('P6', () => runMemoryBench(context)),
    ]);
    try {
      figures.push(...counts, ...(await timed('P5 reports', () => store.timeReports())), ...memory);
    } finally {
      await store.close();
    }
    return {
      command: options.command,
      mode: options.mode,
      startedAt,
      durationSeconds: (performance.now() - started) / 1000,
      machine: describeMachine(loadAtStart),
      peers: peerVersions(),
      figures,
    };
  } finally {
    rmSync(tempDir, { recursive: true, force: true });
  }
}
