import { InMemorySpool, InMemoryUsageSink, makeUsageEvents } from '@bedrock-usage/testing';
import { UsagePipeline } from '@bedrock-usage/recorder';
import { withUsageFlush } from '../src';

const context = { getRemainingTimeInMillis: () => 10_000 };

describe('withUsageFlush', () => {
  it('flushes after the handler returns, passing its result through', async () => {
    // Prepare
    const sink = new InMemoryUsageSink();
    const pipeline = new UsagePipeline({ sinks: [sink], spool: new InMemorySpool(), flushIntervalMs: 600_000 });
    const events = makeUsageEvents(3);
    const handler = withUsageFlush(async (input: { n: number }) => {
      for (const event of events) pipeline.record(event);
      return input.n * 2;
    }, pipeline);

    // Act
    const result = await handler({ n: 21 }, context);

    // Assess
    expect(result).toBe(42);
    expect(sink.persistedIds).toEqual(events.map((event) => event.eventId));
    await pipeline.shutdown();
  });

  it('flushes when the handler throws, and rethrows its error', async () => {
    // Prepare
    const sink = new InMemoryUsageSink();
    const pipeline = new UsagePipeline({ sinks: [sink], spool: new InMemorySpool(), flushIntervalMs: 600_000 });
    const [event] = makeUsageEvents(1);
    const handler = withUsageFlush(async () => {
      pipeline.record(event);
      throw new Error('agent failed');
    }, pipeline);

    // Act
    const run = handler({}, context);

    // Assess
    await expect(run).rejects.toThrow('agent failed');
    expect(sink.persistedIds).toEqual([event.eventId]);
    await pipeline.shutdown();
  });

  it('returns within the remaining time when a sink hangs', async () => {
    // Prepare
    const sink = new InMemoryUsageSink();
    const release = sink.hold();
    const pipeline = new UsagePipeline({ sinks: [sink], spool: new InMemorySpool(), flushIntervalMs: 600_000 });
    const handler = withUsageFlush(async () => {
      pipeline.record(makeUsageEvents(1)[0]);
      return 'done';
    }, pipeline, { marginMs: 500 });

    // Act
    const result = await handler({}, { getRemainingTimeInMillis: () => 550 });

    // Assess
    expect(result).toBe('done');
    expect(sink.persistedIds).toEqual([]);
    release();
    await pipeline.shutdown();
  });
});
