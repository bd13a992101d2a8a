import { join, resolve } from 'node:path';

import { UsageError } from '@bedrock-usage/core';
import { loadMetricsLocation, loadUsageStoreConfig, type MetricsLocation, type MetricsProducer, type UsageStoreConfig } from '@bedrock-usage/di';

/**
 * The batch publisher's settings, from the environment; validated once at start.
 *
 * @example
 * const config: PublisherConfig = loadConfig(process.env);
 */
export interface PublisherConfig extends UsageStoreConfig {
  /** BEDROCK_USAGE_METRICS_PRODUCER: `agents` (EMF, @default) or `publisher` (PutMetricData from here). */
  readonly metricsProducer: MetricsProducer;
  /** BEDROCK_USAGE_NAMESPACE / BEDROCK_USAGE_CLOUDWATCH_ENDPOINT: where the metrics go when this publishes them. */
  readonly metrics: MetricsLocation;
  /**
   * BEDROCK_USAGE_PUBLISHER_CHECKPOINT_FILE: the local feed's checkpoint, @default
   * `<BEDROCK_USAGE_DATA_DIR>/batch-publisher/checkpointed-event-ids-<table>`; none on AWS (the stream is the feed).
   */
  readonly checkpointFile?: string;
  /** BEDROCK_USAGE_PUBLISHER_BATCH_SIZE, @default 500. */
  readonly batchSize: number;
  /** BEDROCK_USAGE_PUBLISHER_POLL_MS: wait between polls of the local feed when nothing is new, @default 5000. */
  readonly pollIntervalMs: number;
}

/** The repository root (apps/batch-publisher/src → ../../..): home of the default data directory `.bedrock-usage/`. */
const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const DEFAULT_DATA_DIR = join(REPO_ROOT, '.bedrock-usage');
const PRODUCERS: readonly MetricsProducer[] = ['agents', 'publisher'];

/**
 * The only place the publisher reads `process.env`. A bad value stops start-up with a `UsageError('INVALID_CONFIG')`
 * naming the variable, the value and what is allowed (exit code 2).
 *
 * @example
 * const config = loadConfig({ ...process.env, BEDROCK_USAGE_METRICS_PRODUCER: 'publisher' });
 */
export function loadConfig(env: NodeJS.ProcessEnv): PublisherConfig {
  const store = loadUsageStoreConfig(env, { defaultDataDir: DEFAULT_DATA_DIR });
  const onAws = store.location.kind === 'dynamodb' && store.location.endpoint === undefined;
  const producer = env.BEDROCK_USAGE_METRICS_PRODUCER || 'agents';
  if (!PRODUCERS.includes(producer as MetricsProducer)) {
    throw invalid(`BEDROCK_USAGE_METRICS_PRODUCER="${producer}" is not a metrics producer — use agents (EMF lines from the agents, the default) or publisher (PutMetricData from the batch publisher)`);
  }
  const metrics = loadMetricsLocation(env, { region: store.region, onAws });
  if (producer === 'publisher' && metrics.kind !== 'cloudwatch') {
    throw invalid('BEDROCK_USAGE_METRICS_PRODUCER="publisher" needs CloudWatch — set BEDROCK_USAGE_CLOUDWATCH_ENDPOINT for a local endpoint, or run against AWS');
  }
  return {
    ...store,
    metricsProducer: producer as MetricsProducer,
    metrics,
    checkpointFile: checkpointFileOf(env, store, onAws),
    batchSize: integer(env, 'BEDROCK_USAGE_PUBLISHER_BATCH_SIZE', 500, 1, 10_000),
    pollIntervalMs: integer(env, 'BEDROCK_USAGE_PUBLISHER_POLL_MS', 5_000, 100, 3_600_000),
  };
}

function checkpointFileOf(env: NodeJS.ProcessEnv, store: UsageStoreConfig, onAws: boolean): string | undefined {
  const file = env.BEDROCK_USAGE_PUBLISHER_CHECKPOINT_FILE;
  if (file !== undefined && file !== '') {
    if (file.trim() === '' || file.includes('\0')) throw invalid(`BEDROCK_USAGE_PUBLISHER_CHECKPOINT_FILE="${file}" is not a file path — use a writable path, e.g. /var/lib/bedrock-usage/checkpointed-event-ids`);
    return resolve(file);
  }
  if (onAws) return undefined;
  const dataDir = store.location.kind === 'embedded' ? store.location.dataDir : resolve(env.BEDROCK_USAGE_DATA_DIR || DEFAULT_DATA_DIR);
  return join(dataDir, 'batch-publisher', `checkpointed-event-ids-${store.tableName}`);
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) throw invalid(`${name}="${raw}" is not an integer from ${min} to ${max} (default ${fallback})`);
  return value;
}

function invalid(message: string): UsageError {
  return new UsageError('INVALID_CONFIG', message);
}
