import { Console } from 'node:console';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';

import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { usdToNumber, type UsageEvent } from '@bedrock-usage/core';
import { MetricsLogger, Unit } from 'aws-embedded-metrics';
import type { IEnvironment } from 'aws-embedded-metrics/lib/environment/IEnvironment';
import type { MetricsContext } from 'aws-embedded-metrics/lib/logger/MetricsContext';
import { LogSerializer } from 'aws-embedded-metrics/lib/serializers/LogSerializer';

import { REPO_ROOT } from './repo-root';

/**
 * A peer library emitting one event's metrics the way its documentation shows: two dimensions (AgentId, ModelId),
 * four metrics (InputTokens, OutputTokens, TotalTokens, EstimatedCost), then publish/flush — one EMF line per event.
 *
 * @example
 * const peer = powertoolsPeer(output);
 * peer.emit(event);
 */
export interface Peer {
  readonly name: string;
  /** One event's metrics, serialized and handed to the output. */
  emit(event: UsageEvent): void | Promise<void>;
}

/** The four metric values every peer emits for an event. */
function valuesOf(event: UsageEvent): readonly [string, number, 'Count' | 'None'][] {
  return [
    ['InputTokens', event.usage.inputTokens, 'Count'],
    ['OutputTokens', event.usage.outputTokens, 'Count'],
    ['TotalTokens', event.usage.totalTokens, 'Count'],
    ['EstimatedCost', event.cost === null ? 0 : usdToNumber(event.cost.total), 'None'],
  ];
}

/**
 * Powertools for AWS Lambda Metrics: `addDimension` ×2, `addMetric` ×4, `publishStoredMetrics()` per event. Powertools
 * writes with its own `Console` over process.stdout; that Console is pointed at `output` (the same target as ours).
 *
 * @example
 * const peer = powertoolsPeer(new NullWritable());
 */
export function powertoolsPeer(output: Writable): Peer {
  const metrics = new Metrics({ namespace: 'BedrockUsage', serviceName: 'bench' });
  Reflect.set(metrics, 'console', new Console({ stdout: output, stderr: output }));
  return {
    name: 'Powertools',
    emit(event) {
      metrics.addDimension('AgentId', event.agentId);
      metrics.addDimension('ModelId', event.modelId);
      for (const [name, value, unit] of valuesOf(event)) metrics.addMetric(name, unit === 'Count' ? MetricUnit.Count : MetricUnit.NoUnit, value);
      metrics.publishStoredMetrics();
    },
  };
}

/**
 * aws-embedded-metrics: a fresh `MetricsLogger` per event (as its `metricScope` does), `putDimensions`,
 * `putMetric` ×4, `flush()`. Its environment is a fixed one whose sink writes the library's own serialization to
 * `output` (the library's ConsoleSink writes the same lines to the global console).
 *
 * @example
 * const peer = embeddedMetricsPeer(new NullWritable());
 * await peer.emit(event);
 */
export function embeddedMetricsPeer(output: Writable): Peer {
  const serializer = new LogSerializer();
  const environment: IEnvironment = {
    probe: () => Promise.resolve(true),
    getName: () => 'bench',
    getType: () => 'bench',
    getLogGroupName: () => 'bench',
    configureContext: () => undefined,
    getSink: () => ({
      name: 'bench',
      accept(context: MetricsContext) {
        for (const line of serializer.serialize(context)) output.write(`${line}\n`);
        return Promise.resolve();
      },
    }),
  };
  const resolveEnvironment = (): Promise<IEnvironment> => Promise.resolve(environment);
  return {
    name: 'aws-embedded-metrics',
    emit(event) {
      const logger = new MetricsLogger(resolveEnvironment);
      logger.putDimensions({ AgentId: event.agentId, ModelId: event.modelId });
      for (const [name, value, unit] of valuesOf(event)) logger.putMetric(name, value, unit === 'Count' ? Unit.Count : Unit.None);
      return logger.flush();
    },
  };
}

/**
 * The installed versions of the two peers (their package.json).
 *
 * @example
 * peerVersions(); // { '@aws-lambda-powertools/metrics': '2.36.0', 'aws-embedded-metrics': '4.2.1' }
 */
export function peerVersions(): Readonly<Record<string, string>> {
  const versionOf = (name: string): string =>
    (JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  return { '@aws-lambda-powertools/metrics': versionOf('@aws-lambda-powertools/metrics'), 'aws-embedded-metrics': versionOf('aws-embedded-metrics') };
}
