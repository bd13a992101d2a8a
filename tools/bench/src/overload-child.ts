/**
 * The P6 load process, a real child of the bench (`node --import tsx overload-child.ts`): a UsagePipeline whose
 * store always fails retryably, behind a GuardedSink, with a FileSpool — the production composition with the store
 * down — recording `ratePerSecond` events for `durationMs` while sampling its RSS. Configured by `BENCH_OVERLOAD`
 * (JSON {@link OverloadConfig}); prints one JSON {@link OverloadOutcome} line on stdout and exits.
 */
import { GuardedSink } from '@bedrock-usage/circuit-breaker';
import { UsageError, type UsageSink, type WriteResult } from '@bedrock-usage/core';
import { UsagePipeline } from '@bedrock-usage/recorder';
import { FileSpool } from '@bedrock-usage/sinks';
import { makeUsageEvent } from '@bedrock-usage/testing';

import type { OverloadConfig, OverloadOutcome } from './overload-protocol';

const TICK_MS = 20;
const CAPACITY = 1000;

/** The store, down: every write fails retryably (as a DynamoDB outage does). */
const downStore: UsageSink & { readonly name: string } = {
  name: 'DynamoDB',
  write: (): Promise<WriteResult> => Promise.resolve({ ok: false, retryable: true, error: new UsageError('IO', 'the store is down (bench overload)') }),
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

async function main(): Promise<void> {
  const config = JSON.parse(process.env.BENCH_OVERLOAD ?? '') as OverloadConfig;
  const pipeline = new UsagePipeline({
    sinks: [new GuardedSink(downStore, { agentId: 'bench', resetTimeoutMs: 5_000 })],
    spool: new FileSpool({ dir: config.spoolDir }),
    agentId: 'bench',
    capacity: CAPACITY,
    logger: { error: () => undefined }, // dropped events are in the shutdown report
  });
  const rssSamples: number[] = [];
  const sampler = setInterval(() => rssSamples.push(process.memoryUsage().rss), config.sampleEveryMs);
  const started = Date.now();
  let recorded = 0;
  while (Date.now() - started < config.durationMs) {
    const due = Math.floor(((Date.now() - started) * config.ratePerSecond) / 1000);
    for (; recorded < due; recorded++) pipeline.record(makeUsageEvent({ eventId: `overload-${recorded}`, time: new Date().toISOString() }));
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
  clearInterval(sampler);
  const { peakBuffered, spooled } = pipeline.stats;
  const report = await pipeline.shutdown({ deadlineMs: 5_000 });
  const outcome: OverloadOutcome = {
    recorded,
    rssSamples,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    capacity: CAPACITY,
    peakBuffered,
    spooled: spooled + report.spooled,
    dropped: report.dropped,
  };
  process.stdout.write(`${JSON.stringify(outcome)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`overload child failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(3);
  },
);
