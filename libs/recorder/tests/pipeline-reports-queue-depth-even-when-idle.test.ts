import { InMemoryHealthMetrics, InMemorySpool, InMemoryUsageSink, makeUsageEvents } from '@bedrock-usage/testing';
import { UsagePipeline } from '../src';

describe('UsagePipeline LoggingQueueDepth', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('reports 0 for its agent every interval with no traffic at all', async () => {
    // Prepare
    const health = new InMemoryHealthMetrics();
    const pipeline = new UsagePipeline({ sinks: [new InMemoryUsageSink()], spool: new InMemorySpool(), health, agentId: 'jira', queueDepthIntervalMs: 30_000 });

    // Act
    await jest.advanceTimersByTimeAsync(60_000);

    // Assess
    expect(health.values('LoggingQueueDepth', { AgentId: 'jira' })).toEqual([0, 0]);
    await pipeline.shutdown();
  });

  it('reports the real number of undelivered events per agent while a sink stalls', async () => {
    // Prepare
    const health = new InMemoryHealthMetrics();
    const sink = new InMemoryUsageSink();
    const pipeline = new UsagePipeline({ sinks: [sink], spool: new InMemorySpool(), health, agentId: 'jira', flushIntervalMs: 1000 });
    const release = sink.hold();
    for (const event of makeUsageEvents(7, { agentId: 'operations' })) pipeline.record(event);
    for (const event of makeUsageEvents(3, { agentId: 'jira' })) pipeline.record(event);

    // Act
    await jest.advanceTimersByTimeAsync(30_000);
    release();
    await pipeline.forceFlush();
    await jest.advanceTimersByTimeAsync(30_000);

    // Assess
    expect(health.values('LoggingQueueDepth', { AgentId: 'operations' })).toEqual([7, 0]);
    expect(health.values('LoggingQueueDepth', { AgentId: 'jira' })).toEqual([3, 0]);
    await pipeline.shutdown();
  });
});
