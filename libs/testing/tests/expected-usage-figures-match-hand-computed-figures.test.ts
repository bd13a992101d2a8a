import { parseUsd, tokenUsage, type UsageEvent } from '@bedrock-usage/core';

import { ExpectedUsageFigures, expectPerformanceWithin, makeUsageEvent } from '../src';

// The oracle of the 100k-event analyzer tests, checked on a handful of events whose figures are computed by hand.
const priced = (id: string, time: string, usd: string, overrides: Partial<UsageEvent> = {}): UsageEvent => {
  const total = parseUsd(usd);
  return makeUsageEvent({ eventId: id, time, cost: { total, input: total, output: 0n, cacheRead: 0n, cacheWrite: 0n, cacheWrite1h: 0n }, ...overrides });
};

describe('ExpectedUsageFigures', () => {
  it('counts each eventId once, unpriced and provisioned usage beside the cost, errors without a code as Unknown', () => {
    // Prepare
    const events = [
      priced('a', '2025-03-11T10:05:00.000Z', '0.5', { agentId: 'jira', incidentId: 'INC-20250311-0001' }),
      priced('a', '2025-03-11T10:05:00.000Z', '0.5', { agentId: 'jira', incidentId: 'INC-20250311-0001' }),
      makeUsageEvent({ eventId: 'b', time: '2025-03-11T10:30:00.000Z', cost: null, resolvedModel: null, modelId: 'acme.x', flags: ['unpriced'] }),
      makeUsageEvent({ eventId: 'c', time: '2025-03-11T11:00:00.000Z', cost: null, flags: ['provisioned'] }),
      makeUsageEvent({ eventId: 'd', time: '2025-03-11T23:59:59.999Z', cost: null, outcome: 'error', usage: tokenUsage({}) }),
      makeUsageEvent({ eventId: 'e', time: '2025-03-11T12:00:00.000Z', flags: ['synthetic'] }),
      priced('f', '2025-03-12T00:00:00.000Z', '7'),
    ];
    // Act
    const report = new ExpectedUsageFigures(events).dailyCostReport('2025-03-11');
    // Assess
    expect(report).toMatchObject({
      totalCost: '0.5',
      totalTokens: 360,
      requestCount: 4,
      errorCount: 1,
      errorsByCode: { Unknown: 1 },
      pricedRequests: 1,
      unpriced: { requests: 1, tokens: 120 },
      provisioned: { requests: 1, tokens: 120 },
      complete: false,
      aggregatesRead: 4,
    });
    expect(report.breakdown.byIncident).toEqual({ 'INC-20250311-0001': { cost: '0.5', tokens: 120, requests: 1, errors: 0, unpricedRequests: 0, provisionedRequests: 0 } });
    expect(Object.keys(report.breakdown.byModel)).toEqual(['acme.x', 'anthropic.claude-3-haiku-20240307-v1:0']);
  });

  it('rounds money half away from zero to the femto-dollar, and growth to 2 decimals', () => {
    // Prepare: 2 femto-dollars over 3 priced requests; ISO week 2025-W01 starts on Monday 2024-12-30
    const expected = new ExpectedUsageFigures([
      priced('w1', '2024-12-27T10:00:00.000Z', '8'),
      priced('w2', '2024-12-30T10:00:00.000Z', '9.0004'),
      ...['x', 'y', 'z'].map((id, i) => priced(id, `2025-01-0${i + 1}T10:00:00.000Z`, i === 0 ? '0.000000000000002' : '0')),
    ]);
    // Act
    const trends = expected.costTrends({ startDate: '2024-12-27', endDate: '2025-01-03', granularity: 'weekly' });
    const breakdown = expected.agentCostBreakdown({ startDate: '2025-01-01', endDate: '2025-01-03' });
    // Assess: (9.0004 + 2e-15 − 8) / 8 = 12.505… % → 12.51
    expect(trends.weekOverWeek.map((w) => [w.week, w.weekStart, w.growthPercent])).toEqual([
      ['2024-W52', '2024-12-23', null],
      ['2025-W01', '2024-12-30', '12.51'],
    ]);
    expect(trends.points.map((p) => p.date)).toEqual(['2024-12-23', '2024-12-30']);
    expect(breakdown.agents['cloud-engineer']?.costPerRequest).toBe('0.000000000000001');
  });

  it('gives exact nearest-rank percentiles, and expectPerformanceWithin fails beyond the relative error', () => {
    // Prepare: api latencies 1..100 ms in one hour
    const expected = new ExpectedUsageFigures(
      Array.from({ length: 100 }, (_, i) => makeUsageEvent({ eventId: `p${i}`, time: `2025-03-11T10:${String(i % 60).padStart(2, '0')}:00.000Z`, apiLatencyMs: 100 - i })),
    );
    const window = { startTime: '2025-03-11T10:00:00.000Z', endTime: '2025-03-11T11:00:00.000Z' };
    // Act
    const perf = expected.performanceMetrics(window);
    // Assess
    expect([perf.p50ApiLatency, perf.p95ApiLatency, perf.p99ApiLatency, perf.apiLatency.avg, perf.apiLatency.min]).toEqual([50, 95, 99, 50.5, 1]);
    expect(() => expectPerformanceWithin({ ...perf, p95ApiLatency: 95 * 1.009 }, perf, 0.01)).not.toThrow();
    expect(() => expectPerformanceWithin({ ...perf, p95ApiLatency: 95 * 1.02 }, perf, 0.01)).toThrow(/p95ApiLatency/);
    expect(() => expectPerformanceWithin({ ...perf, byAgent: {} }, perf, 0.01)).toThrow(/byAgent/);
  });
});
