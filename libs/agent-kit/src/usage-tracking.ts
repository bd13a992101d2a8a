import { mkdirSync } from 'node:fs';
import type { Writable } from 'node:stream';

import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

import { trackBedrockClient, type FallbackChains } from '@bedrock-usage/bedrock';
import { GuardedSink } from '@bedrock-usage/circuit-breaker';
import { NO_HEALTH_METRICS, settleWithin, type Spool, type UsageSink } from '@bedrock-usage/core';
import { PriceBook } from '@bedrock-usage/pricing';
import { UsagePipeline, type ShutdownReport } from '@bedrock-usage/recorder';
import { DynamoDbUsageStore, EmfHealthMetrics, EmfMetricsSink, FileSpool, JsonLogSink, StdoutSpool, validateMetricProducers } from '@bedrock-usage/sinks';

/**
 * The default pipeline's parts (see {@link startUsagePipeline}).
 *
 * @example
 * const options: UsagePipelineOptions = { agentId: 'jira', store: { client: dynamo }, spool: { dir: '/var/lib/bedrock-usage/spool/jira' } };
 */
export interface UsagePipelineOptions {
  /** The process's agent (breaker trips, queue depth, calls outside any usage context). */
  readonly agentId: string;
  /**
   * The usage store: DynamoDB through this client (its owner destroys it), or `false` for none.
   * @default none
   */
  readonly store?: { readonly client: DynamoDBClient; readonly tableName?: string; readonly eventRetentionDays?: number } | false;
  /**
   * EMF lines to `output`, in `namespace`: the usage metrics (unless `usageMetrics` is false: another producer
   * publishes them) and the pipeline's own health; `false` for none (the health metrics are then not reported).
   * @default { output: process.stdout, namespace: 'BedrockUsage', usageMetrics: true }
   */
  readonly emf?: { readonly output?: Writable; readonly namespace?: string; readonly usageMetrics?: boolean } | false;
  /**
   * One JSON usage log line per event to `output`.
   * @default none
   */
  readonly log?: { readonly output?: Writable };
  /**
   * Where what a sink cannot take waits: files in `dir` (replayed at start and when the sink recovers), or marked
   * stdout lines (`'stdout'`, for Lambda, where `/tmp` dies with the environment).
   */
  readonly spool: { readonly dir: string } | 'stdout';
  /** @default 1000 */
  readonly flushIntervalMs?: number;
  /** How long an open sink breaker waits before probing the sink again. @default 60000 */
  readonly breakerResetMs?: number;
}

/** A started default pipeline. */
export interface StartedUsagePipeline {
  readonly pipeline: UsagePipeline;
  /** Each sink behind its breaker (for status and the runbook's reset). */
  readonly sinks: readonly GuardedSink[];
  /** The pipeline's health metrics (EMF), or undefined when EMF is off. */
  readonly health: EmfHealthMetrics | undefined;
  /** Delivers or spools within `deadlineMs`, then flushes the health metrics; once only. */
  shutdown(deadlineMs?: number): Promise<ShutdownReport>;
}

/**
 * The default usage pipeline: the DynamoDB usage store, EMF lines and (optionally) JSON log lines, each behind its
 * own circuit breaker, with a spool for what they cannot take — started (the spool of an earlier run replayed).
 *
 * @example
 * const { pipeline, shutdown } = await startUsagePipeline({ agentId: 'jira', store: { client: dynamo }, spool: { dir } });
 */
export async function startUsagePipeline(options: UsagePipelineOptions): Promise<StartedUsagePipeline> {
  const { agentId } = options;
  const metrics = validateMetricProducers().EMF;
  const emf = options.emf === false ? undefined : (options.emf ?? {});
  const health = emf === undefined ? undefined : new EmfHealthMetrics({ output: emf.output, namespace: emf.namespace, metrics });
  const guard = (sink: UsageSink): GuardedSink => new GuardedSink(sink, { health, agentId, resetTimeoutMs: options.breakerResetMs });
  const sinks: GuardedSink[] = [];
  if (options.store) {
    const { client, tableName = 'bedrock-usage', eventRetentionDays } = options.store;
    // DynamoDBThrottles{TableName} are counted into the same health metrics.
    sinks.push(guard(new DynamoDbUsageStore({ client, tableName, health: health ?? NO_HEALTH_METRICS, ...(eventRetentionDays === undefined ? {} : { eventRetentionDays }) })));
  }
  if (emf !== undefined && emf.usageMetrics !== false) sinks.push(guard(new EmfMetricsSink({ output: emf.output, namespace: emf.namespace, metrics })));
  if (options.log) sinks.push(guard(new JsonLogSink({ output: options.log.output })));
  // The directory is created up front: the spool's start-up replay expects it.
  if (options.spool !== 'stdout') mkdirSync(options.spool.dir, { recursive: true });
  const spool: Spool = options.spool === 'stdout' ? new StdoutSpool() : new FileSpool({ dir: options.spool.dir });
  const pipeline = new UsagePipeline({ sinks, spool, health, agentId, flushIntervalMs: options.flushIntervalMs });
  await pipeline.start();
  let stopped: Promise<ShutdownReport> | undefined;
  return {
    pipeline,
    sinks,
    health,
    shutdown(deadlineMs = 5000) {
      stopped ??= (async () => {
        const report = await pipeline.shutdown({ deadlineMs });
        // The last health lines, but never past a second: the output may be what failed.
        if (health) await settleWithin(health.shutdown(), 1000);
        return report;
      })();
      return stopped;
    },
  };
}

/**
 * Options of {@link trackUsage}: the pipeline's, plus pricing and fallbacks.
 *
 * @example
 * const options: UsageTrackingOptions = { agentId: 'jira', region: 'us-east-1', store: { client: dynamo }, spool: { dir } };
 */
export interface UsageTrackingOptions extends UsagePipelineOptions {
  /** The region whose prices apply (the Bedrock client's). */
  readonly region: string;
  /** @default PriceBook.builtIn() */
  readonly priceBook?: PriceBook;
  /** Runbook 2: models a throttled or unavailable call moves to (every attempt accounted). @default none */
  readonly fallbacks?: FallbackChains;
  /** Called when tracking itself fails (never the agent's call): count or log it. @default ignored */
  readonly onTrackingError?: (error: unknown) => void;
}

/** A tracked client with its started pipeline. */
export interface UsageTracking extends StartedUsagePipeline {
  /** The same client, tracked: use it as before; every call becomes one usage event. */
  readonly client: BedrockRuntimeClient;
}

/**
 * The common case in one call: `client` tracked into the default pipeline (DynamoDB + EMF + spool), priced by the
 * built-in price book. Call `shutdown()` before the process ends (or in a Lambda handler's `finally`).
 *
 * @example
 * const usage = await trackUsage(new BedrockRuntimeClient({ region: 'us-east-1' }), {
 *   agentId: 'jira', region: 'us-east-1', store: { client: new DynamoDBClient({}) }, spool: { dir: '/var/lib/bedrock-usage/spool' },
 * });
 * await usage.client.send(new ConverseCommand({ modelId: 'amazon.nova-lite-v1:0', messages }));
 * await usage.shutdown();
 */
export async function trackUsage(client: BedrockRuntimeClient, options: UsageTrackingOptions): Promise<UsageTracking> {
  const started = await startUsagePipeline(options);
  const tracked = trackBedrockClient(client, {
    recorder: started.pipeline,
    pricer: options.priceBook ?? PriceBook.builtIn(),
    region: options.region,
    defaultAgentId: options.agentId,
    ...(options.fallbacks === undefined ? {} : { fallbacks: options.fallbacks }),
    ...(options.onTrackingError === undefined ? {} : { onTrackingError: options.onTrackingError }),
  });
  return { ...started, client: tracked };
}
