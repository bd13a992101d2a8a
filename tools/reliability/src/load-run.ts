import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import type { ShutdownReport } from '@bedrock-usage/recorder';

import type { DeliveryRig } from './delivery-rig';
import type { LoadConfig, LoadStats } from './load-protocol';
import { type LoadExit, LoadProcess } from './load-process-handle';

/** The pipeline sizing of every load process unless a scenario says otherwise: the pipeline's documented defaults. */
export const NOMINAL = {
  ratePerSecond: 200,
  capacity: 1000,
  overflowCapacity: 5000,
  batchSize: 100,
  flushIntervalMs: 1000,
  concurrency: 2,
  resetTimeoutMs: 60_000,
  shutdownDeadlineMs: 5000,
} as const;

/** A load process's configuration in `dir` (created; spool, ledger and report files live there). */
export function loadConfig(rig: DeliveryRig, dir: string, run: string, overrides: Partial<LoadConfig> = {}): LoadConfig {
  mkdirSync(dir, { recursive: true });
  return {
    ...NOMINAL,
    endpoint: rig.endpoint,
    tableName: rig.tableName,
    spoolDir: join(dir, 'spool'),
    ledgerPath: join(dir, 'ledger'),
    reportPath: join(dir, `report-${run}.json`),
    durationMs: 0,
    idPrefix: run,
    agentId: 'reliability',
    ...overrides,
  };
}

/** Bytes in the DynamoDB sink's spool file (0 when there is none). */
export function spoolBytes(config: LoadConfig): number {
  const path = join(config.spoolDir, 'DynamoDB.jsonl');
  return existsSync(path) ? statSync(path).size : 0;
}

/** What a load process ended with after a SIGTERM. */
export interface GracefulStop {
  readonly exit: LoadExit;
  /** Written by the shutdown handler; absent when it never ran to the end. */
  readonly report?: ShutdownReport;
  readonly stats?: LoadStats;
}

/** Sends SIGTERM and waits for the exit (the shutdown deadline + `graceMs`); reads the shutdown report. */
export async function stopGracefully(load: LoadProcess, config: LoadConfig, graceMs = 10_000): Promise<GracefulStop> {
  load.signal('SIGTERM');
  const exit = await load.exit(config.shutdownDeadlineMs + graceMs);
  if (!existsSync(config.reportPath)) return { exit };
  const { report, stats } = JSON.parse(readFileSync(config.reportPath, 'utf8')) as { report: ShutdownReport; stats: LoadStats };
  return { exit, report, stats };
}

/**
 * Starts a load process that records nothing: its start-up replays the spool; then stops it gracefully. Returns how
 * many events the replay delivered.
 */
export async function replaySpool(config: LoadConfig): Promise<number> {
  const { load, ready } = await LoadProcess.start({ ...config, ratePerSecond: 0, durationMs: 0 }, 300_000);
  try {
    await stopGracefully(load, config);
    return ready.replayed;
  } finally {
    await load.dispose();
  }
}

/** Polls `check` every `everyMs` until it is true or `timeoutMs` passed; returns the last answer. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, everyMs = 500): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return true;
    await sleep(everyMs);
  }
  return check();
}
