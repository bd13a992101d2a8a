import type { Writable } from 'node:stream';

import { LineWriter } from '../log/json-lines-sink';
import { BufferedHealthMetrics, type BufferedHealthMetricsOptions } from '../metrics/buffered-health-metrics';
import type { MetricSeries } from '../metrics/metric-aggregator';
import { emfSeriesDocuments } from './emf-document';

/**
 * Options of {@link EmfHealthMetrics}.
 *
 * @example
 * new EmfHealthMetrics({ output: process.stdout, flushIntervalMs: 60_000 });
 */
export interface EmfHealthMetricsOptions extends BufferedHealthMetricsOptions {
  /**
   * Where the EMF lines go (and, unless `log` says otherwise, the ERROR lines of logging errors).
   * @default process.stdout
   */
  readonly output?: Writable;
  /** @default 'BedrockUsage' */
  readonly namespace?: string;
}

/**
 * The pipeline's own metrics as EMF lines: aggregated per series and minute, written on each flush (counters as
 * one summed value, timings and queue depths as value arrays of ≤ 100).
 *
 * @example
 * const health = new EmfHealthMetrics();
 * health.timing('BatchProcessingTime', { LoggingBackend: 'DynamoDB' }, 12);
 * await health.shutdown();
 */
export class EmfHealthMetrics extends BufferedHealthMetrics {
  readonly #output: LineWriter;
  readonly #namespace: string;

  constructor(options: EmfHealthMetricsOptions = {}) {
    const output = options.output ?? process.stdout;
    super(options, options.log ?? output);
    this.#output = new LineWriter(output);
    this.#namespace = options.namespace ?? 'BedrockUsage';
  }

  protected async publish(series: readonly MetricSeries[]): Promise<readonly MetricSeries[]> {
    await this.#output.write(emfSeriesDocuments(this.#namespace, series).map((document) => JSON.stringify(document)));
    return [];
  }
}
