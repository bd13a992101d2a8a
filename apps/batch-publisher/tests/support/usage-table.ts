import { ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Container } from 'inversify';

import type { UsageAggregate } from '@bedrock-usage/analyzer';
import type { UsageEvent } from '@bedrock-usage/core';
import { domainModule, loadUsageStoreConfig, TOKENS, usageStoreModule, type DynamoDbStreamEvent, type DynamoDbStreamRecord } from '@bedrock-usage/di';

import type { PublisherIo } from '../../src/main';

type Item = Record<string, AttributeValue>;

/** The env of a publisher on `table` of a local DynamoDB endpoint. */
export function publisherEnv(endpoint: string, table: string, checkpointFile: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { BEDROCK_USAGE_DYNAMODB_ENDPOINT: endpoint, BEDROCK_USAGE_TABLE: table, BEDROCK_USAGE_PUBLISHER_CHECKPOINT_FILE: checkpointFile, ...extra };
}

/** One usage table as the agents see it: events written through the real DynamoDbUsageStore, read back raw or by the analyzer's reader. */
export class UsageTable {
  readonly #container = new Container();

  constructor(readonly env: NodeJS.ProcessEnv) {
    this.#container.load(domainModule(), usageStoreModule(loadUsageStoreConfig(env, { defaultDataDir: '/nonexistent' })));
  }

  /** What an agent's pipeline does: writes the events (idempotent by eventId). */
  async write(events: readonly UsageEvent[]): Promise<void> {
    const result = await (await this.#container.getAsync(TOKENS.UsageStoreWriter)).write(events);
    if (!result.ok) throw result.error;
  }

  /** Every item of the table as DynamoDB JSON — exactly what a stream record's NewImage carries. */
  async rawItems(): Promise<Item[]> {
    const client: DynamoDBClient = await this.#container.getAsync(TOKENS.DynamoDbClient);
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const page = await client.send(new ScanCommand({ TableName: this.env.BEDROCK_USAGE_TABLE, ConsistentRead: true, ExclusiveStartKey: start }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /** The stored aggregates of a day, by key, without `restatedAt` (when a change arrived is not what it totals). */
  async aggregatesOfDay(day: string): Promise<Omit<UsageAggregate, 'restatedAt'>[]> {
    const aggregates = await (await this.#container.getAsync(TOKENS.UsageStoreReader)).aggregatesOfDay(day);
    return aggregates
      .map(({ restatedAt: _restatedAt, ...rest }) => rest)
      .sort((a, b) => (`${a.bucket}#${a.agentId}#${a.model}` < `${b.bucket}#${b.agentId}#${b.model}` ? -1 : 1));
  }

  /** What the analyzer does directly: refresh the aggregates of these events' hours. */
  async refresh(events: readonly UsageEvent[]): Promise<void> {
    await (await this.#container.getAsync(TOKENS.CostAnalyzer)).refreshAggregates(events);
  }

  async close(): Promise<void> {
    await this.#container.get(TOKENS.StoreShutdown)();
  }
}

let sequence = 0;

/** A stream record of `item` as DynamoDB Streams would write it (view NEW_AND_OLD_IMAGES). */
export function streamRecord(eventName: 'INSERT' | 'MODIFY' | 'REMOVE', item: Item): DynamoDbStreamRecord {
  sequence += 1;
  const keys = { pk: item.pk, sk: item.sk };
  return {
    eventID: `record-${sequence}`,
    eventName,
    eventSourceARN: 'arn:aws:dynamodb:us-east-1:123456789012:table/bedrock-usage/stream/2025-03-11T00:00:00.000',
    dynamodb: {
      Keys: keys,
      SequenceNumber: String(1_000_000 + sequence).padStart(21, '0'),
      ...(eventName === 'REMOVE' ? { OldImage: item } : eventName === 'MODIFY' ? { OldImage: item, NewImage: item } : { NewImage: item }),
    },
  };
}

/** A Lambda DynamoDB Stream event of these records. */
export function streamEvent(records: readonly DynamoDbStreamRecord[]): DynamoDbStreamEvent {
  return { Records: records };
}

/** Items of the table that are events with one of these ids. */
export function eventItems(items: readonly Item[], eventIds: Iterable<string>): Item[] {
  const wanted = new Set(eventIds);
  return items.filter((item) => item.pk?.S?.startsWith('EVENT#') && wanted.has(item.pk.S.slice('EVENT#'.length)));
}

/** Items of the table that are not events (aggregates, outcomes, status). */
export function otherItems(items: readonly Item[]): Item[] {
  return items.filter((item) => !item.pk?.S?.startsWith('EVENT#'));
}

/** A PublisherIo that keeps what it prints. */
export function bufferedIo(): PublisherIo & { stdout: string[]; stderr: string[]; stop?: () => void } {
  const io: PublisherIo & { stdout: string[]; stderr: string[]; stop?: () => void } = {
    stdout: [],
    stderr: [],
    out: (line) => io.stdout.push(line),
    err: (line) => io.stderr.push(line),
    onStop: (stop) => {
      io.stop = stop;
    },
  };
  return io;
}
