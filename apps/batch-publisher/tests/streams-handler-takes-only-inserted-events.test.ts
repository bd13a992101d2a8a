import type { AttributeValue } from '@aws-sdk/client-dynamodb';

import { makeUsageEvents, startDynalite, type DynaliteServer } from '@bedrock-usage/testing';

import { createStreamHandler } from '../src/main';
import { eventItems, publisherEnv, streamEvent, streamRecord, UsageTable } from './support/usage-table';

const DAY = '2025-03-11';

describe('the DynamoDB Streams handler', () => {
  let dynamo: DynaliteServer;
  beforeAll(async () => {
    dynamo = await startDynalite();
  });
  afterAll(async () => {
    await dynamo.close();
  });

  it('ignores MODIFY, REMOVE and items other than events, skips an undecodable event item, and counts INSERTed events', async () => {
    // Prepare: events stored but not yet aggregated
    const events = makeUsageEvents(12, { time: `${DAY}T10:20:00.000Z` });
    const table = new UsageTable(publisherEnv(dynamo.endpoint, 'ignore', '/tmp/unused-checkpoint'));
    await table.write(events);
    const items = eventItems(await table.rawItems(), events.map((event) => event.eventId));
    const notEvents: Record<string, AttributeValue>[] = [
      { pk: { S: `AGG#${DAY}` }, sk: { S: `${DAY}T10#cloud-engineer#claude` }, requests: { N: '12' } },
      { pk: { S: 'PROCESS#cloud-engineer#4242' }, sk: { S: 'STATUS' }, heartbeatAt: { S: `${DAY}T10:00:00.000Z` } },
      { pk: { S: 'CONTROL#breaker-reset' }, sk: { S: 'REQUEST#1' } },
      { pk: { S: 'INCIDENT#INC-20250311-0042' }, sk: { S: 'OUTCOME' }, outcome: { S: 'resolved' } },
    ];
    const stream = createStreamHandler(table.env);

    try {
      // Act: a batch with nothing new in it
      const ignored = await stream.handle(
        streamEvent([
          ...items.map((item) => streamRecord('MODIFY', item)),
          ...items.map((item) => streamRecord('REMOVE', item)),
          ...notEvents.map((item) => streamRecord('INSERT', item)),
        ]),
      );
      const afterIgnored = await table.aggregatesOfDay(DAY);
      // Act: the INSERTs, with an event item that cannot be decoded among them
      const inserted = await stream.handle(streamEvent([streamRecord('INSERT', { pk: { S: 'EVENT#broken' }, sk: { S: 'EVENT' }, eventId: { S: 'broken' } }), ...items.map((item) => streamRecord('INSERT', item))]));

      // Assess
      expect(ignored).toEqual({ batchItemFailures: [] });
      expect(afterIgnored).toEqual([]);
      expect(inserted).toEqual({ batchItemFailures: [] });
      const aggregates = await table.aggregatesOfDay(DAY);
      expect(aggregates.reduce((sum, aggregate) => sum + aggregate.requests, 0)).toBe(12);
    } finally {
      await stream.close();
      await table.close();
    }
  }, 60_000);

  it('answers a failed batch with its first record, so Lambda retries the whole batch', async () => {
    // Prepare: a handler whose store is gone (nothing listens on its endpoint any more)
    const gone = await startDynalite();
    const table = new UsageTable(publisherEnv(gone.endpoint, 'failing', '/tmp/unused-checkpoint'));
    await table.write(makeUsageEvents(3, { time: `${DAY}T11:00:00.000Z` }));
    const records = (await table.rawItems()).map((item) => streamRecord('INSERT', item));
    await table.close();
    const stream = createStreamHandler(table.env);
    await gone.close();

    try {
      // Act
      const response = await stream.handle(streamEvent(records));

      // Assess
      expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: records[0].dynamodb?.SequenceNumber }] });
    } finally {
      await stream.close();
    }
  }, 60_000);
});
