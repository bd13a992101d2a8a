import type { Writable } from 'node:stream';

import { systemClock, type Clock, type HealthMetricName, type HealthMetrics } from '@bedrock-usage/core';

import { LineWriter } from '../log/json-lines-sink';
import { loggingErrorLogRecord } from '../log/usage-log-record';
import { MetricAggregator, MetricWindow, type MetricSeries } from './metric-aggregator';
import type { MetricName } from './metric-catalog';

/**
 * Options shared by the health-metrics implementations (`EmfHealthMetrics`, `CloudWatchHealthMetrics`).
 *
 * @example
 * const options: BufferedHealthMetricsOptions = { flushIntervalMs: 10_000 };
 */
export interface BufferedHealthMetricsOptions {
  /**
   * The metrics this producer publishes (from `validateMetricProducers`); others are ignored.
   * @default every metric of the catalog
   */
  readonly metrics?: readonly MetricName[];
  /**
   * How often the buffer is published (an unref'd timer; `flush()` publishes at once).
   * @default 60_000
   */
  readonly flushIntervalMs?: number;
  /**
   * Most series kept between publications; reports that would open more are dropped and counted in `dropped`.
   * @default 10_000
   */
  readonly maxSeries?: number;
  /**
   * Where `LoggingErrors` reports are also written as ERROR lines (`error_code` = ErrorType), as they happen.
   * @default process.stdout
   */
  readonly log?: Writable;
  /** @default systemClock */
  readonly clock?: Clock;
}

/**
 * Aggregates health reports per series and minute (values and counts), publishes them on a timer and on `flush()`,
 * writes an ERROR log line per `LoggingErrors` report. Calls are synchronous and never throw.
 */
export abstract class BufferedHealthMetrics implements HealthMetrics {
  protected readonly clock: Clock;
  readonly #aggregator: MetricAggregator;
  readonly #log: LineWriter;
  readonly #maxSeries: number;
  readonly #timer: NodeJS.Timeout;
  #window = new MetricWindow();
  #dropped = 0;
  #closed: Promise<void> | undefined;

  constructor(options: BufferedHealthMetricsOptions, log: Writable) {
    this.clock = options.clock ?? systemClock;
    this.#aggregator = new MetricAggregator({ metrics: options.metrics, clock: this.clock });
    this.#log = new LineWriter(log);
    this.#maxSeries = options.maxSeries ?? 10_000;
    this.#timer = setInterval(() => void this.flush(), options.flushIntervalMs ?? 60_000);
    this.#timer.unref();
  }

  /** Reports dropped because the buffer was full. */
  get dropped(): number {
    return this.#dropped;
  }

  count(name: HealthMetricName, dimensions: Readonly<Record<string, string>>, value = 1): void {
    this.#add(name, dimensions, value);
    if (name === 'LoggingErrors') {
      this.#log.write([JSON.stringify(loggingErrorLogRecord(dimensions, value, this.clock.now()))]).catch(() => undefined);
    }
  }

  gauge(name: HealthMetricName, dimensions: Readonly<Record<string, string>>, value: number): void {
    this.#add(name, dimensions, value);
  }

  timing(name: HealthMetricName, dimensions: Readonly<Record<string, string>>, ms: number): void {
    this.#add(name, dimensions, ms);
  }

  /** Publishes what was reported so far; what could not be published and is worth retrying stays for the next flush. */
  async flush(): Promise<void> {
    const window = this.#window;
    this.#window = new MetricWindow();
    const series = window.series();
    if (series.length > 0) {
      try {
        const retry = await this.publish(series);
        this.#window.merge(retry);
      } catch {
        this.#window.merge(series);
      }
    }
    await this.#log.flush();
  }

  /** Stops the timer and publishes the rest. Idempotent. */
  shutdown(): Promise<void> {
    clearInterval(this.#timer);
    this.#closed ??= this.flush();
    return this.#closed;
  }

  /** Publishes series; resolves with those worth retrying at the next flush (an empty list when all went out). */
  protected abstract publish(series: readonly MetricSeries[]): Promise<readonly MetricSeries[]>;

  #add(name: HealthMetricName, dimensions: Readonly<Record<string, string>>, value: number): void {
    try {
      this.#dropped += this.#window.add(this.#aggregator.observeHealth(name, dimensions, value), this.#maxSeries);
    } catch {
      this.#dropped += 1;
    }
  }
}
