import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Container } from 'inversify';

import type { DailyCostReport } from '@bedrock-usage/analyzer';
import { domainModule, loadUsageStoreConfig, TOKENS, usageStoreModule } from '@bedrock-usage/di';
import { generateUsage } from '@bedrock-usage/testing';

import type { WorkerIo } from '../../src/main';

/** A temp data directory whose embedded store holds `count` generated events over `days` from `firstDay`. */
export async function seededDataDir(options: { readonly firstDay: string; readonly days: number; readonly count: number }): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'reporting-worker-'));
  const container = new Container();
  container.load(domainModule(), usageStoreModule(loadUsageStoreConfig({ BEDROCK_USAGE_DATA_DIR: dataDir }, { defaultDataDir: dataDir })));
  try {
    const writer = await container.getAsync(TOKENS.UsageStoreWriter);
    const analyzer = await container.getAsync(TOKENS.CostAnalyzer);
    const events = generateUsage({ ...options, seed: 11 });
    for (let i = 0; i < events.length; i += 500) {
      const batch = events.slice(i, i + 500);
      const result = await writer.write(batch);
      if (!result.ok) throw result.error;
      await analyzer.refreshAggregates(batch);
    }
  } finally {
    await container.get(TOKENS.StoreShutdown)();
  }
  return dataDir;
}

/** The analyzer's own daily report of that store (opened and released again). */
export async function analyzerReport(dataDir: string, date: string): Promise<DailyCostReport> {
  const container = new Container();
  container.load(domainModule(), usageStoreModule(loadUsageStoreConfig({ BEDROCK_USAGE_DATA_DIR: dataDir }, { defaultDataDir: dataDir })));
  try {
    return await (await container.getAsync(TOKENS.CostAnalyzer)).generateDailyCostReport(date);
  } finally {
    await container.get(TOKENS.StoreShutdown)();
  }
}

/** A WorkerIo that keeps what was printed. */
export function bufferedIo(): WorkerIo & { readonly stdout: string[]; readonly stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (line) => stdout.push(line), err: (line) => stderr.push(line), onStop: () => {} };
}
