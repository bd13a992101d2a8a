import { QueryCommand, type AttributeValue, type DynamoDBClient, type QueryCommandOutput } from '@aws-sdk/client-dynamodb';
import { UsageError } from '@bedrock-usage/core';

import { classifyFailure } from './dynamodb-failure';
import type { Item } from './usage-item';

type QueryInput = Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName'>;

/** Requests to one table, each bounded by a timeout, failures as `UsageError`s (never an SDK error). */
export class TableRequests {
  readonly #client: DynamoDBClient;
  readonly #timeoutMs: number;
  readonly tableName: string;

  constructor(client: DynamoDBClient, tableName: string, timeoutMs: number) {
    this.#client = client;
    this.tableName = tableName;
    this.#timeoutMs = timeoutMs;
  }

  /** Every page of a query on the table. */
  async queryAll(input: QueryInput): Promise<Item[]> {
    const items: Item[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.send<QueryCommandOutput>(new QueryCommand({ ...input, TableName: this.tableName, ExclusiveStartKey: start }), 'Query');
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /** Sends `command`; a failed condition rejects with a `UsageError` whose cause is named ConditionalCheckFailedException. */
  async send<Output>(command: { readonly input: object }, operation: string): Promise<Output> {
    try {
      return (await this.#client.send(command as never, { abortSignal: AbortSignal.timeout(this.#timeoutMs) })) as Output;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') throw new UsageError('IO', 'conditional check failed', { cause: error });
      throw classifyFailure(error, operation, this.tableName).error;
    }
  }
}
