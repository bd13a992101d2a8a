import { sleep, UsageError, type UsageEvent, type UsageSink } from '@bedrock-usage/core';

import { stderrJsonLogger, type PipelineLogger } from './pipeline-logger';
import type { AggregateRefresher, UsageEventFeed } from './usage-event-feed.port';

/**
 * Options of {@link BatchPublisher}.
 *
 * @example
 * const options: BatchPublisherOptions = { aggregates: analyzer, metrics: cloudWatchSink, pollIntervalMs: 2_000 };
 */
export interface BatchPublisherOptions {
  /** Recomputes the aggregates of the hours a batch touches (`CostAnalyzer`). */
  readonly aggregates: AggregateRefresher;
  /**
   * Publishes the metrics of each event once (a `CloudWatchMetricsSink` limited to the `BatchPublisher` metrics), when
   * the publisher is the metrics producer.
   * @default none (the agents emit EMF; the publisher only refreshes aggregates)
   */
  readonly metrics?: UsageSink;
  /** @default stderrJsonLogger */
  readonly logger?: PipelineLogger;
  /**
   * First backoff after a failure; doubling, with full jitter.
   * @default 500
   */
  readonly baseDelayMs?: number;
  /**
   * Cap of one backoff.
   * @default 30000
   */
  readonly maxDelayMs?: number;
  /**
   * Wait between polls of an empty feed (`run`).
   * @default 5000
   */
  readonly pollIntervalMs?: number;
  /**
   * Event ids remembered as published to the metrics sink (the oldest forgotten first).
   * @default 100000
   */
  readonly rememberedIds?: number;
}

/**
 * What one batch did.
 *
 * @example
 * const { events, written, published } = await publisher.publish(batch);
 */
export interface BatchPublication {
  /** Distinct events of the batch. */
  readonly events: number;
  /** Aggregates written (changed) by the refresh. */
  readonly written: number;
  /** Closed days whose aggregates this batch restated. */
  readonly restatedDays: readonly string[];
  /** Events whose metrics were published now (0 without a metrics sink, and for events published before). */
  readonly published: number;
}

/**
 * Keeps the analyzer's aggregates current from a {@link UsageEventFeed} and, when given a metrics sink, publishes
 * each event's metrics once. Per batch: refresh the aggregates (idempotent: a re-delivered or duplicated event
 * changes nothing), publish the metrics of the events not published yet, then checkpoint. A failure is logged and
 * the batch retried with capped, jittered backoff — never skipped; a stop request ends the loop after the batch in
 * progress is checkpointed (or, while it keeps failing, without checkpointing it: it is delivered again).
 *
 * @example
 * const publisher = new BatchPublisher({ aggregates: analyzer });
 * const stop = new AbortController();
 * process.once('SIGTERM', () => stop.abort());
 * await publisher.run(feed, stop.signal);
 */
export class BatchPublisher {
  readonly #aggregates: AggregateRefresher;
  readonly #metrics: UsageSink | undefined;
  readonly #logger: PipelineLogger;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #pollIntervalMs: number;
  readonly #capacity: number;
  readonly #published = new Set<string>();

  constructor(options: BatchPublisherOptions) {
    this.#aggregates = options.aggregates;
    this.#metrics = options.metrics;
    this.#logger = options.logger ?? stderrJsonLogger;
    this.#baseDelayMs = nonNegative('baseDelayMs', options.baseDelayMs, 500);
    this.#maxDelayMs = nonNegative('maxDelayMs', options.maxDelayMs, 30_000);
    this.#pollIntervalMs = nonNegative('pollIntervalMs', options.pollIntervalMs, 5_000);
    this.#capacity = nonNegative('rememberedIds', options.rememberedIds, 100_000);
  }

  /**
   * One attempt at one batch: refresh its hours' aggregates, then publish the metrics of its events not published
   * before (each eventId once). Rejects with a `UsageError` when the refresh fails or the metrics sink refuses
   * retryably (the events it did take are remembered, so a retry publishes only the rest). Metrics the sink rejects
   * for good (invalid data) are logged and not retried: retrying cannot change the answer.
   *
   * @example
   * await publisher.publish(eventsOfStreamRecords); // the Lambda handler: a rejection fails the stream batch
   */
  async publish(events: readonly UsageEvent[]): Promise<BatchPublication> {
    const refresh = await this.#aggregates.refreshAggregates(events);
    if ((refresh.tooLate ?? 0) > 0) {
      this.#logger.error('usage events older than the raw-event retention horizon: stored, not aggregated (their hour\'s other events may have expired)', { error_code: 'TooLate', count: refresh.tooLate });
    }
    let published = 0;
    if (this.#metrics) {
      const fresh = this.#unpublished(events);
      if (fresh.length > 0) {
        const result = await this.#metrics.write(fresh);
        const failed = result.ok ? [] : (result.failed ?? fresh);
        const failedIds = new Set(failed.map((event) => event.eventId));
        const done = fresh.filter((event) => !failedIds.has(event.eventId));
        this.#remember(done);
        published = done.length;
        if (!result.ok && result.retryable) {
          throw new UsageError('IO', `publishing the metrics of ${failed.length} event(s) failed — retried: ${result.error.message}`, { cause: result.error });
        }
        if (!result.ok) {
          this.#logger.error('usage metrics rejected by the metrics sink — not retried', { error_code: result.error.code, error: result.error.message, count: failed.length, event_ids: failed.slice(0, 20).map((event) => event.eventId) });
          this.#remember(failed);
        }
      }
    }
    return { events: refresh.events, written: refresh.written, restatedDays: refresh.restatedDays, published };
  }

  /**
   * Processes the feed's batches until it has nothing new (or `signal` aborts), each one published then
   * checkpointed, retrying failures with backoff. Resolves with the number of events processed; never rejects.
   *
   * @example
   * const processed = await publisher.drain(feed); // `run --once`, and tests
   */
  async drain(feed: UsageEventFeed, signal?: AbortSignal): Promise<number> {
    let processed = 0;
    while (!signal?.aborted) {
      const batch = await this.#retry('reading new usage events from the feed', () => feed.next(), signal);
      if (batch === undefined || batch.events.length === 0) break;
      const publication = await this.#retry(`refreshing aggregates for batch ${batch.position}`, () => this.publish(batch.events), signal);
      if (publication === undefined) break;
      // Checkpoint even when a stop was requested meanwhile: the batch is done, and a stop is "after checkpointing".
      const checkpointed = await this.#retry(`checkpointing batch ${batch.position}`, () => feed.checkpoint(batch).then(() => true), signal, true);
      if (checkpointed === undefined) break;
      processed += batch.events.length;
    }
    return processed;
  }

  /**
   * {@link drain} then wait `pollIntervalMs`, until `signal` aborts; resolves once the batch in progress is
   * checkpointed. Never rejects. Does not close the feed.
   *
   * @example
   * const stop = new AbortController();
   * process.once('SIGTERM', () => stop.abort());
   * await publisher.run(feed, stop.signal);
   * await feed.close();
   */
  async run(feed: UsageEventFeed, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.drain(feed, signal);
      await sleep(this.#pollIntervalMs, signal);
    }
  }

  /**
   * Runs `attempt` until it resolves, logging each failure and backing off; undefined once `signal` aborts first.
   * With `oneAfterAbort`, an abort still lets the current attempt sequence make one more try.
   */
  async #retry<T>(what: string, attempt: () => Promise<T>, signal: AbortSignal | undefined, oneAfterAbort = false): Promise<T | undefined> {
    for (let failures = 0; ; failures++) {
      if (signal?.aborted && !(oneAfterAbort && failures === 0)) return undefined;
      try {
        return await attempt();
      } catch (error) {
        const delay = Math.round(Math.random() * Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** Math.min(failures, 30)));
        this.#logger.error(`${what} failed — retrying in ${delay} ms`, {
          error_code: error instanceof UsageError ? error.code : 'Unknown',
          error: error instanceof Error ? error.message : String(error),
          attempt: failures + 1,
        });
        await sleep(delay, signal);
      }
    }
  }

  #unpublished(events: readonly UsageEvent[]): UsageEvent[] {
    const batch = new Set<string>();
    return events.filter((event) => {
      if (this.#published.has(event.eventId) || batch.has(event.eventId)) return false;
      batch.add(event.eventId);
      return true;
    });
  }

  #remember(events: readonly UsageEvent[]): void {
    for (const { eventId } of events) {
      this.#published.delete(eventId);
      this.#published.add(eventId);
      if (this.#published.size > this.#capacity) this.#published.delete(this.#published.values().next().value as string);
    }
  }
}

function nonNegative(field: string, value: number | undefined, fallback: number): number {
  const chosen = value ?? fallback;
  if (!Number.isSafeInteger(chosen) || chosen < 0) throw new UsageError('INVALID_CONFIG', `BatchPublisher "${field}" is ${JSON.stringify(value)} — expected an integer ≥ 0`);
  return chosen;
}
