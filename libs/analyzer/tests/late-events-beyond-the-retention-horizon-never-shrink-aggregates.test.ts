import { makeUsageEvents } from '@bedrock-usage/testing';

import { CostAnalyzer, InMemoryUsageStore } from '../src';

const DAY_MS = 86_400_000;

describe('refreshAggregates with a raw-event retention horizon', () => {
  it('leaves an hour beyond the horizon as aggregated (its raw events may have expired) and counts the late events', async () => {
    // Prepare: an hour aggregated from 10 events, whose raw events then expire (TTL); a late event arrives for it
    const store = new InMemoryUsageStore();
    const hour = { time: '2025-03-11T10:00:00.000Z', agentId: 'jira' };
    const original = makeUsageEvents(10, hour);
    store.write(original);
    const now = { now: () => Date.parse('2025-03-11T12:00:00.000Z') };
    await new CostAnalyzer({ store, clock: now }).refreshAggregates(original);
    const before = await new CostAnalyzer({ store, clock: now }).generateDailyCostReport('2025-03-11');
    const expired = new InMemoryUsageStore();
    const late = makeUsageEvents(1, hour);
    expired.write(late);
    for (const aggregate of await store.aggregatesOfDay('2025-03-11')) await expired.putAggregates([aggregate]);
    const later = { now: () => Date.parse('2025-03-11T12:00:00.000Z') + 90 * DAY_MS };

    // Act
    const guarded = await new CostAnalyzer({ store: expired, clock: later, lateEventHorizonMs: 89 * DAY_MS }).refreshAggregates(late);
    const after = await new CostAnalyzer({ store: expired, clock: later }).generateDailyCostReport('2025-03-11');

    // Assess
    expect(guarded).toEqual({ events: 1, hours: 0, written: 0, restatedDays: [], tooLate: 1 });
    expect(after.requestCount).toBe(before.requestCount);
    expect(after.totalCost).toBe(before.totalCost);
  });

  it('recomputes hours within the horizon as usual', async () => {
    // Prepare
    const store = new InMemoryUsageStore();
    const events = makeUsageEvents(3, { time: '2025-03-11T10:00:00.000Z' });
    store.write(events);
    // Act
    const refresh = await new CostAnalyzer({ store, clock: { now: () => Date.parse('2025-03-12T10:00:00.000Z') }, lateEventHorizonMs: 89 * DAY_MS }).refreshAggregates(events);
    // Assess
    expect(refresh).toMatchObject({ events: 3, hours: 1, tooLate: 0 });
    expect(refresh.written).toBeGreaterThan(0);
  });
});
