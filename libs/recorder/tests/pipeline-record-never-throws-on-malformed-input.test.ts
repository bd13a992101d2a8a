import fc from 'fast-check';
import { InMemoryHealthMetrics, InMemorySpool, InMemoryUsageSink, makeUsageEvent } from '@bedrock-usage/testing';
import type { UsageEvent } from '@bedrock-usage/core';
import { UsagePipeline } from '../src';

const silent = { error: () => undefined };

describe('UsagePipeline.record with malformed input', () => {
  it('never throws on arbitrary values and counts each as InvalidEvent', async () => {
    // Prepare
    const health = new InMemoryHealthMetrics();
    const sink = new InMemoryUsageSink();
    const pipeline = new UsagePipeline({ sinks: [sink], spool: new InMemorySpool(), health, logger: silent, agentId: 'jira' });
    let fed = 0;

    // Act
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withMap: true, withNullPrototype: true }), (value) => {
        fed += 1;
        expect(() => pipeline.record(value as UsageEvent)).not.toThrow();
      }),
      { numRuns: 500 },
    );
    await pipeline.forceFlush();

    // Assess
    expect(health.sum('LoggingErrors', { AgentId: 'jira', LoggingBackend: 'Pipeline', ErrorType: 'InvalidEvent' })).toBe(fed);
    expect(sink.calls).toBe(0);
    await pipeline.shutdown();
  });

  it('rejects near-valid events field by field, accepts the valid one, and survives throwing getters', async () => {
    // Prepare
    const health = new InMemoryHealthMetrics();
    const lines: Readonly<Record<string, unknown>>[] = [];
    const sink = new InMemoryUsageSink();
    const pipeline = new UsagePipeline({ sinks: [sink], spool: new InMemorySpool(), health, logger: { error: (_message, fields) => lines.push(fields) } });
    const valid = makeUsageEvent();
    const hostile = new Proxy({}, { get: () => { throw new Error('boom'); } });
    const broken: unknown[] = [
      null,
      42,
      'event',
      [valid],
      { ...valid, eventId: '' },
      { ...valid, eventId: undefined },
      { ...valid, api: 'Chat' },
      { ...valid, usage: { ...valid.usage, inputTokens: -1 } },
      { ...valid, cost: { ...valid.cost, total: 0.5 } },
      { ...valid, flags: 'none' },
      hostile,
    ];

    // Act
    for (const value of broken) pipeline.record(value as UsageEvent);
    pipeline.record(valid);
    await pipeline.forceFlush();

    // Assess
    expect(health.sum('LoggingErrors', { ErrorType: 'InvalidEvent' })).toBe(broken.length);
    expect(lines.map((fields) => fields.field)).toEqual([
      'event', 'event', 'event', 'event', 'eventId', 'eventId', 'api', 'usage.inputTokens', 'cost.total', 'flags', 'event (unreadable: boom)',
    ]);
    expect(sink.persistedIds).toEqual([valid.eventId]);
    await pipeline.shutdown();
  });
});
