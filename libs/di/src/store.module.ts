import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ContainerModule, type ContainerModuleLoadOptions } from 'inversify';

import { NO_HEALTH_METRICS, UsageError, type Clock } from '@bedrock-usage/core';
import { CostAnalyzer, type UsageStore } from '@bedrock-usage/analyzer';
import { createUsageTable, DynamoDbProcessStatusStore, DynamoDbUsageStore, DynamoDbUsageStoreReader } from '@bedrock-usage/sinks';

import { startEmbeddedDynamoDb, type EmbeddedDynamoDb } from './internal/embedded-dynamodb';
import { embeddedStoreDir, type UsageStoreConfig } from './store-config';
import { TOKENS } from './tokens';

/** Options of {@link storeModule}, already read by the app's `loadConfig`. */
export interface StoreModuleOptions {
  /** The usage table. */
  readonly tableName: string;
  /** The region of the DynamoDB client. */
  readonly region: string;
  /**
   * A DynamoDB endpoint (dynalite, DynamoDB Local); requests then carry dummy credentials.
   * @default none (the AWS endpoint of `region`, credentials from the SDK's default chain)
   */
  readonly endpoint?: string;
  /**
   * Create the table (with its indexes) on first use unless it exists: for local endpoints; on AWS the infra stack
   * owns the table.
   * @default false
   */
  readonly createTable?: boolean;
  /** Raw-event retention in days (see `UsageStoreConfig.eventRetentionDays`). @default none (kept) */
  readonly eventRetentionDays?: number;
}

/** Options of {@link embeddedStoreModule}. */
export interface EmbeddedStoreModuleOptions {
  /** The usage table, created on first use. */
  readonly tableName: string;
  /** The directory dynalite keeps its LevelDB files in (created when missing). */
  readonly dataDir: string;
  /**
   * Empty the directory when the store starts — after claiming it, so a store another process holds is refused,
   * never deleted under it (`seed-demo --reset`).
   * @default false
   */
  readonly reset?: boolean;
  /** Raw-event retention in days (see `UsageStoreConfig.eventRetentionDays`). @default none (kept) */
  readonly eventRetentionDays?: number;
}


/**
 * The usage store on DynamoDB: the SDK client, the writer (`TOKENS.UsageStoreWriter`, a `DynamoDbUsageStore`), the
 * reader (`TOKENS.UsageStoreReader`) and the `CostAnalyzer` over it. The client is created on first use, so resolve
 * with `getAsync`; `TOKENS.StoreShutdown` destroys what was created.
 *
 * @example
 * container.load(domainModule(), storeModule({ tableName: 'bedrock-usage', region: 'us-east-1' }));
 * const report = await (await container.getAsync(TOKENS.CostAnalyzer)).generateDailyCostReport('2025-03-11');
 * await container.get(TOKENS.StoreShutdown)();
 */
export function storeModule(options: StoreModuleOptions): ContainerModule {
  return new ContainerModule((module) => bindStore(module, options, options.createTable === true, async () => ({ endpoint: options.endpoint, region: options.region })));
}

/**
 * {@link storeModule} on an embedded DynamoDB: dynalite started in this process on 127.0.0.1 (a free port), keeping
 * its data on disk in `dataDir`, with the table created on first use. `TOKENS.StoreShutdown` stops it (and releases
 * the directory's lock); one process at a time may hold a data directory.
 *
 * @example
 * container.load(domainModule(), embeddedStoreModule({ tableName: 'bedrock-usage', dataDir: '.bedrock-usage' }));
 */
export function embeddedStoreModule(options: EmbeddedStoreModuleOptions): ContainerModule {
  let embedded: Promise<EmbeddedDynamoDb> | undefined;
  return new ContainerModule((module) =>
    bindStore(
      module,
      options,
      true,
      async () => {
        embedded ??= startEmbeddedDynamoDb(options.dataDir, { reset: options.reset });
        return { endpoint: (await embedded).endpoint, region: 'us-east-1' };
      },
      async () => {
        // A store that failed to start has nothing to stop (its error reached whoever resolved it).
        await (await embedded?.catch(() => undefined))?.close();
      },
    ),
  );
}

/**
 * The store module for an app's {@link UsageStoreConfig}: {@link embeddedStoreModule} on `<dataDir>/dynamodb`, else
 * {@link storeModule} (the table is created only at a local endpoint; on AWS the infra stack owns it). `resetEmbedded`
 * empties the embedded store when it starts (refused for DynamoDB).
 *
 * @example
 * container.load(domainModule(), usageStoreModule(loadUsageStoreConfig(process.env, { defaultDataDir: '.bedrock-usage' })));
 */
export function usageStoreModule(config: UsageStoreConfig, options: { readonly resetEmbedded?: boolean } = {}): ContainerModule {
  const { location, tableName, region, eventRetentionDays } = config;
  if (options.resetEmbedded && location.kind !== 'embedded') {
    throw new UsageError('INVALID_CONFIG', `only the embedded store can be reset — this store is DynamoDB (${location.endpoint ?? 'AWS'}); delete table "${tableName}" yourself`);
  }
  return location.kind === 'embedded'
    ? embeddedStoreModule({ tableName, dataDir: embeddedStoreDir(location.dataDir), reset: options.resetEmbedded, eventRetentionDays })
    : storeModule({ tableName, region, endpoint: location.endpoint, createTable: location.endpoint !== undefined, eventRetentionDays });
}

type Endpoint = { readonly endpoint: string | undefined; readonly region: string };

/** An hour older than the retention less this margin is not recomputed (its raw events may be expiring). */
const RETENTION_MARGIN_MS = 86_400_000;

function bindStore(
  { bind }: ContainerModuleLoadOptions,
  { tableName, eventRetentionDays }: { readonly tableName: string; readonly eventRetentionDays?: number },
  createTable: boolean,
  endpointOf: () => Promise<Endpoint>,
  stop: () => Promise<void> = async () => {},
): void {
  let client: Promise<DynamoDBClient> | undefined;
  bind(TOKENS.TableName).toConstantValue(tableName);
  bind(TOKENS.EventRetentionDays).toConstantValue(eventRetentionDays ?? null);
  bind(TOKENS.StoreEndpoint)
    .toResolvedValue(async () => (await endpointOf()).endpoint)
    .inSingletonScope();
  bind(TOKENS.DynamoDbClient)
    .toResolvedValue(() => {
      client ??= (async () => {
        const { endpoint, region } = await endpointOf();
        const created = new DynamoDBClient(endpoint === undefined ? { region } : { endpoint, region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
        if (createTable) await createUsageTable(created, tableName);
        return created;
      })();
      return client;
    })
    .inSingletonScope();
  bind(TOKENS.UsageStoreWriter)
    // dynalite counts throttles nowhere, and a one-shot command reads no health.
    .toResolvedValue((dynamo: DynamoDBClient) => new DynamoDbUsageStore({ client: dynamo, tableName, health: NO_HEALTH_METRICS, eventRetentionDays }), [TOKENS.DynamoDbClient])
    .inSingletonScope();
  bind(TOKENS.UsageStoreReader)
    .toResolvedValue((dynamo: DynamoDBClient) => new DynamoDbUsageStoreReader({ client: dynamo, tableName }), [TOKENS.DynamoDbClient])
    .inSingletonScope();
  bind(TOKENS.ProcessStatusStore)
    .toResolvedValue((dynamo: DynamoDBClient) => new DynamoDbProcessStatusStore({ client: dynamo, tableName }), [TOKENS.DynamoDbClient])
    .inSingletonScope();
  bind(TOKENS.CostAnalyzer)
    .toResolvedValue(
      (store: UsageStore, clock: Clock) =>
        new CostAnalyzer({ store, clock, ...(eventRetentionDays === undefined ? {} : { lateEventHorizonMs: eventRetentionDays * 86_400_000 - RETENTION_MARGIN_MS }) }),
      [TOKENS.UsageStoreReader, TOKENS.Clock],
    )
    .inSingletonScope();
  bind(TOKENS.StoreShutdown).toConstantValue(async () => {
    if (client) (await client.catch(() => undefined))?.destroy();
    await stop();
  });
}
