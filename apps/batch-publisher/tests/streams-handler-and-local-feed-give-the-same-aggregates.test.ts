import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { UsageEvent } from '@bedrock-usage/core';
import { generateUsage, startDynalite, type DynaliteServer } from '@bedrock-usage/testing';

import { createStreamHandler, runPublisher } from '../src/main';
import { bufferedIo, eventItems, otherItems, publisherEnv, streamEvent, streamRecord, UsageTable } from './support/usage-table';

const DAYS = ['2025-03-10', '2025-03-11'];

/**
 * The contract: the same events — with duplicates and late arrivals — fed once through the DynamoDB Streams
 * handler and once through the local feed give the same aggregates, equal to one direct refresh of everything.
 */
describe('the Streams handler and the local feed', () => {
  let dynamo: DynaliteServer;
  let dir: string;
  beforeAll(async () => {
    dynamo = await startDynalite();
    dir = mkdtempSync(join(tmpdir(), 'batch-publisher-contract-'));
  });
  afterAll(async () => {
    await dynamo.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('give identical aggregates, equal to a direct refresh of all events, despite duplicates and late events', async () => {
    // Prepare: three deliveries of what agents write — the second repeats part of the first, the third brings
    // late events (a day that already has aggregates) and repeats part of the second
    const base = generateUsage({ count: 900, firstDay: DAYS[0], days: 2, seed: 11 });
    const late = generateUsage({ count: 150, firstDay: DAYS[0], days: 1, seed: 12, idPrefix: 'late' });
    const deliveries: UsageEvent[][] = [base.slice(0, 400), [...base.slice(400), ...base.slice(100, 200)], [...late, ...base.slice(850)]];
    const streamed = new UsageTable(publisherEnv(dynamo.endpoint, 'stream-path', join(dir, 'unused')));
    const fed = new UsageTable(publisherEnv(dynamo.endpoint, 'feed-path', join(dir, 'feed-path.ids')));
    const direct = new UsageTable(publisherEnv(dynamo.endpoint, 'direct', join(dir, 'unused')));
    const stream = createStreamHandler(streamed.env);
    const responses: unknown[] = [];
    const feedRuns: number[] = [];
    const inserted = new Set<string>();
    let previous: ReturnType<typeof streamRecord>[] = [];

    try {
      // Act: the Streams path — an INSERT record per event item the first time it is written (a re-put of the same
      // item changes nothing, so DynamoDB writes no record), plus Lambda's re-deliveries of the previous batch, a
      // repeat inside the batch, MODIFY / REMOVE records and the records of the aggregates the last batch wrote
      for (const [n, delivery] of deliveries.entries()) {
        await streamed.write(delivery);
        const items = await streamed.rawItems();
        const fresh = new Set(delivery.map((event) => event.eventId).filter((id) => !inserted.has(id)));
        for (const id of fresh) inserted.add(id);
        const inserts = eventItems(items, fresh).map((item) => streamRecord('INSERT', item));
        const noise = [
          ...otherItems(items).map((item) => streamRecord(n % 2 === 0 ? 'INSERT' : 'MODIFY', item)),
          ...eventItems(items, [delivery[0].eventId]).map((item) => streamRecord('MODIFY', item)),
          ...eventItems(items, [delivery[1].eventId]).map((item) => streamRecord('REMOVE', item)),
        ];
        const records = [...previous.slice(0, 50), ...inserts, ...inserts.slice(0, 30), ...noise];
        responses.push(await stream.handle(streamEvent(records)));
        previous = inserts;
      }
      responses.push(await stream.handle(streamEvent(previous))); // a whole batch delivered again

      // Act: the local feed — a fresh process (`run --once`) after each delivery, checkpoint on disk
      for (const delivery of deliveries) {
        await fed.write(delivery);
        const io = bufferedIo();
        expect(await runPublisher(['run', '--once'], fed.env, io)).toBe(0);
        feedRuns.push(Number(/processed (\d+) new event/.exec(io.stdout.join('\n'))?.[1]));
      }
      const again = bufferedIo();
      expect(await runPublisher(['run', '--once'], fed.env, again)).toBe(0);
      feedRuns.push(Number(/processed (\d+) new event/.exec(again.stdout.join('\n'))?.[1]));

      // Act: everything at once, straight through the analyzer
      const all = [...new Map(deliveries.flat().map((event) => [event.eventId, event])).values()];
      await direct.write(all);
      await direct.refresh(all);

      // Assess
      expect(responses).toEqual(deliveries.map(() => ({ batchItemFailures: [] })).concat([{ batchItemFailures: [] }]));
      expect(feedRuns).toEqual([400, 500, 150, 0]); // each distinct event once; duplicates already checkpointed
      for (const day of DAYS) {
        const expected = await direct.aggregatesOfDay(day);
        expect(expected.length).toBeGreaterThan(20);
        expect(expected.reduce((sum, aggregate) => sum + aggregate.requests, 0)).toBe(all.filter((event) => event.time.startsWith(day)).length);
        expect(await streamed.aggregatesOfDay(day)).toEqual(expected);
        expect(await fed.aggregatesOfDay(day)).toEqual(expected);
      }
    } finally {
      await stream.close();
      await Promise.all([streamed.close(), fed.close(), direct.close()]);
    }
  }, 180_000);
});
