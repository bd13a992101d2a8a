import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { ZERO_USAGE, type UsageEvent } from '@bedrock-usage/core';
import { extractUsage, type RawBedrockCall } from '@bedrock-usage/extraction';
import { PriceBook } from '@bedrock-usage/pricing';
import { UsagePipeline } from '@bedrock-usage/recorder';
import { EmfMetricsSink, FileSpool } from '@bedrock-usage/sinks';
import { GENERATED_AGENTS, loadBedrockFixtures } from '@bedrock-usage/testing';

import { sized, type BenchContext } from './bench-context';
import { atLeast, atMost, ratio, type Figure } from './figures';
import { HotPath } from './hot-path';
import { NullWritable } from './null-writable';
import { embeddedMetricsPeer, powertoolsPeer } from './peers';
import { measureCpu, median, medianOf, quantile, yieldToEventLoop } from './stats';

/** Calls between two yields to the event loop (one pipeline batch): the deferred work runs there, outside the timings. */
const YIELD_EVERY = 100;
/** Distinct events the peers cycle through (each produced by our hot path, so both sides emit the same values). */
const PEER_EVENTS = 1000;

/** One contender of P1: per-call work, then whatever it deferred. */
interface Contender {
  readonly name: string;
  readonly output: NullWritable;
  /** Calls per round. */
  readonly calls: number;
  call(): void | Promise<void>;
  /** Finishes the deferred work (our pipeline's flush to the EMF sink); the peers defer nothing. */
  settle(): Promise<void>;
}

interface RoundResult {
  readonly p50Us: number;
  readonly p99Us: number;
  readonly cpuUsPerEvent: number;
  readonly bytesPerEvent: number;
}

const PHASE = 'P1 hot path';

/**
 * P1: the time tracking adds to one Bedrock call (extract + price + build the event + `pipeline.record()`, the
 * response already in memory, the pipeline writing EMF to a null Writable) against the per-event cost of the two peers
 * writing to the same kind of Writable; p50/p99 per call and CPU per event including the deferred work (serialization
 * and writes, the pipeline's flush included). Rounds interleave the three contenders (rotating who goes first); each
 * figure is the median over rounds, each ratio the median of the per-round ratios.
 *
 * @example
 * const figures = await runHotPathBench({ mode: 'quick', tempDir, log: () => undefined });
 */
export async function runHotPathBench(context: BenchContext): Promise<Figure[]> {
  const calls = sized(context, { quick: 3_000, standard: 200_000 });
  // The peers cost the same per event at any count; fewer calls keep the whole bench within 5 minutes.
  const peerCalls = sized(context, { quick: 3_000, standard: 25_000 });
  const rounds = sized(context, { quick: 3, standard: 5 });
  const warmUp = sized(context, { quick: 1_000, standard: 10_000 });
  const fixtures = loadBedrockFixtures();
  const pricer = PriceBook.builtIn();
  const peerEvents: UsageEvent[] = [];
  const collector = new HotPath({ recorder: { record: (event) => peerEvents.push(event) }, pricer, calls: fixtures, agents: GENERATED_AGENTS });
  for (let index = 0; index < PEER_EVENTS; index++) collector.track();

  let sequence = 0;
  const ours = (): Contender => {
    const output = new NullWritable();
    const pipeline = new UsagePipeline({
      sinks: [new EmfMetricsSink({ output })],
      spool: new FileSpool({ dir: join(context.tempDir, `p1-spool-${sequence}`) }),
      agentId: 'bench',
    });
    const hotPath = new HotPath({ recorder: pipeline, pricer, calls: fixtures, agents: GENERATED_AGENTS, idPrefix: `p1-${sequence++}` });
    return {
      name: 'ours',
      output,
      calls,
      call: () => hotPath.track(),
      settle: async () => {
        await pipeline.forceFlush();
        const { spooled } = pipeline.stats;
        await pipeline.shutdown({ deadlineMs: 5_000 });
        if (spooled > 0) throw new Error(`P1: the pipeline overflowed to its spool (${spooled} events): the hot path was not measured alone`);
      },
    };
  };
  const peer = (make: typeof powertoolsPeer): Contender => {
    const output = new NullWritable();
    const emitter = make(output);
    let index = 0;
    return { name: emitter.name, output, calls: peerCalls, call: () => emitter.emit(peerEvents[index++ % PEER_EVENTS] as UsageEvent), settle: () => Promise.resolve() };
  };
  const makers = [ours, () => peer(powertoolsPeer), () => peer(embeddedMetricsPeer)];

  for (const make of makers) await runRound(make(), warmUp);
  const results = new Map<string, RoundResult[]>();
  for (let round = 0; round < rounds; round++) {
    for (let turn = 0; turn < makers.length; turn++) {
      const contender = (makers[(round + turn) % makers.length] as () => Contender)();
      const result = await runRound(contender, contender.calls);
      results.set(contender.name, [...(results.get(contender.name) ?? []), result]);
    }
    context.log(`P1 round ${round + 1}/${rounds}: ours p50 ${results.get('ours')?.at(-1)?.p50Us.toFixed(2)} µs`);
  }
  const each = (count: number): string => `median of ${rounds} rounds × ${count.toLocaleString('en-US')} calls, after ${warmUp.toLocaleString('en-US')} warm-up calls`;
  const steps: readonly (readonly [string, (call: RawBedrockCall) => unknown])[] = [
    ['extractUsage', (call) => extractUsage(call)],
    ['PriceBook.price', (call) => pricer.price({ modelId: call.modelId, region: 'us-east-1', at: Date.now(), usage: ZERO_USAGE })],
  ];
  const breakdown = steps.map(([name, step]): Figure => ({
    phase: PHASE,
    name: `of which ${name}, mean per call`,
    value: medianOf(Array.from({ length: rounds }), () => meanStepUs(fixtures, step, peerCalls)),
    unit: 'µs',
    detail: `the step alone over the ${fixtures.length} fixtures, median of ${rounds} loops × ${peerCalls.toLocaleString('en-US')} calls`,
  }));
  const [p50, p99, ...rest] = hotPathFigures(results, each(calls), each(peerCalls));
  return [p50, p99, ...breakdown, ...rest].filter((figure): figure is Figure => figure !== undefined);
}

/** Mean µs per call of one hot-path step, over `calls` calls cycling through the fixtures. */
function meanStepUs(fixtures: readonly RawBedrockCall[], step: (call: RawBedrockCall) => unknown, calls: number): number {
  const started = performance.now();
  for (let index = 0; index < calls; index++) step(fixtures[index % fixtures.length] as RawBedrockCall);
  return ((performance.now() - started) * 1000) / calls;
}

async function runRound(contender: Contender, calls: number): Promise<RoundResult> {
  const samples = new Float64Array(calls);
  const { cpuUs } = await measureCpu(async () => {
    for (let index = 0; index < calls; index++) {
      const started = performance.now();
      const pending = contender.call();
      if (pending !== undefined) await pending;
      samples[index] = performance.now() - started;
      if (index % YIELD_EVERY === YIELD_EVERY - 1) await yieldToEventLoop();
    }
    await contender.settle();
  });
  return { p50Us: quantile(samples, 0.5) * 1000, p99Us: quantile(samples, 0.99) * 1000, cpuUsPerEvent: cpuUs / calls, bytesPerEvent: contender.output.bytes / calls };
}

function hotPathFigures(results: ReadonlyMap<string, readonly RoundResult[]>, detail: string, peerDetail: string): Figure[] {
  const ours = results.get('ours') ?? [];
  const figures: Figure[] = [];
  const p50 = medianOf(ours, (round) => round.p50Us);
  const p99 = medianOf(ours, (round) => round.p99Us);
  figures.push({ phase: PHASE, name: 'ours: p50 per call (extract + price + record)', value: p50, unit: 'µs', detail, goal: atMost(p50, 2, 'µs') });
  figures.push({ phase: PHASE, name: 'ours: p99 per call', value: p99, unit: 'µs', detail, goal: atMost(p99, 20, 'µs') });
  const cpu = medianOf(ours, (round) => round.cpuUsPerEvent);
  figures.push({ phase: PHASE, name: 'ours: CPU per event incl. deferred EMF serialization + writes', value: cpu, unit: 'µs', detail: 'process.cpuUsage over each round, the pipeline flush included' });
  figures.push({ phase: PHASE, name: 'ours: EMF bytes per event', value: medianOf(ours, (round) => round.bytesPerEvent), unit: 'B' });
  for (const [name, rounds] of results) {
    if (name === 'ours') continue;
    const perRound = (pick: (round: RoundResult) => number): number => median(rounds.map((round, index) => ratio(pick(round), pick(ours[index] as RoundResult))));
    figures.push({ phase: PHASE, name: `${name}: p50 per event`, value: medianOf(rounds, (round) => round.p50Us), unit: 'µs', detail: peerDetail });
    figures.push({ phase: PHASE, name: `${name}: p99 per event`, value: medianOf(rounds, (round) => round.p99Us), unit: 'µs', detail: peerDetail });
    const p50Ratio = perRound((round) => round.p50Us);
    figures.push({
      phase: PHASE,
      name: `${name} p50 ÷ ours p50`,
      value: p50Ratio,
      unit: '×',
      detail: 'median of the per-round ratios',
      ...(name === 'Powertools' && { goal: atLeast(p50Ratio, 10, '×') }),
    });
    figures.push({ phase: PHASE, name: `${name}: CPU per event`, value: medianOf(rounds, (round) => round.cpuUsPerEvent), unit: 'µs', detail: 'serializes and writes synchronously' });
    figures.push({ phase: PHASE, name: `${name} CPU ÷ ours CPU per event`, value: perRound((round) => round.cpuUsPerEvent), unit: '×', detail: 'median of the per-round ratios' });
    figures.push({ phase: PHASE, name: `${name}: EMF bytes per event`, value: medianOf(rounds, (round) => round.bytesPerEvent), unit: 'B' });
  }
  return figures;
}
