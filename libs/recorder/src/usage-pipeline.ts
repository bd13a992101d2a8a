import {
  NO_HEALTH_METRICS,
  systemClock,
  UsageError,
  type Clock,
  type HealthMetrics,
  type Spool,
  type SpoolReplayResult,
  type UsageEvent,
  type UsageRecorder,
  type UsageSink,
  type WriteResult,
} from '@bedrock-usage/core';
import PQueue from 'p-queue';
import { invalidEventField } from './internal/invalid-event-field';
import { stderrJsonLogger, type PipelineLogger } from './pipeline-logger';
import { isRecoveringSink } from './recovering-sink.port';

/**
 * Options of {@link UsagePipeline}.
 *
 * @example
 * const options: UsagePipelineOptions = { sinks: [store, emf], spool, health, agentId: 'jira', capacity: 1000 };
 */
export interface UsagePipelineOptions {
  /** Every batch goes to each of them (fan-out). Put each behind its own circuit breaker (`GuardedSink`). */
  readonly sinks: readonly UsageSink[];
  /** Where what a sink cannot take waits, per sink name, until replayed. */
  readonly spool: Spool;
  /** The pipeline's own metrics. @default reports nowhere */
  readonly health?: HealthMetrics;
  /** @default {@link stderrJsonLogger} */
  readonly logger?: PipelineLogger;
  /** @default systemClock */
  readonly clock?: Clock;
  /** The agent this process runs: its `LoggingQueueDepth` is reported even before its first event. @default 'unknown' */
  readonly agentId?: string;
  /**
   * Events the in-memory buffer holds; past it `record()` sends events straight to the spool (counted as
   * `LoggingErrors{ErrorType=Overflow}`). 1000 holds 5 s of a busy agent (200 calls/s) — five flush intervals of
   * a sink outage before the breaker opens — at about 1 MB of memory.
   * @default 1000
   */
  readonly capacity?: number;
  /**
   * Events past `capacity` that may wait for their spool append at once; past it they are dropped and counted
   * (`LoggingErrors{ErrorType=Dropped}`). Large enough to ride out the spool's fsyncs stalling for a few seconds under
   * 10× overload (at 2000 events/s, 5000 is 2.5 s), small enough to bound memory (about 5 MB).
   * @default 5 × capacity
   */
  readonly overflowCapacity?: number;
  /** Events per sink write. 100 is four DynamoDB BatchWriteItem requests, one EMF object's worth of values. @default 100 */
  readonly batchSize?: number;
  /**
   * How often a partial batch is sent. It bounds delivery lag when traffic is light, not the cost of logging
   * (record() never waits for it). @default 1000
   */
  readonly flushIntervalMs?: number;
  /**
   * Sink writes running at once (p-queue concurrency). At most as many more batches wait in the queue; the rest stays
   * in the bounded buffer. 2 matches a 2-core host and keeps DynamoDB requests few. @default 2
   */
  readonly concurrency?: number;
  /** How often `LoggingQueueDepth` is reported, also when idle (the spec asks for at least once a minute). @default 30000 */
  readonly queueDepthIntervalMs?: number;
}

/**
 * Options of {@link UsagePipeline.shutdown}.
 *
 * @example
 * await pipeline.shutdown({ deadlineMs: 5000 });
 */
export interface ShutdownOptions {
  /**
   * The promise resolves within this. Three quarters of it go to delivering; the rest to spooling what was not
   * delivered and shutting the sinks down. @default 10000
   */
  readonly deadlineMs?: number;
}

/**
 * What {@link UsagePipeline.shutdown} did.
 *
 * @example
 * const { flushed, spooled, dropped } = await pipeline.shutdown({ deadlineMs: 5000 });
 */
export interface ShutdownReport {
  /** True when everything recorded was acknowledged by every sink before the flush part of the deadline. */
  readonly flushed: boolean;
  /** Events (per sink) written to the spool because the deadline came first. */
  readonly spooled: number;
  /** Events (per sink) that neither a sink nor the spool took (also counted as `LoggingErrors{ErrorType=Dropped}`). */
  readonly dropped: number;
}

/**
 * The pipeline's occupancy, for health checks and the reliability suite.
 *
 * @example
 * expect(pipeline.stats.peakBuffered).toBeLessThanOrEqual(capacity);
 */
export interface PipelineStats {
  /** Events in the bounded buffer now. */
  readonly buffered: number;
  /** The most the buffer ever held (never above `capacity`). */
  readonly peakBuffered: number;
  /** Batches taken from the buffer (queued or being written) and not yet acknowledged or spooled by every sink. */
  readonly inFlightBatches: number;
  /** Events over capacity waiting for their spool append. */
  readonly overflowing: number;
  /** Events appended to the spool since start, summed over sinks (an event one sink refused counts once). */
  readonly spooled: number;
  /** Events the spool's replays delivered since start, summed over sinks (those of `start()` included). */
  readonly replayed: number;
}

interface Entry {
  readonly event: UsageEvent;
  /** clock.now() at record(). */
  readonly at: number;
}

interface Batch {
  readonly entries: readonly Entry[];
  readonly events: readonly UsageEvent[];
  /** Sinks done with this batch (acknowledged, spooled, rejected, or abandoned to the spool at shutdown). */
  readonly settled: Set<string>;
}

const PIPELINE_BACKEND = 'Pipeline';

/**
 * The {@link UsageRecorder} of a running agent: `record()` puts the event in a bounded buffer and returns; batches
 * go to every sink through a p-queue of bounded concurrency; what a sink cannot take (retryable failure, breaker
 * open, shutdown deadline) and what does not fit the buffer goes to the spool, replayed at `start()`, when a
 * sink recovers (`RecoveringSink`) and after a sink acknowledges a write again. Nothing is dropped silently: if
 * even the spool fails, `LoggingErrors{ErrorType=Dropped}` counts the events and the logger names them.
 *
 * Durability window (what a kill -9 can lose), in events: {@link UsagePipeline.durabilityWindowEvents}.
 *
 * @example
 * const pipeline = new UsagePipeline({ sinks: [new GuardedSink(store, { health })], spool: new FileSpool({ dir }), health });
 * await pipeline.start();                           // replays what an earlier run spooled
 * trackBedrockClient(client, { recorder: pipeline, pricer });
 * installShutdownHandlers(pipeline, { deadlineMs: 5000 });
 */
export class UsagePipeline implements UsageRecorder {
  readonly #sinks: readonly UsageSink[];
  readonly #spool: Spool;
  readonly #health: HealthMetrics;
  readonly #logger: PipelineLogger;
  readonly #clock: Clock;
  readonly #agentId: string;
  readonly #capacity: number;
  readonly #overflowCapacity: number;
  readonly #batchSize: number;
  readonly #maxInFlight: number;
  readonly #queue: PQueue;
  readonly #timers: ReturnType<typeof setInterval>[];
  readonly #unsubscribes: (() => void)[] = [];
  readonly #depth = new Map<string, number>();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #batches = new Set<Batch>();
  readonly #replays = new Map<string, Promise<SpoolReplayResult>>();
  readonly #replayAgain = new Set<string>();
  /** Sinks with events in the spool that this process knows of: replayed after their next acknowledged write. */
  readonly #spooledFor = new Set<string>();
  #spooledEvents = 0;
  #replayedEvents = 0;
  #buffer: Entry[] = [];
  #peakBuffered = 0;
  #accepted = 0;
  #taken = 0;
  #overflow: UsageEvent[] = [];
  #overflowRun: Promise<void> | undefined;
  #pumpScheduled = false;
  #forcing = 0;
  #closed = false;
  #shutdown: Promise<ShutdownReport> | undefined;

  constructor(options: UsagePipelineOptions) {
    this.#sinks = options.sinks;
    this.#spool = options.spool;
    this.#health = options.health ?? NO_HEALTH_METRICS;
    this.#logger = options.logger ?? stderrJsonLogger;
    this.#clock = options.clock ?? systemClock;
    this.#agentId = options.agentId ?? 'unknown';
    this.#capacity = positiveInteger('capacity', options.capacity ?? 1000);
    this.#overflowCapacity = positiveInteger('overflowCapacity', options.overflowCapacity ?? 5 * this.#capacity);
    this.#batchSize = positiveInteger('batchSize', options.batchSize ?? 100);
    const concurrency = positiveInteger('concurrency', options.concurrency ?? 2);
    this.#maxInFlight = 2 * concurrency;
    const flushIntervalMs = positiveInteger('flushIntervalMs', options.flushIntervalMs ?? 1000);
    const queueDepthIntervalMs = positiveInteger('queueDepthIntervalMs', options.queueDepthIntervalMs ?? 30_000);
    const names = this.#sinks.map((sink) => sink.name);
    const repeated = names.find((name, index) => names.indexOf(name) !== index);
    if (repeated !== undefined) {
      throw new UsageError('INVALID_CONFIG', `two sinks are named "${repeated}" — sink names key the spool and the LoggingBackend dimension, so they must be unique`);
    }
    this.#queue = new PQueue({ concurrency });
    this.#timers = [
      setInterval(() => this.#pump(true), flushIntervalMs),
      setInterval(() => this.#reportDepth(), queueDepthIntervalMs),
    ];
    for (const timer of this.#timers) timer.unref();
    for (const sink of this.#sinks) {
      if (isRecoveringSink(sink)) this.#unsubscribes.push(sink.onRecovered(() => void this.#replaySink(sink)));
    }
  }

  /**
   * What a kill -9 can lose, in events: the buffer (`capacity`), the batches taken and not yet acknowledged or
   * spooled (2 × `concurrency` × `batchSize`) and the overflow waiting for its spool append (at most
   * `overflowCapacity`; past it events are dropped and counted). With the defaults: 1000 + 400 + 5000 = 6400; without
   * overload the overflow is empty and the window is 1400. Spooled events survive a
   * kill -9 (the file spool's own power-loss window is its `syncEveryEvents`).
   */
  get durabilityWindowEvents(): number {
    return this.#capacity + this.#overflowCapacity + this.#maxInFlight * this.#batchSize;
  }

  /** The buffer, queue and overflow occupancy now. */
  get stats(): PipelineStats {
    return {
      buffered: this.#buffer.length,
      peakBuffered: this.#peakBuffered,
      inFlightBatches: this.#batches.size,
      overflowing: this.#overflow.length,
      spooled: this.#spooledEvents,
      replayed: this.#replayedEvents,
    };
  }

  /** Synchronous, O(1), never throws, never waits on I/O. Malformed input is counted (`InvalidEvent`) and logged. */
  record(event: UsageEvent): void {
    try {
      const invalid = invalidEventField(event);
      if (invalid !== undefined) {
        this.#invalid(invalid);
        return;
      }
      this.#changeDepth(event.agentId, 1);
      if (this.#closed || this.#buffer.length >= this.#capacity) {
        this.#overflowToSpool(event);
        return;
      }
      this.#buffer.push({ event, at: this.#clock.now() });
      this.#accepted += 1;
      if (this.#buffer.length > this.#peakBuffered) this.#peakBuffered = this.#buffer.length;
      if (this.#buffer.length >= this.#batchSize && !this.#pumpScheduled) {
        this.#pumpScheduled = true;
        queueMicrotask(() => {
          this.#pumpScheduled = false;
          this.#pump(false);
        });
      }
    } catch (error) {
      this.#invalid(`event (unreadable: ${describe(error)})`);
    }
  }

  /**
   * Replays what earlier runs left in the spool, sink by sink. Call once at start-up; recording may begin before it
   * resolves.
   */
  async start(): Promise<Readonly<Record<string, SpoolReplayResult>>> {
    return this.replay();
  }

  /** Replays every sink's spool now (the CLI's `spool replay`); resolves with what each replay did. */
  async replay(): Promise<Readonly<Record<string, SpoolReplayResult>>> {
    const results = await Promise.all(this.#sinks.map(async (sink) => [sink.name, await this.#replaySink(sink)] as const));
    return Object.fromEntries(results);
  }

  /** Resolves once every event recorded before the call is acknowledged or spooled, and every sink is flushed. */
  async forceFlush(): Promise<void> {
    await this.#flush();
  }

  /**
   * Once only (later calls return the same promise): stops accepting into the buffer (later events go straight to
   * the spool), delivers what it can, spools the rest, shuts the sinks down, and resolves within the deadline.
   */
  shutdown(options: ShutdownOptions = {}): Promise<ShutdownReport> {
    this.#shutdown ??= this.#shutdownWithin(options.deadlineMs ?? 10_000);
    return this.#shutdown;
  }

  async #shutdownWithin(deadlineMs: number): Promise<ShutdownReport> {
    this.#closed = true;
    for (const timer of this.#timers) clearInterval(timer);
    for (const unsubscribe of this.#unsubscribes) unsubscribe();
    let spooled = 0;
    let dropped = 0;
    const work = async (): Promise<ShutdownReport> => {
      const flushed = await within(this.#flush().then(() => true), Math.floor(deadlineMs * 0.75), () => false);
      if (!flushed) {
        const left = this.#buffer.splice(0);
        this.#taken += left.length;
        const abandoned: Promise<void>[] = [];
        for (const batch of this.#batches) {
          for (const sink of this.#sinks) {
            if (batch.settled.has(sink.name)) continue;
            batch.settled.add(sink.name);
            abandoned.push(this.#spoolFor(sink.name, batch.events).then((ok) => void (ok ? (spooled += batch.events.length) : (dropped += batch.events.length))));
          }
        }
        const events = left.map((entry) => entry.event);
        for (const sink of this.#sinks) {
          abandoned.push(this.#spoolFor(sink.name, events).then((ok) => void (ok ? (spooled += events.length) : (dropped += events.length))));
        }
        await Promise.all(abandoned);
        for (const entry of left) this.#changeDepth(entry.event.agentId, -1);
      }
      await this.#overflowRun;
      await Promise.all(this.#sinks.map((sink) => sink.shutdown().catch((error) => this.#logSinkBreach(sink, error))));
      return { flushed, spooled, dropped };
    };
    return within(work(), deadlineMs, () => ({ flushed: false, spooled, dropped }));
  }

  async #flush(): Promise<void> {
    this.#forcing += 1;
    try {
      const target = this.#accepted;
      this.#pump(true);
      while (this.#taken < target && this.#inFlight.size > 0) {
        await Promise.race(this.#inFlight);
        this.#pump(true);
      }
      await Promise.all([...this.#inFlight, this.#overflowRun]);
      await Promise.all(this.#sinks.map((sink) => sink.forceFlush().catch((error) => this.#logSinkBreach(sink, error))));
    } finally {
      this.#forcing -= 1;
    }
  }

  /** Takes batches from the buffer while the queue has room; partial batches only when `partial`. */
  #pump(partial: boolean): void {
    const takePartial = partial || this.#forcing > 0;
    while (this.#buffer.length > 0 && this.#inFlight.size < this.#maxInFlight) {
      if (!takePartial && this.#buffer.length < this.#batchSize) return;
      const entries = this.#buffer.splice(0, this.#batchSize);
      this.#taken += entries.length;
      const batch: Batch = { entries, events: entries.map((entry) => entry.event), settled: new Set() };
      this.#batches.add(batch);
      const task: Promise<void> = this.#queue
        .add(() => this.#deliver(batch))
        .catch((error: unknown) => this.#logger.error('usage pipeline delivery failed', { error_code: 'Internal', cause: describe(error) }))
        .finally(() => {
          this.#inFlight.delete(task);
          this.#pump(false);
        });
      this.#inFlight.add(task);
    }
  }

  async #deliver(batch: Batch): Promise<void> {
    try {
      await Promise.all(this.#sinks.map((sink) => this.#writeBatch(sink, batch)));
    } finally {
      this.#batches.delete(batch);
      for (const event of batch.events) this.#changeDepth(event.agentId, -1);
    }
  }

  async #writeBatch(sink: UsageSink, batch: Batch): Promise<void> {
    if (batch.settled.has(sink.name)) return; // abandoned to the spool by the shutdown deadline before it started
    const started = this.#clock.now();
    const result = await this.#write(sink, batch.events);
    if (batch.settled.has(sink.name)) return; // abandoned to the spool by the shutdown deadline
    const acknowledged = this.#clock.now();
    if (result.ok) {
      for (const agentId of new Set(batch.events.map((event) => event.agentId))) {
        this.#health.timing('LoggingLatency', { AgentId: agentId, LoggingBackend: sink.name }, acknowledged - started);
      }
      for (const entry of batch.entries) this.#health.timing('DeliveryLag', { LoggingBackend: sink.name }, acknowledged - entry.at);
      if (this.#spooledFor.has(sink.name)) void this.#replaySink(sink);
    } else {
      await this.#failed(sink, result, batch.events);
    }
    batch.settled.add(sink.name);
    this.#health.timing('BatchProcessingTime', { LoggingBackend: sink.name }, this.#clock.now() - started);
  }

  /** Counts a failed write and spools its events when a later try can succeed; true when handled. */
  async #failed(sink: UsageSink, result: Extract<WriteResult, { ok: false }>, events: readonly UsageEvent[]): Promise<void> {
    const failed = result.failed ?? events;
    this.#countByAgent(failed, sink.name, result.error.code);
    if (result.retryable) {
      await this.#spoolFor(sink.name, failed);
      return;
    }
    this.#logger.error(`sink "${sink.name}" refused usage events (not retryable): not spooled, a replay would fail the same way`, {
      error_code: result.error.code,
      logging_backend: sink.name,
      count: failed.length,
      event_ids: failed.map((event) => event.eventId),
      cause: result.error.message,
    });
  }

  async #write(sink: UsageSink, events: readonly UsageEvent[]): Promise<WriteResult> {
    try {
      return await sink.write(events);
    } catch (error) {
      this.#logSinkBreach(sink, error);
      return { ok: false, retryable: true, error: new UsageError('IO', `sink "${sink.name}" rejected a write: ${describe(error)}`, { cause: error }) };
    }
  }

  /** Appends to the spool; on failure counts and logs the events as dropped. True when spooled. */
  async #spoolFor(sinkName: string, events: readonly UsageEvent[]): Promise<boolean> {
    if (events.length === 0) return true;
    try {
      await this.#spool.append(sinkName, events);
      this.#spooledFor.add(sinkName);
      this.#spooledEvents += events.length;
      return true;
    } catch (error) {
      this.#countByAgent(events, sinkName, 'Dropped');
      this.#logger.error(`usage events dropped: neither sink "${sinkName}" nor the spool took them`, {
        error_code: 'Dropped',
        logging_backend: sinkName,
        count: events.length,
        event_ids: events.map((event) => event.eventId),
        cause: describe(error),
      });
      return false;
    }
  }

  #overflowToSpool(event: UsageEvent): void {
    if (this.#overflow.length >= this.#overflowCapacity) {
      this.#changeDepth(event.agentId, -1);
      for (const sink of this.#sinks) this.#countByAgent([event], sink.name, 'Dropped');
      this.#logger.error('usage event dropped: buffer and overflow full', { error_code: 'Dropped', count: 1, event_ids: [event.eventId], agent_id: event.agentId });
      return;
    }
    this.#overflow.push(event);
    this.#startOverflowDrain();
  }

  #startOverflowDrain(): void {
    if (this.#overflowRun) return;
    this.#overflowRun = Promise.resolve()
      .then(() => this.#drainOverflow())
      .finally(() => {
        this.#overflowRun = undefined;
        if (this.#overflow.length > 0) this.#startOverflowDrain();
      });
  }

  async #drainOverflow(): Promise<void> {
    while (this.#overflow.length > 0) {
      const events = this.#overflow.splice(0);
      for (const sink of this.#sinks) this.#countByAgent(events, sink.name, 'Overflow');
      await Promise.all(this.#sinks.map((sink) => this.#spoolFor(sink.name, events)));
      for (const event of events) this.#changeDepth(event.agentId, -1);
    }
  }

  #replaySink(sink: UsageSink): Promise<SpoolReplayResult> {
    const running = this.#replays.get(sink.name);
    if (running) {
      this.#replayAgain.add(sink.name);
      return running;
    }
    const run = this.#replayUntilCaughtUp(sink).finally(() => this.#replays.delete(sink.name));
    this.#replays.set(sink.name, run);
    return run;
  }

  async #replayUntilCaughtUp(sink: UsageSink): Promise<SpoolReplayResult> {
    let total: SpoolReplayResult = { replayed: 0, remaining: 0, corrupt: 0 };
    do {
      this.#replayAgain.delete(sink.name);
      this.#spooledFor.delete(sink.name);
      let result: SpoolReplayResult;
      try {
        result = await this.#spool.replay(sink.name, (batch) => this.#redeliver(sink, batch));
      } catch (error) {
        this.#spooledFor.add(sink.name);
        this.#health.count('LoggingErrors', { AgentId: this.#agentId, LoggingBackend: sink.name, ErrorType: 'SpoolReplay' });
        this.#logger.error(`spool replay for sink "${sink.name}" failed; the events stay spooled`, { error_code: 'SpoolReplay', logging_backend: sink.name, cause: describe(error) });
        return total;
      }
      this.#replayedEvents += result.replayed;
      total = { replayed: total.replayed + result.replayed, remaining: result.remaining, corrupt: total.corrupt + result.corrupt };
      if (result.corrupt > 0) {
        this.#health.count('LoggingErrors', { AgentId: this.#agentId, LoggingBackend: sink.name, ErrorType: 'CorruptSpoolEntry' }, result.corrupt);
        this.#logger.error(`spool for sink "${sink.name}" had unreadable entries (a torn write?); skipped`, { error_code: 'CorruptSpoolEntry', logging_backend: sink.name, count: result.corrupt });
      }
      if (result.remaining > 0) {
        this.#spooledFor.add(sink.name);
        return total;
      }
    } while (this.#replayAgain.has(sink.name) && !this.#closed);
    return total;
  }

  /** The deliver callback of a replay: false stops it (the sink is still failing). */
  async #redeliver(sink: UsageSink, events: readonly UsageEvent[]): Promise<boolean> {
    if (this.#closed) return false;
    const result = await this.#write(sink, events);
    if (result.ok) return true;
    if (result.retryable) return false;
    await this.#failed(sink, result, events);
    return true;
  }

  /** Counted under this process's agent: an invalid event's own agentId may be garbage (unbounded dimensions). */
  #invalid(field: string): void {
    this.#health.count('LoggingErrors', { AgentId: this.#agentId, LoggingBackend: PIPELINE_BACKEND, ErrorType: 'InvalidEvent' });
    this.#logger.error(`record() ignored an invalid usage event: field "${field}" is missing or malformed`, {
      error_code: 'InvalidEvent',
      agent_id: this.#agentId,
      field,
    });
  }

  #countByAgent(events: readonly UsageEvent[], backend: string, errorType: string): void {
    const perAgent = new Map<string, number>();
    for (const event of events) perAgent.set(event.agentId, (perAgent.get(event.agentId) ?? 0) + 1);
    for (const [agentId, count] of perAgent) {
      this.#health.count('LoggingErrors', { AgentId: agentId, LoggingBackend: backend, ErrorType: errorType }, count);
    }
  }

  #changeDepth(agentId: string, delta: number): void {
    this.#depth.set(agentId, (this.#depth.get(agentId) ?? 0) + delta);
  }

  /** Reports every agent's depth (0 included, once, before the agent is forgotten) and always this process's agent. */
  #reportDepth(): void {
    if (!this.#depth.has(this.#agentId)) this.#depth.set(this.#agentId, 0);
    for (const [agentId, depth] of this.#depth) {
      this.#health.gauge('LoggingQueueDepth', { AgentId: agentId }, depth);
      if (depth === 0 && agentId !== this.#agentId) this.#depth.delete(agentId);
    }
  }

  #logSinkBreach(sink: UsageSink, error: unknown): void {
    this.#logger.error(`sink "${sink.name}" threw instead of resolving (a contract breach); treated as a retryable failure`, {
      error_code: 'SinkContract',
      logging_backend: sink.name,
      cause: describe(error),
    });
  }
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new UsageError('INVALID_CONFIG', `UsagePipeline option "${name}" is ${String(value)} — expected a positive integer`);
  }
  return value;
}

/** `work`, or `fallback()` if `work` takes longer than `ms`. */
function within<T>(work: Promise<T>, ms: number, fallback: () => T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback()), ms);
    timer.unref();
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

function describe(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'unprintable error';
  }
}
