import { PutMetricDataCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';

import { BufferedHealthMetrics, type BufferedHealthMetricsOptions } from '../metrics/buffered-health-metrics';
import type { MetricSeries } from '../metrics/metric-aggregator';
import { isRetryableCloudWatchError, packRequests, splitSeries, toMetricDatum } from './put-metric-data-request';

/**
 * Options of {@link CloudWatchHealthMetrics}.
 *
 * @example
 * new CloudWatchHealthMetrics({ client, metrics: validateMetricProducers(config).PutMetricData });
 */
export interface CloudWatchHealthMetricsOptions extends BufferedHealthMetricsOptions {
  /** The caller's client; never destroyed here. */
  readonly client: CloudWatchClient;
  /** @default 'BedrockUsage' */
  readonly namespace?: string;
  /**
   * Abort a PutMetricData call after this long.
   * @default 10_000
   */
  readonly requestTimeoutMs?: number;
}

/**
 * The pipeline's own metrics through PutMetricData: aggregated per series and minute (values and counts, so
 * percentiles work), published on each flush within the request limits. A request that fails retryably is kept
 * for the next flush; one CloudWatch rejects is dropped (it would fail again).
 *
 * @example
 * const health = new CloudWatchHealthMetrics({ client });
 * health.count('CircuitBreakerTrips', { AgentId: 'jira', Component: 'DynamoDB' });
 * await health.flush();
 */
export class CloudWatchHealthMetrics extends BufferedHealthMetrics {
  readonly #client: CloudWatchClient;
  readonly #namespace: string;
  readonly #timeoutMs: number;

  constructor(options: CloudWatchHealthMetricsOptions) {
    super(options, options.log ?? process.stdout);
    this.#client = options.client;
    this.#namespace = options.namespace ?? 'BedrockUsage';
    this.#timeoutMs = options.requestTimeoutMs ?? 10_000;
  }

  protected async publish(series: readonly MetricSeries[]): Promise<readonly MetricSeries[]> {
    const retry: MetricSeries[] = [];
    for (const request of packRequests(this.#namespace, splitSeries(series))) {
      try {
        await this.#client.send(new PutMetricDataCommand({ Namespace: this.#namespace, MetricData: request.map(toMetricDatum) }), {
          abortSignal: AbortSignal.timeout(this.#timeoutMs),
        });
      } catch (error) {
        if (isRetryableCloudWatchError(error)) retry.push(...request);
      }
    }
    return retry;
  }
}
