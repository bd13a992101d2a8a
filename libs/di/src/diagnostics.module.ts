import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ContainerModule } from 'inversify';

import { UsageError } from '@bedrock-usage/core';
import { recentCloudWatchMetrics, storeClockSkew, usageTableProblems, type StoreClockSkew } from '@bedrock-usage/sinks';

import { TOKENS } from './tokens';

/**
 * Where metrics are checked by `cli doctor`: CloudWatch (on AWS, or at a local endpoint), or nowhere (locally the
 * agents' metrics are EMF lines in their output).
 *
 * @example
 * const metrics: MetricsLocation = { kind: 'cloudwatch', namespace: 'BedrockUsage', region: 'us-east-1' };
 */
export type MetricsLocation = { readonly kind: 'local' } | { readonly kind: 'cloudwatch'; readonly namespace: string; readonly region: string; readonly endpoint?: string };

/**
 * The read-only checks `cli doctor` runs against the configured AWS (or local) services.
 *
 * @example
 * const problems = await (await container.getAsync(TOKENS.Diagnostics)).tableProblems();
 */
export interface Diagnostics {
  /** What is wrong with the usage table (none: all is well); rejects when DynamoDB cannot be asked. */
  tableProblems(): Promise<readonly string[]>;
  /** This machine's clock against the DynamoDB endpoint's. */
  clockSkew(): Promise<StoreClockSkew>;
  /** Where metrics go. */
  readonly metrics: MetricsLocation;
  /** The metric names of the namespace active in the last 3 hours; rejects when CloudWatch cannot be asked. Only when `metrics.kind` is cloudwatch. */
  recentMetrics(): Promise<readonly string[]>;
  /** Releases the CloudWatch client. */
  close(): void;
}

const NAMESPACE = /^[^:][\x20-\x7e]{0,254}$/;

/**
 * Reads the metrics location from `env`: BEDROCK_USAGE_NAMESPACE (default BedrockUsage) and
 * BEDROCK_USAGE_CLOUDWATCH_ENDPOINT (a local endpoint); CloudWatch when that is set or the store is on AWS.
 *
 * @example
 * const metrics = loadMetricsLocation(process.env, { region: 'us-east-1', onAws: true });
 */
export function loadMetricsLocation(env: NodeJS.ProcessEnv, store: { readonly region: string; readonly onAws: boolean }): MetricsLocation {
  const namespace = env.BEDROCK_USAGE_NAMESPACE || 'BedrockUsage';
  if (!NAMESPACE.test(namespace) || namespace.startsWith('AWS/')) {
    throw new UsageError('INVALID_CONFIG', `BEDROCK_USAGE_NAMESPACE="${namespace}" is not a custom CloudWatch namespace — use 1 to 255 printable ASCII characters, not starting with ":" or "AWS/" (default BedrockUsage)`);
  }
  const endpoint = env.BEDROCK_USAGE_CLOUDWATCH_ENDPOINT || undefined;
  if (endpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(endpoint)) {
    throw new UsageError('INVALID_CONFIG', `BEDROCK_USAGE_CLOUDWATCH_ENDPOINT="${endpoint}" is not an http(s) URL — use one like http://127.0.0.1:4566, or unset it`);
  }
  if (endpoint === undefined && !store.onAws) return { kind: 'local' };
  return { kind: 'cloudwatch', namespace, region: store.region, ...(endpoint === undefined ? {} : { endpoint }) };
}

/**
 * Binds `TOKENS.Diagnostics` over the store module's DynamoDB client (load a store module too).
 *
 * @example
 * container.load(domainModule(), usageStoreModule(config), diagnosticsModule(loadMetricsLocation(env, { region, onAws })));
 */
export function diagnosticsModule(metrics: MetricsLocation): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.Diagnostics)
      .toResolvedValue(
        (dynamo: DynamoDBClient, tableName: string): Diagnostics => {
          let cloudWatch: CloudWatchClient | undefined;
          const cloudWatchClient = (): CloudWatchClient => {
            if (metrics.kind !== 'cloudwatch') throw new UsageError('INVALID_CONFIG', 'CloudWatch is not configured (local metrics are EMF lines)');
            cloudWatch ??= new CloudWatchClient(
              metrics.endpoint === undefined ? { region: metrics.region } : { region: metrics.region, endpoint: metrics.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } },
            );
            return cloudWatch;
          };
          return {
            tableProblems: () => usageTableProblems(dynamo, tableName),
            clockSkew: () => storeClockSkew(dynamo),
            metrics,
            recentMetrics: () => recentCloudWatchMetrics(cloudWatchClient(), metrics.kind === 'cloudwatch' ? metrics.namespace : ''),
            close: () => cloudWatch?.destroy(),
          };
        },
        [TOKENS.DynamoDbClient, TOKENS.TableName],
      )
      .inSingletonScope();
  });
}
