import type { UsageEvent } from '@bedrock-usage/core';
import { ExpectedUsageFigures, GENERATED_MODELS, GENERATED_UNPRICED_MODEL, expectPerformanceWithin, generateUsage, liveDeliveries } from '@bedrock-usage/testing';

import { CostAnalyzer, InMemoryUsageStore, LATENCY_SKETCH_RELATIVE_ERROR } from '../src';

// Every figure is compared with ExpectedUsageFigures: a naive recomputation from the raw events that uses none of
// this lib's code (the same oracle checks the analyzer over DynamoDB on dynalite, in libs/sinks/tests).
const DAYS = ['2025-03-10', '2025-03-11', '2025-03-12', '2025-03-13'];
const AFTER = Date.parse('2025-03-14T06:00:00.000Z');
/** The generator's input rate of an event's price (independent of how the lib derives it from the events). */
const inputRate = (e: UsageEvent): bigint | undefined => GENERATED_MODELS.find((m) => m.model === e.priceRef?.model)?.rates.input;

describe('CostAnalyzer: every figure equals a naive recomputation from 100k raw events with replays and duplicates', () => {
  let now = 0;
  const store = new InMemoryUsageStore();
  const analyzer = new CostAnalyzer({ store, clock: { now: () => now } });
  const generated = generateUsage({ count: 100_000, firstDay: DAYS[0] as string, days: DAYS.length, seed: 7 });
  const expected = new ExpectedUsageFigures(generated);

  beforeAll(async () => {
    // Prepare: "live" delivery in time order, batches of 20k, each with 5 % duplicates of any earlier events;
    // every 3rd batch is delivered twice (a replay after a lost acknowledgement).
    for (const { events, at } of liveDeliveries(generated, { batchSize: 20_000, duplicateShare: 0.05, replayEvery: 3, seed: 99 })) {
      now = at;
      store.write(events);
      await analyzer.refreshAggregates(events);
    }
    now = AFTER;
  }, 120_000); // a hang guard: ~15 s alone on 2 cores, more when nx runs other projects beside it

  it('reports each day exactly: totals, counts, cost by component, unpriced, provisioned, breakdowns by agent, model and incident', async () => {
    for (const day of DAYS) {
      // Act
      const report = await analyzer.generateDailyCostReport(day);
      // Assess
      expect(report).toEqual(expected.dailyCostReport(day));
      expect([report.unpriced.requests, report.provisioned.requests, report.errorCount, report.rejectedCount].every((n) => n > 0)).toBe(true);
    }
  });

  it('reads O(groups) aggregates for a daily report, never the events', async () => {
    // Prepare
    const before = store.eventReads;
    // Act
    const report = await analyzer.generateDailyCostReport('2025-03-11');
    // Assess
    expect(store.eventReads).toBe(before);
    expect(report.aggregatesRead).toBeLessThan(expected.eventsOfDays('2025-03-11').length / 5);
  });

  it('breaks the cost down per agent over a range, with cost per request and top models', async () => {
    // Act
    const breakdown = await analyzer.generateAgentCostBreakdown({ startDate: '2025-03-11', endDate: '2025-03-13' });
    // Assess
    expect(breakdown).toEqual(expected.agentCostBreakdown({ startDate: '2025-03-11', endDate: '2025-03-13' }));
  });

  it('gives hourly, daily and weekly trends and week-over-week growth', async () => {
    for (const range of [
      { startDate: DAYS[0] as string, endDate: DAYS[3] as string, granularity: 'daily' as const },
      { startDate: '2025-03-12', endDate: '2025-03-12', granularity: 'hourly' as const },
      // 2025-03-06..09 is ISO week 10 (no events), 2025-03-10..13 week 11.
      { startDate: '2025-03-06', endDate: '2025-03-13', granularity: 'weekly' as const },
    ]) {
      // Act
      const trends = await analyzer.getCostTrends(range);
      // Assess
      expect(trends).toEqual(expected.costTrends(range));
    }
  });

  it('gives latency avg exactly and p50/p95/p99 within the sketch error, overall and per agent and model, over partial hours', async () => {
    // Prepare
    const window = { startTime: '2025-03-11T03:30:00.000Z', endTime: '2025-03-12T05:15:00.000Z' };
    // Act
    const perf = await analyzer.getPerformanceMetrics(window);
    // Assess
    expectPerformanceWithin(perf, expected.performanceMetrics(window), LATENCY_SKETCH_RELATIVE_ERROR);
  });

  it('counts requests per second in 1min, 5min and 1h buckets', async () => {
    for (const granularity of ['1min', '5min', '1h'] as const) {
      // Prepare
      now = Date.parse('2025-03-13T12:07:30.000Z');
      // Act
      const points = await analyzer.getThroughputMetrics({ granularity, lookbackHours: 6 });
      // Assess
      expect(points).toEqual(expected.throughputMetrics({ granularity, lookbackHours: 6, now }));
    }
    now = AFTER;
  });

  it('gives an incident its cost, agents, models, first and last call and outcome', async () => {
    // Prepare
    await analyzer.recordIncidentOutcome('INC-20250311-0007', 'resolved');
    for (const [id, outcome] of [['INC-20250311-0007', 'resolved'], ['INC-20250312-0031', null], ['INC-20990101-0000', null]] as const) {
      // Act
      const incident = await analyzer.getIncidentCost(id);
      // Assess
      expect(incident).toEqual(expected.incidentCost(id, outcome));
    }
  });

  it('gives cost per 1k tokens per model and cost per resolved incident', async () => {
    // Prepare
    const resolved = ['INC-20250311-0001', 'INC-20250311-0002', 'INC-20250312-0003'];
    for (const id of resolved) await analyzer.recordIncidentOutcome(id, 'resolved');
    await analyzer.recordIncidentOutcome('INC-20250311-0004', 'failed');
    await analyzer.recordIncidentOutcome('INC-20250311-0007', 'escalated');
    // Act
    const efficiency = await analyzer.getModelEfficiency({ startDate: '2025-03-11', endDate: '2025-03-12' });
    // Assess
    expect(efficiency).toEqual(expected.modelEfficiency({ startDate: '2025-03-11', endDate: '2025-03-12' }, resolved));
    expect(efficiency.resolvedIncidents).toBe(3);
    expect(efficiency.models[GENERATED_UNPRICED_MODEL]?.costPer1kTokens).toBeNull();
  });

  it('gives the cache hit ratio, the exact dollars saved by cache reads and the writes never read back', async () => {
    // Act
    const cache = await analyzer.getCacheEfficiency({ startDate: '2025-03-10', endDate: '2025-03-12' });
    // Assess
    expect(cache).toEqual(expected.cacheEfficiency({ startDate: '2025-03-10', endDate: '2025-03-12' }, inputRate));
    expect([cache.cacheReadTokens, cache.cacheWriteTokens, cache.unreadWrites.requests].every((n) => n > 0)).toBe(true);
  });

  it('ignores replays of old batches, and restates a closed day when late events arrive', async () => {
    // Prepare
    const old = expected.eventsOfDays('2025-03-11').slice(0, 3000);
    const before = await analyzer.generateDailyCostReport('2025-03-11');
    // Act: a spool replay days later of events already counted
    store.write(old);
    const replay = await analyzer.refreshAggregates(old);
    // Assess
    expect(replay.written).toBe(0);
    expect(replay.restatedDays).toEqual([]);
    expect(await analyzer.generateDailyCostReport('2025-03-11')).toEqual(before);
    // Act: late events (never seen before) for that closed day
    const late = generateUsage({ count: 500, firstDay: '2025-03-11', days: 1, seed: 8, idPrefix: 'late' });
    store.write(late);
    const refresh = await analyzer.refreshAggregates(late);
    expected.add(late);
    // Assess
    expect(refresh.restatedDays).toEqual(['2025-03-11']);
    const after = await analyzer.generateDailyCostReport('2025-03-11');
    expect(after).toEqual({ ...expected.dailyCostReport('2025-03-11'), restated: true, restatedAt: new Date(AFTER).toISOString() });
    expect(after.requestCount).toBe(before.requestCount + 500);
    expect(await analyzer.generateDailyCostReport('2025-03-12')).toEqual(expected.dailyCostReport('2025-03-12'));
  });
});
