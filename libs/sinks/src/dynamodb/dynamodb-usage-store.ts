import {
  BatchWriteItemCommand,
  GetItemCommand,
  QueryCommand,
  ScanCommand,
  type AttributeValue,
  type BatchWriteItemCommandOutput,
  type DynamoDBClient,
  type GetItemCommandOutput,
  type QueryCommandOutput,
  type ScanCommandOutput,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { UsageError, type HealthMetrics, type UsageEvent, type UsageSink, type WriteResult } from '@bedrock-usage/core';

import { REQUEST_TIMEOUT, backoffDelayMs, classifyFailure, isThrottle, type ClassifiedFailure } from './internal/dynamodb-failure';
import { eventKey, fromItem, toItem, type Item } from './internal/usage-item';
import { DAY_SHARDS, USAGE_TABLE_INDEXES, assertTableName } from './usage-table';

/** DynamoDB's limit of items per BatchWriteItem request. */
const MAX_BATCH_ITEMS = 25;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** How the store retries refusals for capacity (throttling errors and `UnprocessedItems`); nothing else is retried here. */
export interface DynamoDbRetryPolicy {
  /**
   * Requests per chunk of ≤ 25 events: the first one plus retries after a throttle. When they run out, the
   * chunk's unwritten events come back as a retryable failure.
   * @default 8
   */
  readonly maxAttempts?: number;
  /**
   * Backoff after the first throttle; doubling, with full jitter.
   * @default 50
   */
  readonly baseDelayMs?: number;
  /**
   * Cap of one backoff.
   * @default 2000
   */
  readonly maxDelayMs?: number;
}

export interface DynamoDbUsageStoreOptions {
  /** The SDK client (its owner destroys it; the store never does). Its own retries of transient errors stay on. */
  readonly client: DynamoDBClient;
  /** Created by {@link createUsageTable} locally, by the infra stack on AWS. */
  readonly tableName: string;
  /** Receives `DynamoDBThrottles{TableName}`. */
  readonly health: HealthMetrics;
  readonly retry?: DynamoDbRetryPolicy;
  /**
   * Bound of one SDK call, the SDK's own retries included: a stalled endpoint fails the call with a retryable
   * timeout instead of hanging the write.
   * @default 5000
   */
  readonly requestTimeoutMs?: number;
  /**
   * Raw-event retention: each event item carries `expiresAt` = its time + this many days, and the table's TTL
   * (attribute `expiresAt`) deletes it then. The hourly aggregates stay; see the analyzer's `lateEventHorizonMs`.
   * @default none (events are kept)
   */
  readonly eventRetentionDays?: number;
}

/** One part of a write that did not succeed. */
interface ChunkFailure extends ClassifiedFailure {
  readonly events: readonly UsageEvent[];
}
type Entry = { readonly event: UsageEvent; readonly request: WriteRequest };
type StoreCommand = BatchWriteItemCommand | GetItemCommand | QueryCommand | ScanCommand;

function positiveInteger(field: string, value: number | undefined, fallback: number, minimum = 1): number {
  const chosen = value ?? fallback;
  if (!Number.isSafeInteger(chosen) || chosen < minimum) {
    throw new UsageError('INVALID_CONFIG', `DynamoDbUsageStore "${field}" is ${JSON.stringify(value)} — expected an integer ≥ ${minimum}`);
  }
  return chosen;
}

/**
 * The durable usage store: one DynamoDB item per event, keyed by eventId (see the README, "Key design").
 *
 * - Idempotent: an item is built from its event alone, so a replayed, duplicated or retried event overwrites its
 *   own item with the same content and never changes a total. Duplicate eventIds inside one write are collapsed
 *   (the last one wins), since one repeated key fails a whole BatchWriteItem.
 * - Batches of ≤ 25 items; `UnprocessedItems` and throttling errors are retried with capped, jittered backoff
 *   ({@link DynamoDbRetryPolicy}).
 * - One throttle = one DynamoDB response refusing work for capacity: a throttling error response
 *   (ProvisionedThroughputExceededException, ThrottlingException, RequestLimitExceeded, HTTP 429 — counted per
 *   attempt, the SDK's own retries included) or a BatchWriteItem response carrying `UnprocessedItems`. Each is
 *   counted once as `DynamoDBThrottles{TableName}`.
 * - `write` never rejects. A failure is retryable for throttling, 5xx, timeouts and connection errors; not for
 *   answers that will not change (validation, missing table, access denied), which must not trip a breaker. An
 *   event the table rejects is isolated: its batch is re-sent item by item, so only the bad events fail.
 *   When failures of both kinds occur, the result is retryable and `failed` lists every unwritten event.
 * - A write takes at most about chunks × maxAttempts × (requestTimeoutMs + maxDelayMs); after the first chunk
 *   that fails retryably the rest are not attempted and come back in `failed`.
 *
 * @example
 * const store = new DynamoDbUsageStore({ client, tableName: 'bedrock-usage', health });
 * const result = await store.write(events);
 * if (!result.ok) spool.append(store.name, result.failed ?? events);
 */
export class DynamoDbUsageStore implements UsageSink {
  readonly name = 'DynamoDB';
  readonly #client: DynamoDBClient;
  readonly #tableName: string;
  readonly #health: HealthMetrics;
  readonly #maxAttempts: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #requestTimeoutMs: number;
  readonly #eventRetentionDays: number | undefined;
  readonly #inFlight = new Set<Promise<WriteResult>>();
  #closed = false;

  constructor(options: DynamoDbUsageStoreOptions) {
    assertTableName(options.tableName);
    this.#client = options.client;
    this.#tableName = options.tableName;
    this.#health = options.health;
    this.#maxAttempts = positiveInteger('retry.maxAttempts', options.retry?.maxAttempts, 8);
    this.#baseDelayMs = positiveInteger('retry.baseDelayMs', options.retry?.baseDelayMs, 50, 0);
    this.#maxDelayMs = positiveInteger('retry.maxDelayMs', options.retry?.maxDelayMs, 2000, this.#baseDelayMs);
    this.#requestTimeoutMs = positiveInteger('requestTimeoutMs', options.requestTimeoutMs, 5000);
    this.#eventRetentionDays = options.eventRetentionDays === undefined ? undefined : positiveInteger('eventRetentionDays', options.eventRetentionDays, 0);
  }

  write(events: readonly UsageEvent[]): Promise<WriteResult> {
    if (this.#closed) {
      return Promise.resolve({ ok: false, retryable: false, error: new UsageError('IO', `DynamoDB usage store for table "${this.#tableName}" is shut down — create a new one to write`) });
    }
    const run = this.#write(events).catch(
      (error: unknown): WriteResult => ({ ok: false, retryable: false, error: new UsageError('IO', `DynamoDB usage store failed unexpectedly: ${String(error)}`, { cause: error }) }),
    );
    this.#inFlight.add(run);
    void run.finally(() => this.#inFlight.delete(run));
    return run;
  }

  /** Resolves once every write started so far has finished (written or handed back as failed). */
  async forceFlush(): Promise<void> {
    await Promise.all(this.#inFlight);
  }

  async shutdown(): Promise<void> {
    this.#closed = true;
    await this.forceFlush();
  }

  /**
   * The stored event, exactly as written (costs to the femto-dollar), or undefined. A strongly consistent read.
   * Throws `UsageError` when DynamoDB cannot be read.
   *
   * @example
   * const stored = await store.getEvent(event.eventId);
   */
  async getEvent(eventId: string): Promise<UsageEvent | undefined> {
    const { Item } = await this.#read<GetItemCommandOutput>('GetItem', new GetItemCommand({ TableName: this.#tableName, Key: eventKey(eventId), ConsistentRead: true }));
    return Item && fromItem(Item);
  }

  /**
   * The eventId of every stored event (a full, strongly consistent scan: for tests and the reliability suite, not
   * for reports). Throws `UsageError` when DynamoDB cannot be read.
   *
   * @example
   * const ids = await store.scanEventIds();
   * expect(new Set(ids).size).toBe(ids.length); // each event once
   */
  async scanEventIds(): Promise<string[]> {
    const ids: string[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.#read<ScanCommandOutput>(
        'Scan',
        new ScanCommand({
          TableName: this.#tableName,
          ProjectionExpression: 'eventId',
          FilterExpression: 'sk = :event',
          ExpressionAttributeValues: { ':event': { S: 'EVENT' } },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) if (item.eventId?.S !== undefined) ids.push(item.eventId.S);
      start = page.LastEvaluatedKey;
    } while (start);
    return ids;
  }

  /**
   * Every event of one UTC day (`YYYY-MM-DD`), in time order: one query per shard of the `byDay` index
   * (eventually consistent, like every index read). Throws `UsageError` for a malformed day or a failed read.
   *
   * @example
   * const events = await store.eventsOnDay('2025-03-11');
   */
  async eventsOnDay(day: string): Promise<UsageEvent[]> {
    if (!DAY.test(day)) throw new UsageError('INVALID_INPUT', `day is ${JSON.stringify(day)} — expected a UTC date as YYYY-MM-DD`);
    const { indexName, partitionKey } = USAGE_TABLE_INDEXES.byDay;
    const shards = await Promise.all(
      Array.from({ length: DAY_SHARDS }, async (_, shard) => {
        const items: Item[] = [];
        let start: Record<string, AttributeValue> | undefined;
        do {
          const page = await this.#read<QueryCommandOutput>(
            'Query',
            new QueryCommand({
              TableName: this.#tableName,
              IndexName: indexName,
              KeyConditionExpression: '#key = :key',
              ExpressionAttributeNames: { '#key': partitionKey },
              ExpressionAttributeValues: { ':key': { S: `DAY#${day}#${shard}` } },
              ExclusiveStartKey: start,
            }),
          );
          items.push(...(page.Items ?? []));
          start = page.LastEvaluatedKey;
        } while (start);
        return items;
      }),
    );
    const sortKey = (item: Item): string => item.sortKey?.S ?? '';
    return shards
      .flat()
      .sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0))
      .map(fromItem);
  }

  async #write(events: readonly UsageEvent[]): Promise<WriteResult> {
    const failures: ChunkFailure[] = [];
    const entries = new Map<string, Entry>();
    for (const event of events) {
      try {
        entries.set(event.eventId, { event, request: { PutRequest: { Item: toItem(event, this.#eventRetentionDays) } } });
      } catch (error) {
        const invalid = error instanceof UsageError ? error : new UsageError('INVALID_INPUT', `usage event cannot be stored: ${String(error)}`, { cause: error });
        failures.push({ events: [event], error: invalid, retryable: false });
      }
    }
    const unique = [...entries.values()];
    for (let start = 0; start < unique.length; start += MAX_BATCH_ITEMS) {
      const chunkFailures = await this.#writeChunk(unique.slice(start, start + MAX_BATCH_ITEMS));
      failures.push(...chunkFailures);
      const stop = chunkFailures.find((failure) => failure.retryable);
      if (stop) {
        failures.push({ ...stop, events: unique.slice(start + MAX_BATCH_ITEMS).map((entry) => entry.event) });
        break;
      }
    }
    if (failures.length === 0) return { ok: true };
    const retryable = failures.find((failure) => failure.retryable);
    return { ok: false, error: (retryable ?? failures[0]).error, retryable: retryable !== undefined, failed: failures.flatMap((failure) => failure.events) };
  }

  /** Writes ≤ 25 entries, retrying throttles; a rejected batch of several is re-sent item by item. */
  async #writeChunk(chunk: readonly Entry[]): Promise<ChunkFailure[]> {
    const byKey = new Map(chunk.map((entry) => [entry.request.PutRequest?.Item?.pk?.S, entry]));
    const entriesOf = (requests: readonly WriteRequest[]): Entry[] =>
      requests.map((request) => byKey.get(request.PutRequest?.Item?.pk?.S)).filter((entry): entry is Entry => entry !== undefined);
    const eventsOf = (requests: readonly WriteRequest[]): UsageEvent[] => entriesOf(requests).map((entry) => entry.event);
    let pending: WriteRequest[] = chunk.map((entry) => entry.request);
    for (let attempt = 1; ; attempt++) {
      try {
        const output = await this.#send<BatchWriteItemCommandOutput>(new BatchWriteItemCommand({ RequestItems: { [this.#tableName]: pending } }));
        pending = output.UnprocessedItems?.[this.#tableName] ?? [];
        if (pending.length === 0) return [];
        if (attempt >= this.#maxAttempts) {
          const error = new UsageError('IO', `DynamoDB BatchWriteItem on table "${this.#tableName}": ${pending.length} item(s) still unprocessed (throttled) after ${attempt} attempts — retryable`);
          return [{ events: eventsOf(pending), error, retryable: true }];
        }
      } catch (error) {
        if (isThrottle(error) && attempt < this.#maxAttempts) {
          await this.#backoff(attempt);
          continue;
        }
        const failure = classifyFailure(error, 'BatchWriteItem', this.#tableName);
        if (!failure.retryable && pending.length > 1) {
          const isolated: ChunkFailure[] = [];
          for (const entry of entriesOf(pending)) isolated.push(...(await this.#writeChunk([entry])));
          return isolated;
        }
        return [{ events: eventsOf(pending), ...failure }];
      }
      await this.#backoff(attempt);
    }
  }

  #backoff(attempt: number): Promise<void> {
    const ms = backoffDelayMs(attempt, this.#baseDelayMs, this.#maxDelayMs);
    // Not unref()'d, unlike background timers: the caller awaits this write, and a process with nothing else to do
    // (a replay command) must not exit in the middle of it.
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  async #read<Output>(operation: string, command: StoreCommand): Promise<Output> {
    try {
      return await this.#send<Output>(command);
    } catch (error) {
      throw classifyFailure(error, operation, this.#tableName).error;
    }
  }

  /** Sends one command within the request timeout, counting every throttle DynamoDB answers on the way. */
  async #send<Output>(command: StoreCommand): Promise<Output> {
    (command.middlewareStack as BatchWriteItemCommand['middlewareStack']).add(
      (next) => async (args) => {
        try {
          const result = await next(args);
          const unprocessed = (result.output as { UnprocessedItems?: Record<string, unknown[]> }).UnprocessedItems;
          if (Object.values(unprocessed ?? {}).some((items) => items.length > 0)) this.#throttled();
          return result;
        } catch (error) {
          if (isThrottle(error)) this.#throttled();
          throw error;
        }
      },
      { step: 'deserialize', priority: 'high', name: 'bedrockUsageThrottleCounter' },
    );
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.#requestTimeoutMs);
    timer.unref();
    try {
      return (await this.#client.send(command as BatchWriteItemCommand, { abortSignal: controller.signal })) as Output;
    } catch (error) {
      if (!controller.signal.aborted) throw error;
      throw Object.assign(new Error(`no answer within ${this.#requestTimeoutMs} ms (requestTimeoutMs)`), { name: REQUEST_TIMEOUT, cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  #throttled(): void {
    this.#health.count('DynamoDBThrottles', { TableName: this.#tableName }, 1);
  }
}
