import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { encodeUsageEvent, type UsageEvent, type UsageSink } from '@bedrock-usage/core';
import { UsagePipeline } from '@bedrock-usage/recorder';
import { EmfMetricsSink, FileSpool, JsonLogSink } from '@bedrock-usage/sinks';
import { generateUsage } from '@bedrock-usage/testing';

import { sized, type BenchContext } from './bench-context';
import { atMost, ratio, type Figure } from './figures';
import { embeddedMetricsPeer, powertoolsPeer, type Peer } from './peers';
import { median, yieldToEventLoop } from './stats';

/** The floor's write size. */
const FLOOR_CHUNK_BYTES = 64 * 1024;
const PHASE = 'P2 throughput';

/** Delivers `events` to a fresh file stream; resolves once the last byte is acknowledged by the file (stream `finish`). */
type Delivery = (events: readonly UsageEvent[], output: WriteStream) => Promise<void>;

/** Our pipeline with one sink: record every event (waiting only when the bounded buffer is nearly full), flush. */
function throughPipeline(makeSink: (output: WriteStream) => UsageSink, spoolDir: string): Delivery {
  return async (events, output) => {
    const pipeline = new UsagePipeline({ sinks: [makeSink(output)], spool: new FileSpool({ dir: spoolDir }), agentId: 'bench' });
    const room = 900; // capacity (1000) less one batch: recording never overflows to the spool
    for (const event of events) {
      while (pipeline.stats.buffered >= room) await yieldToEventLoop();
      pipeline.record(event);
    }
    await pipeline.forceFlush();
    const { spooled } = pipeline.stats;
    await pipeline.shutdown({ deadlineMs: 5_000 });
    if (spooled > 0) throw new Error(`P2: the pipeline spooled ${spooled} events: the run did not measure the sink`);
  };
}

/** A peer emitting each event, waiting when the file stream asks it to (backpressure), like our sinks. */
function throughPeer(makePeer: (output: WriteStream) => Peer): Delivery {
  return async (events, output) => {
    const peer = makePeer(output);
    for (const event of events) {
      const pending = peer.emit(event);
      if (pending !== undefined) await pending;
      if (output.writableNeedDrain) await once(output, 'drain');
    }
  };
}

/** The floor: JSON.stringify of each event's record, written in 64 KiB chunks. */
const floor: Delivery = async (events, output) => {
  let chunk = '';
  for (const event of events) {
    chunk += `${JSON.stringify(encodeUsageEvent(event))}\n`;
    if (chunk.length >= FLOOR_CHUNK_BYTES) {
      if (!output.write(chunk)) await once(output, 'drain');
      chunk = '';
    }
  }
  output.write(chunk);
};

/**
 * P2: events/s end to end (recorded → acknowledged by the file) into the EMF and log file sinks, against the peers
 * writing the same events to the same kind of file and against the floor (JSON.stringify + 64 KiB writes). Rounds
 * interleave the contenders; each figure is the median over rounds, each ratio the median of per-round ratios.
 *
 * @example
 * const figures = await runThroughputBench({ mode: 'quick', tempDir, log: () => undefined });
 */
export async function runThroughputBench(context: BenchContext): Promise<Figure[]> {
  const count = sized(context, { quick: 3_000, standard: 20_000 });
  const rounds = sized(context, { quick: 2, standard: 3 });
  const events = generateUsage({ count, firstDay: new Date().toISOString().slice(0, 10), days: 1, seed: 2 });
  const contenders: readonly (readonly [string, Delivery])[] = [
    ['ours → EMF file', throughPipeline((output) => new EmfMetricsSink({ output }), join(context.tempDir, 'p2-spool-emf'))],
    ['ours → log file', throughPipeline((output) => new JsonLogSink({ output }), join(context.tempDir, 'p2-spool-log'))],
    ['Powertools → file', throughPeer(powertoolsPeer)],
    ['aws-embedded-metrics → file', throughPeer(embeddedMetricsPeer)],
    ['floor (JSON.stringify + 64 KiB writes)', floor],
  ];
  const rates = new Map<string, number[]>();
  await deliverTimed(contenders[0]?.[1] ?? floor, events.slice(0, Math.min(count, 5_000)), join(context.tempDir, 'p2-warm-up')); // warm-up
  for (let round = 0; round < rounds; round++) {
    for (let turn = 0; turn < contenders.length; turn++) {
      const [name, deliver] = contenders[(round + turn) % contenders.length] as readonly [string, Delivery];
      const seconds = await deliverTimed(deliver, events, join(context.tempDir, `p2-${round}-${turn}.out`));
      rates.set(name, [...(rates.get(name) ?? []), count / seconds]);
    }
    context.log(`P2 round ${round + 1}/${rounds}`);
  }
  const detail = `median of ${rounds} rounds × ${count.toLocaleString('en-US')} events`;
  const figures: Figure[] = [...rates].map(([name, values]) => ({ phase: PHASE, name: `${name}: events/s`, value: median(values), unit: 'events/s', detail }));
  const per = (a: string, b: string): number => median((rates.get(a) ?? []).map((value, index) => ratio(value, rates.get(b)?.[index] ?? 0)));
  const floorName = 'floor (JSON.stringify + 64 KiB writes)';
  for (const ours of ['ours → EMF file', 'ours → log file']) {
    const slower = per(floorName, ours);
    figures.push({ phase: PHASE, name: `floor ÷ ${ours} (events/s)`, value: slower, unit: '×', detail: 'median of the per-round ratios', goal: atMost(slower, 1.5, '×') });
  }
  for (const peer of ['Powertools → file', 'aws-embedded-metrics → file']) {
    figures.push({ phase: PHASE, name: `ours → EMF file ÷ ${peer} (events/s)`, value: per('ours → EMF file', peer), unit: '×', detail: 'median of the per-round ratios' });
  }
  return figures;
}

async function deliverTimed(deliver: Delivery, events: readonly UsageEvent[], file: string): Promise<number> {
  const output = createWriteStream(file);
  await once(output, 'open');
  const started = performance.now();
  await deliver(events, output);
  output.end();
  await once(output, 'finish');
  return (performance.now() - started) / 1000;
}
