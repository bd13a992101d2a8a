import { PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { UsageError } from '@bedrock-usage/core';
import type { BreakerResetRequest, ProcessStatus, ProcessStatusStore } from '@bedrock-usage/recorder';

import { TableRequests } from './internal/table-requests';
import type { Item } from './internal/usage-item';
import { assertTableName } from './usage-table';

/** Options of {@link DynamoDbProcessStatusStore}. */
export interface DynamoDbProcessStatusStoreOptions {
  /** The SDK client (its owner destroys it). */
  readonly client: DynamoDBClient;
  /** The usage table: statuses and requests live beside the usage data, under their own partition keys. */
  readonly tableName: string;
  /**
   * Days after which DynamoDB's TTL (attribute `expiresAt`, when the table enables it) removes a status or request.
   * @default 7
   */
  readonly retentionDays?: number;
  /** @default 10000 */
  readonly requestTimeoutMs?: number;
}

const STATUS_PK = 'PROCESS';
const RESET_PK = 'CONTROL#breaker-reset';

/**
 * The heartbeat and control items of the usage table: statuses as `pk = PROCESS`, `sk = <processId>` (one
 * partition: a fleet is tens of processes, and `breaker status` reads them all); breaker reset requests as
 * `pk = CONTROL#breaker-reset`, `sk = <requestedAt>#<requestId>` (a range read from a time on). The record is
 * JSON in `data`; `expiresAt` (epoch seconds) lets the table's TTL clear old ones. No index key: no report sees them.
 *
 * @example
 * const store = new DynamoDbProcessStatusStore({ client, tableName: 'bedrock-usage' });
 * await store.putResetRequest({ requestId: randomUUID(), component: 'DynamoDB', requestedAt: new Date().toISOString() });
 */
export class DynamoDbProcessStatusStore implements ProcessStatusStore {
  readonly #table: TableRequests;
  readonly #retentionSeconds: number;

  constructor(options: DynamoDbProcessStatusStoreOptions) {
    assertTableName(options.tableName);
    const retentionDays = options.retentionDays ?? 7;
    if (!(Number.isSafeInteger(retentionDays) && retentionDays >= 1)) {
      throw new UsageError('INVALID_CONFIG', `"retentionDays" is ${String(retentionDays)} — use a whole number of days ≥ 1`);
    }
    this.#retentionSeconds = retentionDays * 86_400;
    this.#table = new TableRequests(options.client, options.tableName, options.requestTimeoutMs ?? 10_000);
  }

  async putStatus(status: ProcessStatus): Promise<void> {
    await this.#put(STATUS_PK, status.processId, status.reportedAt, status);
  }

  async listStatuses(): Promise<readonly ProcessStatus[]> {
    const items = await this.#table.queryAll({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: STATUS_PK } }, ConsistentRead: true });
    return items.map((item) => dataOf<ProcessStatus>(item));
  }

  async putResetRequest(request: BreakerResetRequest): Promise<void> {
    await this.#put(RESET_PK, `${request.requestedAt}#${request.requestId}`, request.requestedAt, request);
  }

  async resetRequestsSince(since: string): Promise<readonly BreakerResetRequest[]> {
    const items = await this.#table.queryAll({
      KeyConditionExpression: 'pk = :pk AND sk >= :since',
      ExpressionAttributeValues: { ':pk': { S: RESET_PK }, ':since': { S: since } },
      ConsistentRead: true,
    });
    return items.map((item) => dataOf<BreakerResetRequest>(item));
  }

  async #put(pk: string, sk: string, at: string, record: object): Promise<void> {
    const expiresAt = Math.floor(Date.parse(at) / 1000) + this.#retentionSeconds;
    await this.#table.send(
      new PutItemCommand({
        TableName: this.#table.tableName,
        Item: { pk: { S: pk }, sk: { S: sk }, data: { S: JSON.stringify(record) }, expiresAt: { N: String(expiresAt) } },
      }),
      'PutItem',
    );
  }
}

function dataOf<T>(item: Item): T {
  return JSON.parse(item.data?.S ?? 'null') as T;
}
