import {
  CreateTableCommand,
  DescribeTableCommand,
  waitUntilTableExists,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { UsageError } from '@bedrock-usage/core';

import { classifyFailure } from './internal/dynamodb-failure';

/**
 * Partitions of the by-day index per day: an event goes to `DAY#<yyyy-mm-dd>#<n>` with n from a hash of its eventId,
 * so one day's writes spread over this many partitions (a reader of a day queries all of them). Fixed: writers and
 * readers must agree on it.
 *
 * @example
 * for (let shard = 0; shard < DAY_SHARDS; shard++) query(`DAY#2025-03-11#${shard}`);
 */
export const DAY_SHARDS = 8;

/**
 * The usage table's key design. Base table: `pk` = `EVENT#<eventId>`, `sk` = `EVENT` (one item per event; the
 * key is the idempotency key). Every index sorts by `sortKey` = `<time as ISO-8601 UTC>#<eventId>` (unique per event,
 * ordered by time) and projects ALL attributes, so a report reads an index and nothing else.
 *
 * @example
 * const { indexName, partitionKey } = USAGE_TABLE_INDEXES.byAgentDay; // 'byAgentDay', 'agentDayKey'
 */
export const USAGE_TABLE_INDEXES = {
  /** `DAY#<yyyy-mm-dd>#<n>` ({@link DAY_SHARDS} shards): a day, a time range within a day. */
  byDay: { indexName: 'byDay', partitionKey: 'dayKey', sortKey: 'sortKey' },
  /** `AGENT#<agentId>#<yyyy-mm-dd>`: an agent's day. */
  byAgentDay: { indexName: 'byAgentDay', partitionKey: 'agentDayKey', sortKey: 'sortKey' },
  /** `INCIDENT#<incidentId>`: an incident's events (sparse: only events with an incident). */
  byIncident: { indexName: 'byIncident', partitionKey: 'incidentKey', sortKey: 'sortKey' },
  /** `MODEL#<resolvedModel or modelId>#<yyyy-mm-dd>`: a model's day. */
  byModelDay: { indexName: 'byModelDay', partitionKey: 'modelDayKey', sortKey: 'sortKey' },
} as const;

const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;

/**
 * Throws `UsageError('INVALID_CONFIG')` unless `tableName` is a valid DynamoDB table name.
 *
 * @example
 * assertTableName('bedrock-usage'); // ok
 */
export function assertTableName(tableName: unknown): asserts tableName is string {
  if (typeof tableName !== 'string' || !TABLE_NAME.test(tableName)) {
    throw new UsageError('INVALID_CONFIG', `DynamoDB "tableName" is ${JSON.stringify(tableName)} — expected 3 to 255 characters of a-z, A-Z, 0-9, "_", "-" or "."`);
  }
}

/**
 * Creates the usage table (on-demand, with the four indexes of {@link USAGE_TABLE_INDEXES}) unless it exists, and
 * waits until it is ACTIVE (checking once a second for at most `maxWaitSeconds`). An existing table must have
 * the four indexes, else this throws `UsageError('INVALID_CONFIG')` naming the missing ones.
 * For the local path (dynalite) and tests; on AWS the infra stack owns the table.
 *
 * @example
 * await createUsageTable(client, 'bedrock-usage'); // 'created', then 'exists' on every later call
 */
export async function createUsageTable(client: DynamoDBClient, tableName: string, maxWaitSeconds = 300): Promise<'created' | 'exists'> {
  assertTableName(tableName);
  const indexes = Object.values(USAGE_TABLE_INDEXES);
  const attributes = ['pk', 'sk', ...new Set(indexes.flatMap((index) => [index.partitionKey, index.sortKey]))];
  let outcome: 'created' | 'exists' = 'created';
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: attributes.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: indexes.map(
          (index): GlobalSecondaryIndex => ({
            IndexName: index.indexName,
            KeySchema: [
              { AttributeName: index.partitionKey, KeyType: 'HASH' },
              { AttributeName: index.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          }),
        ),
      }),
    );
  } catch (error) {
    if ((error as Error).name !== 'ResourceInUseException') {
      throw new UsageError('IO', `creating DynamoDB table "${tableName}" failed: ${(error as Error).name}: ${(error as Error).message}`, { cause: error });
    }
    outcome = 'exists';
  }
  await waitUntilTableExists({ client, maxWaitTime: maxWaitSeconds, minDelay: 1, maxDelay: 1 }, { TableName: tableName });
  const problems = await usageTableProblems(client, tableName);
  if (problems.length > 0) throw new UsageError('INVALID_CONFIG', problems.join('; '));
  return outcome;
}

/**
 * What is wrong with the usage table as it exists (`cli doctor`): missing, not ACTIVE, a key schema or an index
 * other than {@link USAGE_TABLE_INDEXES} — each problem a sentence saying what to do; none when all is well.
 * Rejects with a `UsageError` when DynamoDB cannot be asked (unreachable, no credentials).
 *
 * @example
 * const problems = await usageTableProblems(client, 'bedrock-usage'); // []
 */
export async function usageTableProblems(client: DynamoDBClient, tableName: string): Promise<string[]> {
  assertTableName(tableName);
  let table: TableDescription | undefined;
  try {
    table = (await client.send(new DescribeTableCommand({ TableName: tableName }), { abortSignal: AbortSignal.timeout(10_000) })).Table;
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return [`DynamoDB table "${tableName}" does not exist — deploy the infra stack, or check BEDROCK_USAGE_TABLE and the region`];
    throw classifyFailure(error, 'DescribeTable', tableName).error;
  }
  const problems: string[] = [];
  if (table?.TableStatus !== 'ACTIVE') problems.push(`DynamoDB table "${tableName}" is ${table?.TableStatus ?? 'in an unknown state'}, not ACTIVE — wait, or check the table in the console`);
  const keys = (table?.KeySchema ?? []).map((key) => `${key.AttributeName}:${key.KeyType}`).join(',');
  if (keys !== 'pk:HASH,sk:RANGE') problems.push(`DynamoDB table "${tableName}" has the key schema ${keys || 'none'}, not pk (HASH) + sk (RANGE) — it is not a usage table; use another BEDROCK_USAGE_TABLE`);
  const present = new Map((table?.GlobalSecondaryIndexes ?? []).map((index) => [index.IndexName, index]));
  for (const index of Object.values(USAGE_TABLE_INDEXES)) {
    const found = present.get(index.indexName);
    const schema = (found?.KeySchema ?? []).map((key) => `${key.AttributeName}:${key.KeyType}`).join(',');
    if (!found) problems.push(`DynamoDB table "${tableName}" has no index ${index.indexName} — add it (see the sinks README, "Key design")`);
    else if (schema !== `${index.partitionKey}:HASH,${index.sortKey}:RANGE` || found.Projection?.ProjectionType !== 'ALL') {
      problems.push(`index ${index.indexName} of DynamoDB table "${tableName}" is not ${index.partitionKey} + ${index.sortKey} projecting ALL — recreate it (see the sinks README, "Key design")`);
    } else if (found.IndexStatus !== undefined && found.IndexStatus !== 'ACTIVE') {
      problems.push(`index ${index.indexName} of DynamoDB table "${tableName}" is ${found.IndexStatus} — reports that read it are incomplete until it is ACTIVE`);
    }
  }
  return problems;
}
