import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Container } from 'inversify';

import { batchPublisherModule, domainModule, TOKENS, usageStoreModule } from '@bedrock-usage/di';
import { generateUsage, startDynalite, type DynaliteServer } from '@bedrock-usage/testing';

import { loadConfig } from '../src/config';
import { runPublisher } from '../src/main';
import { bufferedIo, publisherEnv, UsageTable } from './support/usage-table';

const DAY = '2025-03-11';

describe('a batch publisher killed between refresh and checkpoint', () => {
  let dynamo: DynaliteServer;
  let dir: string;
  beforeAll(async () => {
    dynamo = await startDynalite();
    dir = mkdtempSync(join(tmpdir(), 'batch-publisher-crash-'));
  });
  afterAll(async () => {
    await dynamo.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gets the batch again after a restart, and processing it again changes no aggregate', async () => {
    // Prepare: events in the store; a publisher process that refreshes a batch and dies before checkpointing it
    const events = generateUsage({ count: 300, firstDay: DAY, days: 1, seed: 21 });
    const checkpointFile = join(dir, 'crash.ids');
    const env = publisherEnv(dynamo.endpoint, 'crash', checkpointFile, { BEDROCK_USAGE_PUBLISHER_BATCH_SIZE: '100' });
    const table = new UsageTable(env);
    const reference = new UsageTable(publisherEnv(dynamo.endpoint, 'crash-reference', join(dir, 'unused')));
    await table.write(events);
    await reference.write(events);
    await reference.refresh(events);
    const config = loadConfig(env);
    const crashed = new Container();
    crashed.load(domainModule(), usageStoreModule(config), batchPublisherModule({ metricsProducer: 'agents', checkpointFile, batchSize: config.batchSize }));
    const feed = await crashed.getAsync(TOKENS.UsageEventFeed);
    const first = await feed.next();
    await (await crashed.getAsync(TOKENS.BatchPublisher)).publish(first.events);
    await crashed.get(TOKENS.BatchPublisherShutdown)(); // the "kill": no checkpoint
    await crashed.get(TOKENS.StoreShutdown)();
    const afterCrash = await table.aggregatesOfDay(DAY);

    try {
      // Act: restart
      const restart = bufferedIo();
      const code = await runPublisher(['run', '--once'], env, restart);
      const third = bufferedIo();
      await runPublisher(['run', '--once'], env, third);

      // Assess: the refreshed batch came again (with the rest), its aggregates did not move, and every event is
      // counted exactly once; the checkpoint now holds each event once
      expect(code).toBe(0);
      expect(first.events).toHaveLength(100);
      expect(restart.stdout[0]).toMatch(/^processed 300 new event\(s\)/);
      expect(third.stdout[0]).toMatch(/^processed 0 new event\(s\)/);
      const hoursOfFirst = new Set(first.events.map((event) => event.time.slice(0, 13)));
      const unchanged = (await table.aggregatesOfDay(DAY)).filter((aggregate) => hoursOfFirst.has(aggregate.bucket.slice(0, 13)));
      expect(unchanged.length).toBeGreaterThan(0);
      // A refreshed hour holds all stored events of that hour: the crashed run already had them right.
      expect(afterCrash.filter((aggregate) => hoursOfFirst.has(aggregate.bucket.slice(0, 13)))).toEqual(unchanged);
      expect(await table.aggregatesOfDay(DAY)).toEqual(await reference.aggregatesOfDay(DAY));
      const ids = readFileSync(checkpointFile, 'utf8').trim().split('\n');
      expect(ids.sort()).toEqual(events.map((event) => event.eventId).sort());
    } finally {
      await Promise.all([table.close(), reference.close()]);
    }
  }, 120_000);

  it('cuts off a torn last line of the checkpoint, so those events come again and each id is recorded once', async () => {
    // Prepare: a checkpoint whose last write was cut short by a crash
    const events = generateUsage({ count: 40, firstDay: DAY, days: 1, seed: 22 });
    const checkpointFile = join(dir, 'torn.ids');
    const env = publisherEnv(dynamo.endpoint, 'torn', checkpointFile);
    const table = new UsageTable(env);
    await table.write(events);
    writeFileSync(checkpointFile, `${events.slice(0, 10).map((event) => `${event.eventId}\n`).join('')}${events[10].eventId}`);

    try {
      // Act
      const io = bufferedIo();
      const code = await runPublisher(['run', '--once'], env, io);

      // Assess
      expect(code).toBe(0);
      expect(io.stdout[0]).toMatch(/^processed 30 new event\(s\)/);
      expect(readFileSync(checkpointFile, 'utf8').split('\n').filter((line) => line !== '').sort()).toEqual(events.map((event) => event.eventId).sort());
    } finally {
      await table.close();
    }
  }, 60_000);
});
