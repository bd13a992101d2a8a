import { mkdir, open, readFile, truncate } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

import { ScanCommand, type AttributeValue, type DynamoDBClient, type ScanCommandOutput } from '@aws-sdk/client-dynamodb';
import { UsageError, type UsageEvent } from '@bedrock-usage/core';
import type { UsageEventBatch, UsageEventFeed } from '@bedrock-usage/recorder';

import { classifyFailure } from './internal/dynamodb-failure';
import { fromItem, type Item } from './internal/usage-item';
import { assertTableName } from './usage-table';

/**
 * Options of {@link DynamoDbTableScanFeed}.
 *
 * @example
 * const options: DynamoDbTableScanFeedOptions = { client, tableName: 'bedrock-usage', checkpointFile: '.bedrock-usage/batch-publisher/checkpointed-event-ids' };
 */
export interface DynamoDbTableScanFeedOptions {
  /** The caller's client (its owner destroys it). */
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** The append-only file of checkpointed event ids (created with its directory when missing). */
  readonly checkpointFile: string;
  /**
   * Events per batch (and items per Scan page).
   * @default 500
   */
  readonly batchSize?: number;
  /**
   * Bound of one Scan call.
   * @default 10000
   */
  readonly requestTimeoutMs?: number;
  /** Told about event items that cannot be decoded (they are skipped, not retried forever). @default ignored */
  readonly onUndecodable?: (pk: string, error: string) => void;
}

/**
 * The local {@link UsageEventFeed} (dynalite has no Streams): new events are the event items of the usage table
 * whose eventId is not checkpointed yet, found by strongly consistent Scans; checkpointed ids are appended (and
 * fsync'ed) to `checkpointFile`, read back when a feed is opened again.
 *
 * - Late events: found by id, not by time — an event whose `time` is days old but was written now is new.
 * - Concurrent writes: the cursor is the set of checkpointed ids, not a position in the table, so an item a Scan
 *   passed before it was written is found by the next pass; nothing is skipped.
 * - Restarts: a batch not checkpointed (a crash between refresh and checkpoint) is delivered again — harmless, the
 *   refresh is idempotent. A torn last line of the file is cut off when the feed opens (its events come again).
 * - Cost: a pass reads the whole table and the ids are held in memory — meant for local stores (thousands to
 *   a few hundred thousand events); on AWS the DynamoDB Stream is the feed. One feed per checkpoint file.
 *
 * @example
 * const feed = new DynamoDbTableScanFeed({ client, tableName: 'bedrock-usage', checkpointFile: 'checkpointed-event-ids' });
 * const batch = await feed.next();
 * await analyzer.refreshAggregates(batch.events);
 * await feed.checkpoint(batch);
 */
export class DynamoDbTableScanFeed implements UsageEventFeed {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;
  readonly #file: string;
  readonly #batchSize: number;
  readonly #timeoutMs: number;
  readonly #onUndecodable: (pk: string, error: string) => void;
  #checkpointed: Promise<Set<string>> | undefined;
  /** Where the current pass of the table continues; undefined: the next call starts a new pass. */
  #cursor: Record<string, AttributeValue> | undefined;
  readonly #skipped = new Set<string>();
  #passes = 0;
  #closed = false;

  constructor(options: DynamoDbTableScanFeedOptions) {
    assertTableName(options.tableName);
    this.#client = options.client;
    this.#tableName = options.tableName;
    this.#file = resolve(options.checkpointFile);
    this.#batchSize = options.batchSize ?? 500;
    if (!Number.isSafeInteger(this.#batchSize) || this.#batchSize < 1) {
      throw new UsageError('INVALID_CONFIG', `DynamoDbTableScanFeed "batchSize" is ${JSON.stringify(options.batchSize)} — expected an integer ≥ 1`);
    }
    this.#timeoutMs = options.requestTimeoutMs ?? 10_000;
    this.#onUndecodable = options.onUndecodable ?? (() => {});
  }

  /** The file of checkpointed event ids. */
  get checkpointFile(): string {
    return this.#file;
  }

  async next(): Promise<UsageEventBatch> {
    if (this.#closed) throw new UsageError('SHUT_DOWN', `the scan feed of table "${this.#tableName}" is closed — open a new one`);
    const checkpointed = await this.#load();
    const found = new Map<string, UsageEvent>();
    do {
      const page = await this.#scan(this.#cursor);
      if (this.#cursor === undefined) this.#passes += 1;
      for (const item of page.Items ?? []) {
        const pk = item.pk?.S ?? '';
        const eventId = pk.slice('EVENT#'.length);
        if (checkpointed.has(eventId) || this.#skipped.has(eventId)) continue;
        try {
          const event = fromItem(item as Item);
          found.set(event.eventId, event);
        } catch (error) {
          this.#skipped.add(eventId);
          this.#onUndecodable(pk, error instanceof Error ? error.message : String(error));
        }
      }
      this.#cursor = page.LastEvaluatedKey;
    } while (this.#cursor !== undefined && found.size < this.#batchSize);
    return { events: [...found.values()], position: `pass ${this.#passes}, ${found.size} event(s)` };
  }

  async checkpoint(batch: UsageEventBatch): Promise<void> {
    const checkpointed = await this.#load();
    const ids = [...new Set(batch.events.map((event) => event.eventId))].filter((id) => !checkpointed.has(id));
    if (ids.length === 0) return;
    try {
      const handle = await open(this.#file, 'a');
      try {
        await handle.writeFile(ids.map((id) => `${id}\n`).join(''));
        await handle.datasync();
      } finally {
        await handle.close();
      }
    } catch (error) {
      throw new UsageError('IO', `writing the feed checkpoint ${this.#file} failed (${(error as Error).message}) — check the directory is writable; the batch will be delivered again`, { cause: error });
    }
    for (const id of ids) checkpointed.add(id);
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  #load(): Promise<Set<string>> {
    this.#checkpointed ??= (async () => {
      try {
        await mkdir(dirname(this.#file), { recursive: true });
        const text = await readFile(this.#file, 'utf8').catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? '' : Promise.reject(error)));
        const complete = text.slice(0, text.lastIndexOf('\n') + 1);
        // A line torn by a crash (no newline yet) is cut off: its events are delivered again, and the next append
        // starts on a line of its own (a torn id could otherwise read as another, shorter id).
        if (complete.length < text.length) await truncate(this.#file, Buffer.byteLength(complete));
        return new Set(complete.split('\n').filter((line) => line !== ''));
      } catch (error) {
        this.#checkpointed = undefined;
        throw new UsageError('IO', `reading the feed checkpoint ${this.#file} failed (${(error as Error).message}) — check BEDROCK_USAGE_PUBLISHER_CHECKPOINT_FILE`, { cause: error });
      }
    })();
    return this.#checkpointed;
  }

  async #scan(start: Record<string, AttributeValue> | undefined): Promise<ScanCommandOutput> {
    try {
      return await this.#client.send(
        new ScanCommand({
          TableName: this.#tableName,
          ConsistentRead: true,
          Limit: this.#batchSize,
          FilterExpression: 'sk = :event AND begins_with(pk, :prefix)',
          ExpressionAttributeValues: { ':event': { S: 'EVENT' }, ':prefix': { S: 'EVENT#' } },
          ExclusiveStartKey: start,
        }),
        { abortSignal: AbortSignal.timeout(this.#timeoutMs) },
      );
    } catch (error) {
      throw classifyFailure(error, 'Scan', this.#tableName).error;
    }
  }
}
