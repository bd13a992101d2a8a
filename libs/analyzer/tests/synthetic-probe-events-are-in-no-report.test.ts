import { makeUsageEvents } from '@bedrock-usage/testing';

import { CostAnalyzer, InMemoryUsageStore } from '../src';

describe('events flagged synthetic (doctor probes)', () => {
  it('are stored but counted in no report: daily, incident, performance, throughput', async () => {
    // Prepare: 10 real calls and 3 probes in the same hour and incident
    const store = new InMemoryUsageStore();
    const overrides = { time: '2025-03-11T10:00:00.000Z', agentId: 'jira', incidentId: 'INC-20250311-0001' };
    const real = makeUsageEvents(10, overrides);
    const probes = makeUsageEvents(3, { ...overrides, agentId: 'doctor', flags: ['synthetic'] });
    store.write([...real, ...probes]);
    const analyzer = new CostAnalyzer({ store, clock: { now: () => Date.parse('2025-03-11T12:00:00.000Z') } });
    // Act
    await analyzer.refreshAggregates([...real, ...probes]);
    const report = await analyzer.generateDailyCostReport('2025-03-11');
    const incident = await analyzer.getIncidentCost('INC-20250311-0001');
    const perf = await analyzer.getPerformanceMetrics({ startTime: '2025-03-11T10:00:00.000Z', endTime: '2025-03-11T10:30:00.000Z' });
    const throughput = await analyzer.getThroughputMetrics({ granularity: '1h', lookbackHours: 3 });
    // Assess
    expect(report.requestCount).toBe(10);
    expect(Object.keys(report.breakdown.byAgent)).toEqual(['jira']);
    expect(incident.requests).toBe(10);
    expect(incident.agents).toEqual(['jira']);
    expect(perf.requests).toBe(10);
    expect(throughput.reduce((sum, point) => sum + point.requests, 0)).toBe(10);
  });
});
