import { InMemorySpool, InMemoryUsageSink, makeUsageEvents } from '@bedrock-usage/testing';
import { UsagePipeline } from '../src';

describe('UsagePipeline.shutdown', () => {
  it('delivers everything when the sinks answer, and is idempotent', async () => {
    // Prepare
    const sink = new InMemoryUsageSink();
    const pipeline = new UsagePipeline({ sinks: [sink], spool: new InMemorySpool() });
    const events = makeUsageEvents(42);
    for (const event of events) pipeline.record(event);

    // Act
    const first = pipeline.shutdown({ deadlineMs: 5000 });
    const second = pipeline.shutdown();

    // Assess
    expect(second).toBe(first);
    expect(await first).toEqual({ flushed: true, spooled: 0, dropped: 0 });
    expect(sink.persistedIds).toHaveLength(42);
    expect(await sink.write(events)).toMatchObject({ ok: false, retryable: false });
  });

  it('spools in-flight and buffered events for a stalled sink when the deadline comes', async () => {
    // Prepare
    const stalled = new InMemoryUsageSink({ name: 'DynamoDB' });
    const healthy = new InMemoryUsageSink({ name: 'Log' });
    const spool = new InMemorySpool();
    const pipeline = new UsagePipeline({ sinks: [stalled, healthy], spool, batchSize: 10, concurrency: 1 });
    stalled.hold();
    const events = makeUsageEvents(55);
    for (const event of events) pipeline.record(event);

    // Act
    const report = await pipeline.shutdown({ deadlineMs: 300 });

    // Assess
    const ids = events.map((event) => event.eventId).sort();
    expect(report.flushed).toBe(false);
    expect(report.dropped).toBe(0);
    expect(spool.events('DynamoDB').map((event) => event.eventId).sort()).toEqual(ids);
    expect([...new Set([...healthy.persistedIds, ...spool.events('Log').map((event) => event.eventId)])].sort()).toEqual(ids);
  });

  it('sends events recorded after shutdown to the spool', async () => {
    // Prepare
    const sink = new InMemoryUsageSink();
    const spool = new InMemorySpool();
    const pipeline = new UsagePipeline({ sinks: [sink], spool });
    await pipeline.shutdown();
    const [late] = makeUsageEvents(1);

    // Act
    pipeline.record(late);
    await pipeline.forceFlush();

    // Assess
    expect(spool.events('InMemory')).toEqual([late]);
  });
});
