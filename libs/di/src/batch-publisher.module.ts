import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ContainerModule } from 'inversify';

import type { CostAnalyzer } from '@bedrock-usage/analyzer';
import { UsageError, type UsageSink } from '@bedrock-usage/core';
import { BatchPublisher, stderrJsonLogger } from '@bedrock-usage/recorder';
import { CloudWatchMetricsSink, decodeUsageStreamRecords, DynamoDbTableScanFeed, validateMetricProducers } from '@bedrock-usage/sinks';

import type { MetricsLocation } from './diagnostics.module';
import { TOKENS } from './tokens';

/**
 * Who turns usage events into CloudWatch metrics: the agents (EMF lines, the default) or the batch publisher
 * (PutMetricData from the store's new events). Never both: each metric has one producer.
 *
 * @example
 * const producer: MetricsProducer = 'publisher';
 */
export type MetricsProducer = 'agents' | 'publisher';

/**
 * Options of {@link batchPublisherModule}, already read by the app's `loadConfig`.
 *
 * @example
 * batchPublisherModule({ metricsProducer: 'agents', checkpointFile: '.bedrock-usage/batch-publisher/checkpointed-event-ids' });
 */
export interface BatchPublisherModuleOptions {
  /** `publisher`: bind a `CloudWatchMetricsSink` of every metric (validated as the `BatchPublisher` producer). */
  readonly metricsProducer: MetricsProducer;
  /** Where CloudWatch is, when the publisher produces the metrics (`loadMetricsLocation`); required then. */
  readonly metrics?: MetricsLocation;
  /**
   * The local feed's checkpoint file (see `DynamoDbTableScanFeed`).
   * @default none (`TOKENS.UsageEventFeed` cannot be resolved: on AWS the DynamoDB Stream is the feed)
   */
  readonly checkpointFile?: string;
  /** @default 500 */
  readonly batchSize?: number;
  /** @default 5000 */
  readonly pollIntervalMs?: number;
  /** @default 500 */
  readonly baseDelayMs?: number;
  /** @default 30000 */
  readonly maxDelayMs?: number;
}

/**
 * The batch publisher over the store of `storeModule` / `usageStoreModule`: `TOKENS.BatchPublisher` (refreshes the
 * `CostAnalyzer`'s aggregates; publishes metrics when `metricsProducer` is `publisher`), `TOKENS.UsageEventFeed` (the
 * local feed, a `DynamoDbTableScanFeed` over the usage table), `TOKENS.UsageStreamDecoder` (the DynamoDB Stream
 * records → events, for the Lambda handler) and `TOKENS.BatchPublisherShutdown` (flushes the metrics, closes the
 * feed and the CloudWatch client; safe when nothing was resolved). Resolve with `getAsync`.
 *
 * @example
 * container.load(domainModule(), usageStoreModule(store), batchPublisherModule({ metricsProducer: 'agents', checkpointFile }));
 * const publisher = await container.getAsync(TOKENS.BatchPublisher);
 * await publisher.drain(await container.getAsync(TOKENS.UsageEventFeed));
 * await container.get(TOKENS.BatchPublisherShutdown)();
 */
export function batchPublisherModule(options: BatchPublisherModuleOptions): ContainerModule {
  const { metrics } = options;
  if (options.metricsProducer === 'publisher' && metrics?.kind !== 'cloudwatch') {
    throw new UsageError('INVALID_CONFIG', 'the batch publisher produces the metrics but CloudWatch is not configured — set BEDROCK_USAGE_CLOUDWATCH_ENDPOINT (local) or run against AWS');
  }
  const names = validateMetricProducers({ BatchPublisher: 'all' }).BatchPublisher;
  let cloudWatch: CloudWatchClient | undefined;
  let sink: CloudWatchMetricsSink | undefined;
  let feed: DynamoDbTableScanFeed | undefined;
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.UsageEventFeed)
      .toResolvedValue(
        (client: DynamoDBClient, tableName: string) => {
          if (options.checkpointFile === undefined) {
            throw new UsageError('INVALID_CONFIG', 'the local feed has no checkpoint file — set BEDROCK_USAGE_PUBLISHER_CHECKPOINT_FILE (on AWS the DynamoDB Stream is the feed: deploy the Lambda handler)');
          }
          feed ??= new DynamoDbTableScanFeed({
            client,
            tableName,
            checkpointFile: options.checkpointFile,
            batchSize: options.batchSize,
            onUndecodable: (pk, error) => stderrJsonLogger.error('undecodable usage event item skipped by the feed', { error_code: 'INVALID_INPUT', pk, error }),
          });
          return feed;
        },
        [TOKENS.DynamoDbClient, TOKENS.TableName],
      )
      .inSingletonScope();
    bind(TOKENS.BatchPublisher)
      .toResolvedValue((analyzer: CostAnalyzer) => {
        let metricsSink: UsageSink | undefined;
        if (options.metricsProducer === 'publisher' && metrics?.kind === 'cloudwatch') {
          cloudWatch ??= new CloudWatchClient(
            metrics.endpoint === undefined ? { region: metrics.region } : { region: metrics.region, endpoint: metrics.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } },
          );
          sink ??= new CloudWatchMetricsSink({ client: cloudWatch, namespace: metrics.namespace, metrics: names });
          metricsSink = sink;
        }
        return new BatchPublisher({
          aggregates: analyzer,
          metrics: metricsSink,
          pollIntervalMs: options.pollIntervalMs,
          baseDelayMs: options.baseDelayMs,
          maxDelayMs: options.maxDelayMs,
        });
      }, [TOKENS.CostAnalyzer])
      .inSingletonScope();
    bind(TOKENS.UsageStreamDecoder).toConstantValue(decodeUsageStreamRecords);
    bind(TOKENS.BatchPublisherShutdown).toConstantValue(async () => {
      await sink?.shutdown();
      await feed?.close();
      cloudWatch?.destroy();
    });
  });
}
