/**
 * P5's embedded store, seeded and timed in a child process of its own (`node --import tsx report-child.ts`), so
 * seeding (dynalite and its client both busy) runs beside P3, P4 and P6 without sharing their event loop.
 * `startDynalite()` in this process; one UTC day of generated events per size, written the way the batch publisher
 * (and `cli seed-demo`) does — our `DynamoDbUsageStore`, then `CostAnalyzer.refreshAggregates` — then one
 * {@link ReportSeeded} JSON line. When the parent writes a line on stdin (the other phases are done), it times
 * `generateDailyCostReport` of each day (one warm-up call, then `timedRuns`), prints one {@link ReportTimings} line
 * and exits.
 */
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CostAnalyzer } from '@bedrock-usage/analyzer';
import { DynamoDbUsageStore, DynamoDbUsageStoreReader, createUsageTable } from '@bedrock-usage/sinks';
import { InMemoryHealthMetrics, generateUsage, localDynamoDbClientConfig, startDynalite } from '@bedrock-usage/testing';

import type { ReportConfig, ReportSeeded, ReportTimings } from './report-protocol';

const TABLE = 'usage';
/** Events per store write while seeding (the store sends them 25 per BatchWriteItem). */
const SEED_WRITE = 1_000;
/** One SDK call; a hang guard for a loaded machine, not a goal. */
const REQUEST_TIMEOUT_MS = 120_000;

/** The UTC day seeded with the `index`-th size: 2025-03-10, 2025-03-11, … */
function reportDay(index: number): string {
  return `2025-03-${String(10 + index).padStart(2, '0')}`;
}

async function main(): Promise<void> {
  const config = JSON.parse(process.env.BENCH_REPORT ?? '') as ReportConfig;
  const server = await startDynalite();
  const client = new DynamoDBClient(localDynamoDbClientConfig(server.endpoint));
  try {
    await createUsageTable(client, TABLE);
    const writer = new DynamoDbUsageStore({ client, tableName: TABLE, health: new InMemoryHealthMetrics(), requestTimeoutMs: REQUEST_TIMEOUT_MS });
    const reader = new DynamoDbUsageStoreReader({ client, tableName: TABLE, requestTimeoutMs: REQUEST_TIMEOUT_MS });
    // Every seeded day is closed: days after the last one.
    const analyzer = new CostAnalyzer({ store: reader, clock: { now: () => Date.parse('2025-03-20T00:00:00.000Z') } });
    const started = performance.now();
    for (const [index, count] of config.sizes.entries()) {
      const events = generateUsage({ count, firstDay: reportDay(index), days: 1, seed: 5 + index, idPrefix: `day${index}` });
      for (let start = 0; start < events.length; start += SEED_WRITE) {
        const result = await writer.write(events.slice(start, start + SEED_WRITE));
        if (!result.ok) throw new Error(`seeding ${reportDay(index)} failed: ${result.error.message}`);
      }
      await analyzer.refreshAggregates(events);
    }
    await writer.shutdown();
    const seeded: ReportSeeded = { seeded: config.sizes.reduce((sum, count) => sum + count, 0), seedSeconds: (performance.now() - started) / 1000 };
    process.stdout.write(`${JSON.stringify(seeded)}\n`);
    await once(process.stdin, 'data');
    const reportMs: number[][] = [];
    for (const [index, count] of config.sizes.entries()) {
      await analyzer.generateDailyCostReport(reportDay(index)); // warm-up
      const runs: number[] = [];
      for (let run = 0; run < config.timedRuns; run++) {
        const begun = performance.now();
        const report = await analyzer.generateDailyCostReport(reportDay(index));
        runs.push(performance.now() - begun);
        if (report.requestCount !== count) throw new Error(`the report of ${reportDay(index)} counts ${report.requestCount} requests, ${count} were seeded`);
      }
      reportMs.push(runs);
    }
    const timings: ReportTimings = { reportMs };
    process.stdout.write(`${JSON.stringify(timings)}\n`);
  } finally {
    client.destroy();
    await server.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`report child failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(3);
  },
);
