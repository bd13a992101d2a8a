import type { Writable } from 'node:stream';

import type { Clock, UsageEvent } from '@bedrock-usage/core';

import { JsonLinesSink } from '../log/json-lines-sink';
import { usageLogRecord } from '../log/usage-log-record';
import { MetricAggregator, type IncidentDimensionOptions } from '../metrics/metric-aggregator';
import type { MetricName } from '../metrics/metric-catalog';
import { emfEventDocument } from './emf-document';

/**
 * Options of {@link EmfMetricsSink}.
 *
 * @example
 * new EmfMetricsSink({ output: createWriteStream('metrics.log', { flags: 'a' }), metrics: validateMetricProducers().EMF });
 */
export interface EmfMetricsSinkOptions {
  /**
   * Where the lines go (the caller owns it: shutdown does not end it).
   * @default process.stdout
   */
  readonly output?: Writable;
  /** @default 'BedrockUsage' */
  readonly namespace?: string;
  /**
   * The metrics this producer publishes (from `validateMetricProducers`).
   * @default every metric of the catalog
   */
  readonly metrics?: readonly MetricName[];
  /**
   * IncidentId as a metric dimension, capped.
   * @default undefined (off)
   */
  readonly incidentDimension?: IncidentDimensionOptions;
  /** @default systemClock */
  readonly clock?: Clock;
}

/**
 * The EMF sink (`EMF`): one CloudWatch Embedded Metric Format line per event — the metrics of every published
 * dimension set, with the event's log fields ({@link UsageLogRecord}) as properties, so the line is also the log
 * line (do not run the `Log` sink into the same log group). No API calls: CloudWatch Logs extracts the metrics.
 *
 * @example
 * const sink = new EmfMetricsSink();
 * await sink.write(events); // {"timestamp":…,"agent_id":"jira",…,"AgentId":"jira","InputTokens":100,…,"_aws":{…}}
 */
export class EmfMetricsSink extends JsonLinesSink {
  readonly name = 'EMF';
  readonly #namespace: string;
  readonly #aggregator: MetricAggregator;

  constructor(options: EmfMetricsSinkOptions = {}) {
    super(options.output ?? process.stdout, options.clock);
    this.#namespace = options.namespace ?? 'BedrockUsage';
    this.#aggregator = new MetricAggregator({ metrics: options.metrics, incidentDimension: options.incidentDimension, clock: options.clock });
  }

  protected line(event: UsageEvent): string {
    const now = this.clock.now();
    const time = Date.parse(event.time);
    const observations = this.#aggregator.observeEvent(event);
    return JSON.stringify(emfEventDocument(this.#namespace, Number.isFinite(time) ? time : now, observations, usageLogRecord(event, now)));
  }
}
