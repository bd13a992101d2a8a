import { PutMetricDataCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';

import {
  systemClock,
  UsageError,
  type Clock,
  type HealthMetrics,
  type UsageEvent,
  type UsageSink,
  type WriteResult,
} from '@bedrock-usage/core';

import { MetricAggregator, MetricWindow, type IncidentDimensionOptions, type MetricObservation, type MetricSeries } from '../metrics/metric-aggregator';
import type { MetricName } from '../metrics/metric-catalog';
import { RecentEventIds } from '../metrics/recent-event-ids';
import { isRetryableCloudWatchError, MAX_AGE_MS, MAX_AHEAD_MS, requestsNeeded, splitSeries, toMetricDatum } from './put-metric-data-request';

/** Ids remembered against repeats and replays. */
const RECENT_IDS = 100_000;

/**
 * Options of {@link CloudWatchMetricsSink}.
 *
 * @example
 * new CloudWatchMetricsSink({ client: new CloudWatchClient({ region: 'us-east-1' }), metrics: validateMetricProducers(config).PutMetricData });
 */
export interface CloudWatchMetricsSinkOptions {
  /** The caller's client (region, credentials, retries); the sink never destroys it. */
  readonly client: CloudWatchClient;
  /** @default 'BedrockUsage' */
  readonly namespace?: string;
  /**
   * The metrics this producer publishes (from `validateMetricProducers`); health metrics go through `CloudWatchHealthMetrics`.
   * @default every metric of the catalog
   */
  readonly metrics?: readonly MetricName[];
  /**
   * IncidentId as a metric dimension, capped.
   * @default undefined (off)
   */
  readonly incidentDimension?: IncidentDimensionOptions;
  /**
   * Abort a PutMetricData call after this long (counted as a retryable failure).
   * @default 10_000
   */
  readonly requestTimeoutMs?: number;
  /**
   * Where events too old (> 14 days) or too far ahead (> 2 h) for CloudWatch are counted, as
   * `LoggingErrors{ErrorType=OutOfRange}` (they stay in the store and the log).
   * @default undefined (not counted)
   */
  readonly health?: HealthMetrics;
  /** @default systemClock */
  readonly clock?: Clock;
}

interface Item {
  readonly event: UsageEvent;
  readonly observations: MetricObservation[];
  /** Minute, agent and model: the sort key that keeps events of one series together. */
  readonly order: string;
}

interface Chunk {
  readonly events: readonly UsageEvent[];
  readonly parts: readonly MetricSeries[];
}

/**
 * The CloudWatch metrics sink (`CloudWatch`): each write is one window, aggregated into values and counts per series
 * (metric × published dimension set × minute) and sent with PutMetricData in requests of ≤ 1000 data, ≤ 1 MB,
 * ≤ 150 values per datum. Events are packed so each request carries whole events: when a request fails, exactly
 * the events of it and of the requests not sent come back as `failed`, and none is published twice.
 *
 * @example
 * const sink = new CloudWatchMetricsSink({ client });
 * const result = await sink.write(events);
 * if (!result.ok && result.retryable) spool.append(sink.name, result.failed ?? events);
 */
export class CloudWatchMetricsSink implements UsageSink {
  readonly name = 'CloudWatch';
  readonly #client: CloudWatchClient;
  readonly #namespace: string;
  readonly #aggregator: MetricAggregator;
  readonly #timeoutMs: number;
  readonly #health: HealthMetrics | undefined;
  readonly #clock: Clock;
  readonly #recent = new RecentEventIds(RECENT_IDS);
  readonly #inflight = new Set<Promise<WriteResult>>();
  #closed: Promise<void> | undefined;

  constructor(options: CloudWatchMetricsSinkOptions) {
    this.#client = options.client;
    this.#namespace = options.namespace ?? 'BedrockUsage';
    this.#clock = options.clock ?? systemClock;
    this.#aggregator = new MetricAggregator({ metrics: options.metrics, incidentDimension: options.incidentDimension, clock: this.#clock });
    this.#timeoutMs = options.requestTimeoutMs ?? 10_000;
    this.#health = options.health;
  }

  write(events: readonly UsageEvent[]): Promise<WriteResult> {
    if (this.#closed) {
      return Promise.resolve({ ok: false, retryable: false, error: new UsageError('SHUT_DOWN', 'CloudWatch sink is shut down — nothing more is published') });
    }
    const run = this.#publish(events);
    this.#inflight.add(run);
    void run.finally(() => this.#inflight.delete(run));
    return run;
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.#inflight);
  }

  shutdown(): Promise<void> {
    this.#closed ??= this.forceFlush();
    return this.#closed;
  }

  async #publish(events: readonly UsageEvent[]): Promise<WriteResult> {
    const now = this.#clock.now();
    const items: Item[] = [];
    for (const event of this.#recent.unseen(events)) {
      const time = Date.parse(event.time);
      if (Number.isFinite(time) && (time < now - MAX_AGE_MS || time > now + MAX_AHEAD_MS)) {
        this.#health?.count('LoggingErrors', { AgentId: event.agentId, LoggingBackend: this.name, ErrorType: 'OutOfRange' });
        this.#recent.remember([event]);
        continue;
      }
      items.push({ event, observations: this.#aggregator.observeEvent(event), order: `${event.time.slice(0, 16)}\u0000${event.agentId}\u0000${event.modelId}` });
    }
    const chunks = this.#chunks(items);
    for (const [index, chunk] of chunks.entries()) {
      if (chunk.parts.length > 0) {
        try {
          await this.#client.send(new PutMetricDataCommand({ Namespace: this.#namespace, MetricData: chunk.parts.map(toMetricDatum) }), {
            abortSignal: AbortSignal.timeout(this.#timeoutMs),
          });
        } catch (error) {
          const failed = chunks.slice(index).flatMap((rest) => rest.events);
          const retryable = isRetryableCloudWatchError(error);
          const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
          return { ok: false, retryable, failed, error: new UsageError('IO', `PutMetricData to namespace ${this.#namespace} failed (${reason})${retryable ? '' : ' — the request was rejected; check the metric data and the IAM permission cloudwatch:PutMetricData'}`, { cause: error }) };
        }
      }
      this.#recent.remember(chunk.events);
    }
    return { ok: true };
  }

  /**
   * Whole events per request. Events are ordered by minute, agent and model so that neighbours share series; a
   * window too big for one request is cut into as many equal slices as its size asks for, each checked again.
   */
  #chunks(items: readonly Item[], ordered = false): Chunk[] {
    if (items.length === 0) return [];
    const sorted = ordered ? items : [...items].sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
    const window = new MetricWindow();
    for (const item of sorted) window.add(item.observations);
    const parts = splitSeries(window.series());
    const slices = requestsNeeded(this.#namespace, parts);
    if (sorted.length === 1 || slices === 1) return [{ events: sorted.map((item) => item.event), parts }];
    const size = Math.ceil(sorted.length / Math.max(2, slices));
    const chunks: Chunk[] = [];
    for (let i = 0; i < sorted.length; i += size) chunks.push(...this.#chunks(sorted.slice(i, i + size), true));
    return chunks;
  }
}
