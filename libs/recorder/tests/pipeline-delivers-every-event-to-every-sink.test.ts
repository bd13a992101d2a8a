import { InMemoryHealthMetrics, InMemorySpool, InMemoryUsageSink, makeUsageEvents } from '@bedrock-usage/testing';
import { UsagePipeline } from '../src';

describe('UsagePipeline delivery', () => {
  it('hands every recorded event to every sink once, in batches of at most batchSize', async () => {
    // Prepare
    const store = new InMemoryUsageSink({ name: 'DynamoDB' });
    const log = new InMemoryUsageSink({ name: 'Log' });
    const health = new InMemoryHealthMetrics();
    const pipeline = new UsagePipeline({ sinks: [store, log], spool: new InMemorySpool(), health, batchSize: 40, flushIntervalMs: 60_000 });
    const events = [...makeUsageEvents(150, { agentId: 'jira' }), ...makeUsageEvents(100, { agentId: 'operations' })];

    // Act
    for (const event of events) pipeline.record(event);
    await pipeline.forceFlush();

    // Assess
    const ids = events.map((event) => event.eventId).sort();
    expect([...store.persistedIds].sort()).toEqual(ids);
    expect([...log.persistedIds].sort()).toEqual(ids);
    expect(store.batches.flat()).toHaveLength(250);
    expect(Math.max(...store.batches.map((batch) => batch.length))).toBe(40);
    expect(health.find('LoggingLatency', { AgentId: 'jira', LoggingBackend: 'DynamoDB' }).length).toBeGreaterThan(0);
    expect(health.find('LoggingLatency', { AgentId: 'operations', LoggingBackend: 'Log' }).length).toBeGreaterThan(0);
    expect(health.values('DeliveryLag', { LoggingBackend: 'DynamoDB' })).toHaveLength(250);
    expect(health.values('BatchProcessingTime', { LoggingBackend: 'Log' })).toHaveLength(store.calls);
    expect(health.sum('LoggingErrors')).toBe(0);
    await pipeline.shutdown();
  });

  it('sends a partial batch when the flush interval passes', async () => {
    jest.useFakeTimers();
    try {
      // Prepare
      const sink = new InMemoryUsageSink();
      const pipeline = new UsagePipeline({ sinks: [sink], spool: new InMemorySpool(), batchSize: 100, flushIntervalMs: 1000 });
      const events = makeUsageEvents(3);
      for (const event of events) pipeline.record(event);
      await jest.advanceTimersByTimeAsync(999);
      const before = sink.calls;

      // Act
      await jest.advanceTimersByTimeAsync(1);

      // Assess
      expect(before).toBe(0);
      expect(sink.persistedIds).toEqual(events.map((event) => event.eventId));
      await pipeline.shutdown();
    } finally {
      jest.useRealTimers();
    }
  });

  it('refuses two sinks with the same name, naming it', () => {
    // Prepare
    const sinks = [new InMemoryUsageSink({ name: 'Log' }), new InMemoryUsageSink({ name: 'Log' })];

    // Act
    const build = (): UsagePipeline => new UsagePipeline({ sinks, spool: new InMemorySpool() });

    // Assess
    expect(build).toThrow(/two sinks are named "Log"/);
  });

  it('refuses a capacity that is not a positive integer, naming the option', () => {
    // Act
    const build = (): UsagePipeline => new UsagePipeline({ sinks: [], spool: new InMemorySpool(), capacity: 0 });

    // Assess
    expect(build).toThrow(/option "capacity" is 0 — expected a positive integer/);
  });
});
