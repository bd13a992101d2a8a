import type { UsageEvent, UsageSink } from '@bedrock-usage/core';
import { InMemorySpool } from './in-memory-spool';
import { makeUsageEvents } from './usage-event-factory';

/**
 * One sink as the contract suite drives it, built fresh for every test by the factory.
 *
 * @example
 * const under: SinkUnderTest = { sink, readBack: async () => sink.persistedIds, close: async () => undefined };
 */
export interface SinkUnderTest {
  readonly sink: UsageSink;
  /** The ids persisted or emitted so far, with repeats if any (the suite asserts there are none). */
  readBack(): Promise<readonly string[]>;
  /** Makes the sink's backend unreachable and reachable again (stop a proxy, refuse connections …). */
  readonly outage?: {
    begin(): Promise<void> | void;
    end(): Promise<void> | void;
  };
  /** Releases whatever the factory started (servers, files). Called after every test, after the sink's shutdown. */
  close(): Promise<void>;
}

/**
 * The contract every {@link UsageSink} passes: written events are read back once each; `forceFlush` resolves after
 * them; `shutdown` is idempotent; a write after shutdown resolves `{ ok: false, retryable: false }` and never
 * throws; an event repeated in one batch or across batches is kept once; and — when the factory provides an
 * `outage` — writes during it resolve `{ ok: false, retryable: true }`, the failed events go to a spool, and after
 * the outage a spool replay leaves every event id read back exactly once.
 *
 * @example
 * describeUsageSinkContract('DynamoDbUsageStore', async () => {
 *   const local = await startDynaliteBehindFaultProxy();
 *   await createUsageTable(local.client, 'usage');
 *   const sink = new DynamoDbUsageStore({ client: local.client, tableName: 'usage', health: new InMemoryHealthMetrics() });
 *   return {
 *     sink,
 *     readBack: () => sink.scanEventIds(),
 *     outage: { begin: () => local.proxy.mode('refuse'), end: () => local.proxy.heal() },
 *     close: () => local.close(),
 *   };
 * });
 */
export function describeUsageSinkContract(name: string, create: () => Promise<SinkUnderTest>): void {
  describe(`UsageSink contract: ${name}`, () => {
    let under: SinkUnderTest;

    beforeEach(async () => {
      under = await create();
    });

    afterEach(async () => {
      await under.sink.shutdown();
      await under.close();
    });

    it('reads back every written event once', async () => {
      // Prepare
      const events = makeUsageEvents(30);

      // Act
      const first = await under.sink.write(events.slice(0, 10));
      const second = await under.sink.write(events.slice(10));
      await under.sink.forceFlush();

      // Assess
      expect(first).toEqual({ ok: true });
      expect(second).toEqual({ ok: true });
      expect(sorted(await under.readBack())).toEqual(idsOf(events));
    });

    it('has everything written when forceFlush resolves', async () => {
      // Prepare
      const events = makeUsageEvents(5, { agentId: 'jira', incidentId: 'INC-20250311-0042' });
      await under.sink.write(events);

      // Act
      await under.sink.forceFlush();

      // Assess
      expect(sorted(await under.readBack())).toEqual(idsOf(events));
    });

    it('shuts down twice without error', async () => {
      // Prepare
      await under.sink.write(makeUsageEvents(2));

      // Act
      const twice = Promise.all([under.sink.shutdown(), under.sink.shutdown()]).then(() => under.sink.shutdown());

      // Assess
      await expect(twice).resolves.toBeUndefined();
    });

    it('refuses a write after shutdown without throwing, as not retryable', async () => {
      // Prepare
      await under.sink.shutdown();

      // Act
      const result = await under.sink.write(makeUsageEvents(1));

      // Assess
      expect(result).toMatchObject({ ok: false, retryable: false });
    });

    it('keeps an event repeated within one batch once', async () => {
      // Prepare
      const [a, b] = makeUsageEvents(2);

      // Act
      const result = await under.sink.write([a, b, a, a]);
      await under.sink.forceFlush();

      // Assess
      expect(result).toEqual({ ok: true });
      expect(sorted(await under.readBack())).toEqual(idsOf([a, b]));
    });

    it('keeps an event written in two batches once', async () => {
      // Prepare
      const [a, b, c] = makeUsageEvents(3);

      // Act
      await under.sink.write([a, b]);
      await under.sink.write([b, c]);
      await under.sink.write([a]);
      await under.sink.forceFlush();

      // Assess
      expect(sorted(await under.readBack())).toEqual(idsOf([a, b, c]));
    });

    it('fails retryably during an outage and, replayed from the spool, keeps every event once (needs `outage`)', async () => {
      if (!under.outage) return;
      // Prepare
      const before = makeUsageEvents(4);
      const during = makeUsageEvents(6);
      const spool = new InMemorySpool({ replayBatchSize: 4 });
      expect(await under.sink.write(before)).toEqual({ ok: true });

      // Act
      await under.outage.begin();
      const results = [];
      for (const batch of [during.slice(0, 3), [...during.slice(3), before[0]]]) {
        const result = await under.sink.write(batch);
        results.push(result);
        if (!result.ok) await spool.append(under.sink.name, result.failed ?? batch);
      }
      await under.outage.end();
      const replay = await spool.replay(under.sink.name, async (batch) => (await under.sink.write(batch)).ok);
      await under.sink.forceFlush();

      // Assess
      for (const result of results) expect(result).toMatchObject({ ok: false, retryable: true });
      expect(replay).toMatchObject({ remaining: 0, corrupt: 0 });
      expect(sorted(await under.readBack())).toEqual(idsOf([...before, ...during]));
    });
  });
}

function idsOf(events: readonly UsageEvent[]): string[] {
  return sorted(events.map((event) => event.eventId));
}

function sorted(ids: readonly string[]): string[] {
  return [...ids].sort();
}
