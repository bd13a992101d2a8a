import {
  BatchGetItemCommand,
  PutItemCommand,
  type AttributeValue,
  type BatchGetItemCommandOutput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  decodeUsageAggregate,
  encodeUsageAggregate,
  type IncidentOutcomeRecord,
  type UsageAggregate,
  type UsageStore,
} from '@bedrock-usage/analyzer';
import { UsageError, type UsageEvent } from '@bedrock-usage/core';

import { TableRequests } from './internal/table-requests';
import { fromItem, type Item } from './internal/usage-item';
import { DAY_SHARDS, USAGE_TABLE_INDEXES, assertTableName } from './usage-table';

const DAY_MS = 86_400_000;

/** Options of {@link DynamoDbUsageStoreReader}. */
export interface DynamoDbUsageStoreReaderOptions {
  /** The SDK client (its owner destroys it). */
  readonly client: DynamoDBClient;
  /** The usage table ({@link createUsageTable}); aggregates and outcomes live in it beside the events. */
  readonly tableName: string;
  /**
   * Bound of one SDK call, its own retries included.
   * @default 10000
   */
  readonly requestTimeoutMs?: number;
}

/**
 * The analyzer's `UsageStore` over the usage table (see the analyzer README, "Table design"): events through the
 * byDay (8 shards, sort-key range) and byIncident indexes; aggregates as items `pk = AGG#<day>`,
 * `sk = <hour>#<agentId>#<model>` (the aggregate as exact JSON in `data`, `requests` beside it for the conditional
 * put); incident outcomes as `pk = OUTCOME#<incidentId>`, `sk = OUTCOME`. Neither carries an index key, so no
 * index sees them. Rejects with `UsageError('IO' | 'INVALID_INPUT' …)`, never an SDK error.
 *
 * @example
 * const analyzer = new CostAnalyzer({ store: new DynamoDbUsageStoreReader({ client, tableName: 'bedrock-usage' }) });
 */
export class DynamoDbUsageStoreReader implements UsageStore {
  readonly #table: TableRequests;
  readonly #tableName: string;

  constructor(options: DynamoDbUsageStoreReaderOptions) {
    assertTableName(options.tableName);
    this.#tableName = options.tableName;
    this.#table = new TableRequests(options.client, options.tableName, options.requestTimeoutMs ?? 10_000);
  }

  async eventsBetween(from: string, to: string): Promise<readonly UsageEvent[]> {
    const start = Date.parse(from);
    const end = Date.parse(to);
    if (Number.isNaN(start) || Number.isNaN(end)) throw new UsageError('INVALID_INPUT', `eventsBetween(${JSON.stringify(from)}, ${JSON.stringify(to)}) — expected ISO-8601 times`);
    const { indexName, partitionKey, sortKey } = USAGE_TABLE_INDEXES.byDay;
    const queries: Promise<Item[]>[] = [];
    for (let day = Math.floor(start / DAY_MS) * DAY_MS; day < end; day += DAY_MS) {
      const date = new Date(day).toISOString().slice(0, 10);
      for (let shard = 0; shard < DAY_SHARDS; shard++) {
        // sortKey = "<ISO time>#<eventId>": BETWEEN "<from>" AND "<to>" is exactly from <= time < to.
        queries.push(
          this.#table.queryAll({
            IndexName: indexName,
            KeyConditionExpression: '#key = :key AND #sort BETWEEN :from AND :to',
            ExpressionAttributeNames: { '#key': partitionKey, '#sort': sortKey },
            ExpressionAttributeValues: { ':key': { S: `DAY#${date}#${shard}` }, ':from': { S: new Date(start).toISOString() }, ':to': { S: new Date(end).toISOString() } },
          }),
        );
      }
    }
    return (await Promise.all(queries)).flat().map(fromItem);
  }

  async eventsOfIncident(incidentId: string): Promise<readonly UsageEvent[]> {
    const { indexName, partitionKey } = USAGE_TABLE_INDEXES.byIncident;
    const items = await this.#table.queryAll({
      IndexName: indexName,
      KeyConditionExpression: '#key = :key',
      ExpressionAttributeNames: { '#key': partitionKey },
      ExpressionAttributeValues: { ':key': { S: `INCIDENT#${incidentId}` } },
    });
    return items.map(fromItem);
  }

  async aggregatesOfDay(day: string): Promise<readonly UsageAggregate[]> {
    const items = await this.#table.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: `AGG#${day}` } },
      ConsistentRead: true,
    });
    return items.map((item) => decodeUsageAggregate(JSON.parse(item.data?.S ?? 'null')));
  }

  async putAggregates(aggregates: readonly UsageAggregate[]): Promise<void> {
    // One conditional PutItem each (BatchWriteItem has no conditions): a stored aggregate computed from more
    // events is newer and is kept.
    const queue = [...aggregates];
    const worker = async (): Promise<void> => {
      for (let aggregate = queue.shift(); aggregate; aggregate = queue.shift()) {
        try {
          await this.#table.send(
            new PutItemCommand({
              TableName: this.#tableName,
              Item: {
                pk: { S: `AGG#${aggregate.day}` },
                sk: { S: `${aggregate.bucket}#${aggregate.agentId}#${aggregate.model}` },
                requests: { N: String(aggregate.requests) },
                data: { S: JSON.stringify(encodeUsageAggregate(aggregate)) },
              },
              ConditionExpression: 'attribute_not_exists(pk) OR #requests <= :requests',
              ExpressionAttributeNames: { '#requests': 'requests' },
              ExpressionAttributeValues: { ':requests': { N: String(aggregate.requests) } },
            }),
            'PutItem',
          );
        } catch (error) {
          if ((error as UsageError).cause instanceof Error && ((error as UsageError).cause as Error).name === 'ConditionalCheckFailedException') continue;
          throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
  }

  async incidentOutcomes(incidentIds: readonly string[]): Promise<ReadonlyMap<string, IncidentOutcomeRecord>> {
    const out = new Map<string, IncidentOutcomeRecord>();
    const ids = [...new Set(incidentIds)];
    for (let i = 0; i < ids.length; i += 100) {
      let keys: Record<string, AttributeValue>[] = ids.slice(i, i + 100).map((id) => ({ pk: { S: `OUTCOME#${id}` }, sk: { S: 'OUTCOME' } }));
      for (let attempt = 0; keys.length > 0; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)).unref());
        if (attempt > 8) throw new UsageError('IO', `reading incident outcomes from "${this.#tableName}": still unprocessed after 8 retries — retry later`);
        const page = await this.#table.send<BatchGetItemCommandOutput>(new BatchGetItemCommand({ RequestItems: { [this.#tableName]: { Keys: keys, ConsistentRead: true } } }), 'BatchGetItem');
        for (const item of page.Responses?.[this.#tableName] ?? []) {
          const record = JSON.parse(item.data?.S ?? 'null') as IncidentOutcomeRecord | null;
          if (record) out.set(record.incidentId, record);
        }
        keys = page.UnprocessedKeys?.[this.#tableName]?.Keys ?? [];
      }
    }
    return out;
  }

  async putIncidentOutcome(record: IncidentOutcomeRecord): Promise<void> {
    await this.#table.send(
      new PutItemCommand({
        TableName: this.#tableName,
        Item: { pk: { S: `OUTCOME#${record.incidentId}` }, sk: { S: 'OUTCOME' }, data: { S: JSON.stringify(record) } },
      }),
      'PutItem',
    );
  }
}
