import { InMemoryHealthMetrics, InMemorySpool, InMemoryUsageSink, makeUsageEvents } from '@bedrock-usage/testing';
import { UsagePipeline } from '../src';

describe('UsagePipeline bounds', () => {
  it('never holds more than capacity; spools the overflow for every sink and loses nothing', async () => {
    // Prepare
    const store = new InMemoryUsageSink({ name: 'DynamoDB' });
    const log = new InMemoryUsageSink({ name: 'Log' });
    const spool = new InMemorySpool();
    const health = new InMemoryHealthMetrics();
    const pipeline = new UsagePipeline({ sinks: [store, log], spool, health, capacity: 20, batchSize: 5, concurrency: 1 });
    const release = store.hold();
    const events = makeUsageEvents(200, { agentId: 'operations' });

    // Act: an agent recording between awaits (the overflow's spool appends get their turn)
    let peakDuring = 0;
    for (const [index, event] of events.entries()) {
      pipeline.record(event);
      peakDuring = Math.max(peakDuring, pipeline.stats.buffered);
      if (index % 10 === 9) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    release();
    await pipeline.forceFlush();
    await pipeline.replay();

    // Assess
    expect(peakDuring).toBe(20);
    expect(pipeline.stats.peakBuffered).toBe(20);
    const overflowed = health.sum('LoggingErrors', { LoggingBackend: 'DynamoDB', ErrorType: 'Overflow' });
    // 20 fill the buffer, 2 batches of 5 are taken into the queue (then the stalled sink holds them): 170 overflow
    expect(overflowed).toBe(170);
    expect(health.sum('LoggingErrors', { LoggingBackend: 'Log', ErrorType: 'Overflow' })).toBe(170);
    const ids = events.map((event) => event.eventId).sort();
    expect([...store.persistedIds].sort()).toEqual(ids);
    expect([...log.persistedIds].sort()).toEqual(ids);
    expect(spool.events('DynamoDB')).toEqual([]);
    await pipeline.shutdown();
  });

  it('drops what overflows even the overflow in one synchronous burst, counted as Dropped', async () => {
    // Prepare
    const sink = new InMemoryUsageSink();
    const spool = new InMemorySpool();
    const health = new InMemoryHealthMetrics();
    const lines: unknown[] = [];
    const pipeline = new UsagePipeline({ sinks: [sink], spool, health, capacity: 20, overflowCapacity: 20, batchSize: 5, concurrency: 1, logger: { error: (_m, fields) => lines.push(fields) } });
    sink.hold();

    // Act
    for (const event of makeUsageEvents(100)) pipeline.record(event);
    await new Promise<void>((resolve) => setImmediate(resolve));

    // Assess: 20 buffered (10 of them taken into the queue), 20 overflowed to the spool, 60 dropped and counted
    expect(health.sum('LoggingErrors', { ErrorType: 'Overflow' })).toBe(20);
    expect(spool.events('InMemory')).toHaveLength(20);
    expect(health.sum('LoggingErrors', { ErrorType: 'Dropped' })).toBe(60);
    expect(lines).toHaveLength(60);
    await pipeline.shutdown({ deadlineMs: 100 });
  });

  it('keeps at most 2 × concurrency batches in flight while a sink stalls', async () => {
    // Prepare
    const sink = new InMemoryUsageSink();
    const pipeline = new UsagePipeline({ sinks: [sink], spool: new InMemorySpool(), capacity: 1000, batchSize: 10, concurrency: 2 });
    const release = sink.hold();

    // Act
    for (const event of makeUsageEvents(300)) pipeline.record(event);
    await new Promise<void>((resolve) => setImmediate(resolve));

    // Assess
    expect(pipeline.stats.inFlightBatches).toBe(4); // 2 being written, 2 waiting in the queue
    expect(sink.calls).toBe(2);
    expect(pipeline.stats.buffered).toBe(300 - 4 * 10);
    release();
    await pipeline.forceFlush();
    expect(sink.persistedIds).toHaveLength(300);
    await pipeline.shutdown();
  });

  it('states its kill -9 window in events from its options', () => {
    // Act
    const pipeline = new UsagePipeline({ sinks: [], spool: new InMemorySpool(), capacity: 500, batchSize: 50, concurrency: 3 });

    // Assess
    expect(pipeline.durabilityWindowEvents).toBe(500 + 5 * 500 + 2 * 3 * 50);
    expect(new UsagePipeline({ sinks: [], spool: new InMemorySpool(), capacity: 500, overflowCapacity: 100, batchSize: 50, concurrency: 3 }).durabilityWindowEvents).toBe(500 + 100 + 300);
    expect(new UsagePipeline({ sinks: [], spool: new InMemorySpool() }).durabilityWindowEvents).toBe(6400);
  });
});
