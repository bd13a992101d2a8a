import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { UsageEvent } from '@bedrock-usage/core';
import { InMemoryHealthMetrics, generateUsage, localDynamoDbClientConfig, startDynalite, type DynaliteServer } from '@bedrock-usage/testing';

import { DynamoDbTableScanFeed, DynamoDbUsageStore, createUsageTable } from '../src';

describe('DynamoDbTableScanFeed', () => {
  let dynamo: DynaliteServer;
  let client: DynamoDBClient;
  let dir: string;
  beforeAll(async () => {
    dynamo = await startDynalite();
    client = new DynamoDBClient(localDynamoDbClientConfig(dynamo.endpoint));
    dir = mkdtempSync(join(tmpdir(), 'scan-feed-'));
  });
  afterAll(async () => {
    client.destroy();
    await dynamo.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers every event written while it reads — late ones included — once checkpointed never again, across a reopen', async () => {
    // Prepare: a writer adding events (one batch of them days old) while the feed is read and checkpointed
    await createUsageTable(client, 'concurrent');
    const store = new DynamoDbUsageStore({ client, tableName: 'concurrent', health: new InMemoryHealthMetrics() });
    const current = generateUsage({ count: 600, firstDay: '2025-03-11', days: 1, seed: 41 });
    const late = generateUsage({ count: 100, firstDay: '2025-03-01', days: 1, seed: 42, idPrefix: 'late' });
    const writes = [...current.slice(0, 300), ...late, ...current.slice(300)];
    const checkpointFile = join(dir, 'concurrent.ids');
    const feed = new DynamoDbTableScanFeed({ client, tableName: 'concurrent', checkpointFile, batchSize: 40 });
    const delivered: UsageEvent[] = [];
    let writing = true;
    const writer = (async () => {
      for (let i = 0; i < writes.length; i += 35) {
        const result = await store.write(writes.slice(i, i + 35));
        if (!result.ok) throw result.error;
      }
      writing = false;
    })();

    // Act: read and checkpoint while the writer runs, then until a pass after it finds nothing new
    let emptyAfterWriter = false;
    while (!emptyAfterWriter) {
      const wasWriting = writing;
      const batch = await feed.next();
      delivered.push(...batch.events);
      await feed.checkpoint(batch);
      emptyAfterWriter = !wasWriting && batch.events.length === 0;
    }
    await writer;
    const reopened = new DynamoDbTableScanFeed({ client, tableName: 'concurrent', checkpointFile, batchSize: 40 });
    const afterReopen = await reopened.next();

    // Assess
    const ids = delivered.map((event) => event.eventId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(writes.map((event) => event.eventId).sort());
    expect(delivered.find((event) => event.eventId === late[0].eventId)).toEqual(late[0]);
    expect(afterReopen.events).toEqual([]);
  }, 120_000);

  it('delivers a batch again until it is checkpointed, and skips items that are not events', async () => {
    // Prepare
    await createUsageTable(client, 'redeliver');
    const store = new DynamoDbUsageStore({ client, tableName: 'redeliver', health: new InMemoryHealthMetrics() });
    const events = generateUsage({ count: 30, firstDay: '2025-03-11', days: 1, seed: 43 });
    await store.write(events);
    await client.send(new PutItemCommand({ TableName: 'redeliver', Item: { pk: { S: 'AGG#2025-03-11' }, sk: { S: '2025-03-11T10#a#m' } } }));
    const checkpointFile = join(dir, 'redeliver.ids');

    // Act
    const first = await new DynamoDbTableScanFeed({ client, tableName: 'redeliver', checkpointFile }).next();
    const afterCrash = new DynamoDbTableScanFeed({ client, tableName: 'redeliver', checkpointFile });
    const again = await afterCrash.next();
    await afterCrash.checkpoint(again);
    const afterCheckpoint = await new DynamoDbTableScanFeed({ client, tableName: 'redeliver', checkpointFile }).next();

    // Assess
    expect(first.events.map((event) => event.eventId).sort()).toEqual(events.map((event) => event.eventId).sort());
    expect(again.events.map((event) => event.eventId).sort()).toEqual(events.map((event) => event.eventId).sort());
    expect(afterCheckpoint.events).toEqual([]);
  }, 60_000);
});
