import { InMemoryHealthMetrics, InMemorySpool, InMemoryUsageSink, makeUsageEvents } from '@bedrock-usage/testing';
import type { UsageEvent } from '@bedrock-usage/core';
import { UsagePipeline, type PipelineLogger, type RecoveringSink } from '../src';

/** An in-memory sink that announces its recovery, as a GuardedSink does when its breaker closes. */
class RecoveringInMemorySink extends InMemoryUsageSink implements RecoveringSink {
  readonly #listeners = new Set<() => void>();

  onRecovered(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  announceRecovery(): void {
    this.recover();
    for (const listener of this.#listeners) listener();
  }
}

function idsOf(events: readonly UsageEvent[]): string[] {
  return events.map((event) => event.eventId).sort();
}

function capture(): { logger: PipelineLogger; lines: { message: string; fields: Readonly<Record<string, unknown>> }[] } {
  const lines: { message: string; fields: Readonly<Record<string, unknown>> }[] = [];
  return { logger: { error: (message, fields) => lines.push({ message, fields }) }, lines };
}

describe('UsagePipeline spool', () => {
  it('spools the events of a retryable failure for that sink only, counted by agent and error type', async () => {
    // Prepare
    const store = new InMemoryUsageSink({ name: 'DynamoDB' });
    const log = new InMemoryUsageSink({ name: 'Log' });
    const spool = new InMemorySpool();
    const health = new InMemoryHealthMetrics();
    const pipeline = new UsagePipeline({ sinks: [store, log], spool, health, logger: capture().logger });
    const events = makeUsageEvents(7, { agentId: 'jira' });
    store.fail({ code: 'IO', retryable: true });

    // Act
    for (const event of events) pipeline.record(event);
    await pipeline.forceFlush();

    // Assess
    expect(idsOf(spool.events('DynamoDB'))).toEqual(idsOf(events));
    expect(spool.events('Log')).toEqual([]);
    expect([...log.persistedIds].sort()).toEqual(idsOf(events));
    expect(health.sum('LoggingErrors', { AgentId: 'jira', LoggingBackend: 'DynamoDB', ErrorType: 'IO' })).toBe(7);
    await pipeline.shutdown();
  });

  it('replays a recovering sink when it announces recovery, with no traffic', async () => {
    // Prepare
    const sink = new RecoveringInMemorySink({ name: 'DynamoDB' });
    const spool = new InMemorySpool();
    const pipeline = new UsagePipeline({ sinks: [sink], spool, logger: capture().logger });
    const events = makeUsageEvents(5);
    sink.fail({ code: 'BREAKER_OPEN', retryable: true });
    for (const event of events) pipeline.record(event);
    await pipeline.forceFlush();

    // Act
    sink.announceRecovery();
    await pipeline.replay();

    // Assess
    expect([...sink.persistedIds].sort()).toEqual(idsOf(events));
    expect(spool.events('DynamoDB')).toEqual([]);
    expect(pipeline.stats).toMatchObject({ spooled: 5, replayed: 5 });
    await pipeline.shutdown();
  });

  it('replays a plain sink after it acknowledges a write again, leaving every event once', async () => {
    // Prepare
    const sink = new InMemoryUsageSink({ name: 'Log' });
    const spool = new InMemorySpool({ replayBatchSize: 3 });
    const pipeline = new UsagePipeline({ sinks: [sink], spool, logger: capture().logger });
    const outage = makeUsageEvents(8);
    const after = makeUsageEvents(2);
    sink.fail();
    for (const event of outage) pipeline.record(event);
    await pipeline.forceFlush();
    sink.recover();

    // Act
    for (const event of after) pipeline.record(event);
    await pipeline.forceFlush();
    await pipeline.replay();

    // Assess
    expect([...sink.persistedIds].sort()).toEqual(idsOf([...outage, ...after]));
    expect(spool.events('Log')).toEqual([]);
    await pipeline.shutdown();
  });

  it('replays what an earlier run spooled at start()', async () => {
    // Prepare
    const sink = new InMemoryUsageSink({ name: 'DynamoDB' });
    const spool = new InMemorySpool();
    const earlier = makeUsageEvents(12);
    await spool.append('DynamoDB', earlier);
    const pipeline = new UsagePipeline({ sinks: [sink], spool });

    // Act
    const report = await pipeline.start();

    // Assess
    expect(report).toEqual({ DynamoDB: { replayed: 12, remaining: 0, corrupt: 0 } });
    expect([...sink.persistedIds].sort()).toEqual(idsOf(earlier));
    await pipeline.shutdown();
  });

  it('keeps events spooled while the sink is still failing at replay', async () => {
    // Prepare
    const sink = new InMemoryUsageSink({ name: 'DynamoDB' });
    const spool = new InMemorySpool();
    await spool.append('DynamoDB', makeUsageEvents(4));
    const pipeline = new UsagePipeline({ sinks: [sink], spool });
    sink.fail({ code: 'TIMEOUT', retryable: true });

    // Act
    const report = await pipeline.start();

    // Assess
    expect(report).toEqual({ DynamoDB: { replayed: 0, remaining: 4, corrupt: 0 } });
    expect(spool.events('DynamoDB')).toHaveLength(4);
    await pipeline.shutdown();
  });

  it('does not spool events a sink refuses for good, but counts and logs their ids', async () => {
    // Prepare
    const sink = new InMemoryUsageSink({ name: 'DynamoDB' });
    const spool = new InMemorySpool();
    const health = new InMemoryHealthMetrics();
    const { logger, lines } = capture();
    const pipeline = new UsagePipeline({ sinks: [sink], spool, health, logger });
    const events = makeUsageEvents(2, { agentId: 'knowledge-base' });
    sink.fail({ code: 'INVALID_INPUT', retryable: false });

    // Act
    for (const event of events) pipeline.record(event);
    await pipeline.forceFlush();

    // Assess
    expect(spool.events('DynamoDB')).toEqual([]);
    expect(health.sum('LoggingErrors', { AgentId: 'knowledge-base', ErrorType: 'INVALID_INPUT' })).toBe(2);
    expect(lines).toHaveLength(1);
    expect(lines[0].fields).toMatchObject({ error_code: 'INVALID_INPUT', count: 2, event_ids: events.map((event) => event.eventId) });
    await pipeline.shutdown();
  });

  it('counts and logs events as Dropped when even the spool fails', async () => {
    // Prepare
    const sink = new InMemoryUsageSink({ name: 'DynamoDB' });
    const spool = new InMemorySpool();
    const health = new InMemoryHealthMetrics();
    const { logger, lines } = capture();
    const pipeline = new UsagePipeline({ sinks: [sink], spool, health, logger });
    const events = makeUsageEvents(3, { agentId: 'jira' });
    sink.fail();
    spool.failAppends();

    // Act
    for (const event of events) pipeline.record(event);
    await pipeline.forceFlush();

    // Assess
    expect(health.sum('LoggingErrors', { AgentId: 'jira', LoggingBackend: 'DynamoDB', ErrorType: 'Dropped' })).toBe(3);
    expect(lines.map((line) => line.fields)).toEqual([expect.objectContaining({ error_code: 'Dropped', count: 3, event_ids: events.map((event) => event.eventId) })]);
    await pipeline.shutdown();
  });
});
