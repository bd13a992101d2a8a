import { makeUsageEvents } from '@bedrock-usage/testing';

import { CostAnalyzer, InMemoryUsageStore } from '../src';

describe('CostAnalyzer.getErrorBreakdown (Runbook 2: check error types)', () => {
  it('counts failed calls by code, agent and model over whole and partial hours, most frequent first', async () => {
    // Prepare: 10:00–12:00 hold 3 hours of calls; the window starts mid-hour, so 10:xx counts only from 10:30
    const store = new InMemoryUsageStore();
    const at = (time: string) => ({ time });
    const events = [
      ...makeUsageEvents(20, at('2025-03-11T10:10:00.000Z')),
      ...makeUsageEvents(4, { ...at('2025-03-11T10:10:00.000Z'), outcome: 'error', errorCode: 'ThrottlingException', agentId: 'jira' }),
      ...makeUsageEvents(3, { ...at('2025-03-11T10:45:00.000Z'), outcome: 'error', errorCode: 'ThrottlingException', agentId: 'jira' }),
      ...makeUsageEvents(2, { ...at('2025-03-11T11:05:00.000Z'), outcome: 'error', errorCode: 'ThrottlingException', agentId: 'operations', modelId: 'amazon.nova-pro-v1:0', resolvedModel: 'amazon.nova-pro-v1:0' }),
      ...makeUsageEvents(1, { ...at('2025-03-11T11:30:00.000Z'), outcome: 'error', errorCode: 'AccessDeniedException', agentId: 'operations' }),
      ...makeUsageEvents(1, { ...at('2025-03-11T11:40:00.000Z'), outcome: 'error', agentId: 'operations' }),
      ...makeUsageEvents(9, at('2025-03-11T11:50:00.000Z')),
    ];
    store.write(events);
    const analyzer = new CostAnalyzer({ store, clock: { now: () => Date.parse('2025-03-11T13:00:00.000Z') } });
    await analyzer.refreshAggregates(events);
    // Act
    const breakdown = await analyzer.getErrorBreakdown({ startTime: '2025-03-11T10:30:00.000Z', endTime: '2025-03-11T12:00:00.000Z' });
    // Assess: 3 + 2 + 1 + 1 errors among 3 + 2 + 1 + 1 + 9 calls
    expect(breakdown).toEqual({
      startTime: '2025-03-11T10:30:00.000Z',
      endTime: '2025-03-11T12:00:00.000Z',
      requests: 16,
      errors: 7,
      errorRate: 7 / 16,
      byCode: {
        ThrottlingException: { count: 5, byAgent: { jira: 3, operations: 2 }, byModel: { 'anthropic.claude-3-haiku-20240307-v1:0': 3, 'amazon.nova-pro-v1:0': 2 } },
        AccessDeniedException: { count: 1, byAgent: { operations: 1 }, byModel: { 'anthropic.claude-3-haiku-20240307-v1:0': 1 } },
        Unknown: { count: 1, byAgent: { operations: 1 }, byModel: { 'anthropic.claude-3-haiku-20240307-v1:0': 1 } },
      },
    });
    expect(Object.keys(breakdown.byCode)).toEqual(['ThrottlingException', 'AccessDeniedException', 'Unknown']);
  });
});
