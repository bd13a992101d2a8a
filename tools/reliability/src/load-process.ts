/**
 * The load process (a real child of the suite, started by `LoadProcess.start`): the production composition —
 * UsagePipeline → GuardedSink → DynamoDbUsageStore (the fault proxy's endpoint) with a FileSpool and the SIGTERM
 * handlers — recording events at a set rate with unique ids, each batch of ids fsynced to the ledger first.
 * Configured by `RELIABILITY_LOAD` (JSON `LoadConfig`); talks to the parent over the IPC channel, which also keeps
 * it alive after the load until a signal ends it.
 */
import { writeFileSync } from 'node:fs';

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GuardedSink } from '@bedrock-usage/circuit-breaker';
import type { HealthMetricName, HealthMetrics } from '@bedrock-usage/core';
import { UsagePipeline } from '@bedrock-usage/recorder';
import { DynamoDbUsageStore, FileSpool, installShutdownHandlers } from '@bedrock-usage/sinks';
import { localDynamoDbClientConfig } from '@bedrock-usage/testing';

import { LedgerWriter } from './ledger';
import { generateLoad } from './load-generator';
import type { LoadConfig, LoadMessage, LoadStats, ParentMessage } from './load-protocol';

/** Tallies counts by `name{dim=value,…}`; timings and gauges are not needed here and would only grow memory. */
class CountingHealthMetrics implements HealthMetrics {
  readonly counts: Record<string, number> = {};

  count(name: HealthMetricName, dimensions: Readonly<Record<string, string>>, value = 1): void {
    const key = `${name}{${Object.entries(dimensions).map(([k, v]) => `${k}=${v}`).sort().join(',')}}`;
    this.counts[key] = (this.counts[key] ?? 0) + value;
  }

  gauge(): void {}

  timing(): void {}
}

function send(message: LoadMessage): void {
  if (process.connected) process.send?.(message);
}

async function main(): Promise<void> {
  const config = JSON.parse(process.env.RELIABILITY_LOAD ?? '') as LoadConfig;
  const health = new CountingHealthMetrics();
  const client = new DynamoDBClient(localDynamoDbClientConfig(config.endpoint));
  const store = new DynamoDbUsageStore({ client, tableName: config.tableName, health });
  const guarded = new GuardedSink(store, { health, agentId: config.agentId, resetTimeoutMs: config.resetTimeoutMs });
  const pipeline = new UsagePipeline({
    sinks: [guarded],
    spool: new FileSpool({ dir: config.spoolDir }),
    health,
    agentId: config.agentId,
    capacity: config.capacity,
    overflowCapacity: config.overflowCapacity,
    batchSize: config.batchSize,
    flushIntervalMs: config.flushIntervalMs,
    concurrency: config.concurrency,
  });
  const ledger = new LedgerWriter(config.ledgerPath);
  let recorded = 0;
  const stats = (): LoadStats => ({
    recorded,
    peakDepth: pipeline.stats.peakBuffered,
    depth: pipeline.stats.buffered,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    counts: { ...health.counts },
  });
  let stopped = false;
  process.once('SIGTERM', () => void (stopped = true));
  installShutdownHandlers(pipeline, {
    deadlineMs: config.shutdownDeadlineMs,
    signals: ['SIGTERM'],
    // Synchronous, because the process exits right after; the parent reads it once the process has exited.
    onShutdown: (_signal, report) => writeFileSync(config.reportPath, JSON.stringify({ report, stats: stats() })),
  });
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'stats') send({ type: 'stats', stats: stats() });
  });

  const replays = await pipeline.start();
  send({ type: 'ready', pid: process.pid, durabilityWindow: pipeline.durabilityWindowEvents, replayed: replays[guarded.name]?.replayed ?? 0 });
  await generateLoad({
    ratePerSecond: config.ratePerSecond,
    durationMs: config.durationMs,
    idPrefix: config.idPrefix,
    agentId: config.agentId,
    ledger,
    stopped: () => stopped,
    record: (event) => {
      pipeline.record(event);
      recorded += 1;
    },
  });
  send({ type: 'load-done', stats: stats() });
}

main().catch((error: unknown) => {
  process.stderr.write(`load process failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(3);
});
