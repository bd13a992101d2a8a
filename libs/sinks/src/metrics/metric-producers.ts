import { UsageError } from '@bedrock-usage/core';

import { METRIC_NAMES, type MetricName } from './metric-catalog';

/**
 * Who turns a metric into CloudWatch data: `EMF` lines (CloudWatch Logs extracts them, no API call), `PutMetricData`
 * from the agent process, or the `BatchPublisher` app (from the store's change feed).
 *
 * @example
 * const producer: MetricProducer = 'EMF';
 */
export type MetricProducer = 'EMF' | 'PutMetricData' | 'BatchPublisher';

/** The producers: EMF first, so it is the default. */
export const METRIC_PRODUCERS: readonly MetricProducer[] = ['EMF', 'PutMetricData', 'BatchPublisher'];

/**
 * Which producer publishes which metrics: `'all'` or a list of names. Absent or empty: EMF for every metric.
 *
 * @example
 * const config: MetricProducerConfig = { EMF: ['LoggingQueueDepth'], BatchPublisher: ['EstimatedCost', 'TotalTokens'] };
 */
export type MetricProducerConfig = Readonly<Partial<Record<MetricProducer, readonly MetricName[] | 'all'>>>;

/**
 * The validated assignment: for each producer, the metrics it (and only it) publishes. Metrics no producer lists
 * are not published at all.
 *
 * @example
 * const { EMF } = validateMetricProducers();
 * new EmfMetricsSink({ metrics: EMF });
 */
export type MetricProducerAssignment = Readonly<Record<MetricProducer, readonly MetricName[]>>;

/**
 * Checks at start-up that every metric has at most one producer (two producers would count everything twice) and
 * that every name is known. Throws `UsageError('INVALID_CONFIG')` naming the metric and both producers.
 *
 * @example
 * validateMetricProducers({ EMF: 'all', PutMetricData: ['EstimatedCost'] });
 * // throws: metric "EstimatedCost" has two producers, EMF and PutMetricData — …
 */
export function validateMetricProducers(config: MetricProducerConfig = {}): MetricProducerAssignment {
  for (const key of Object.keys(config)) {
    if (!METRIC_PRODUCERS.includes(key as MetricProducer)) {
      throw new UsageError('INVALID_CONFIG', `unknown metric producer "${key}" — use one of ${METRIC_PRODUCERS.join(', ')}`);
    }
  }
  const configured = METRIC_PRODUCERS.some((producer) => config[producer] !== undefined);
  const effective: MetricProducerConfig = configured ? config : { EMF: 'all' };
  const owner = new Map<MetricName, MetricProducer>();
  const assignment: Record<MetricProducer, MetricName[]> = { EMF: [], PutMetricData: [], BatchPublisher: [] };
  for (const producer of METRIC_PRODUCERS) {
    const listed = effective[producer];
    if (listed === undefined) continue;
    const names = listed === 'all' ? METRIC_NAMES : listed;
    for (const name of names) {
      if (!METRIC_NAMES.includes(name)) {
        throw new UsageError('INVALID_CONFIG', `metric producer ${producer} lists unknown metric "${name}" — use one of ${METRIC_NAMES.join(', ')}`);
      }
      const other = owner.get(name);
      if (other !== undefined && other !== producer) {
        throw new UsageError(
          'INVALID_CONFIG',
          `metric "${name}" has two producers, ${other} and ${producer} — each metric must have exactly one producer, or it is counted twice; remove "${name}" from one of them`,
        );
      }
      if (other === undefined) assignment[producer].push(name);
      owner.set(name, producer);
    }
  }
  return assignment;
}
