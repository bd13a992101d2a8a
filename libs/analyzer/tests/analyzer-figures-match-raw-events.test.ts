import { formatUsd, parseUsd, type UsageEvent } from '@bedrock-usage/core';

import { CostAnalyzer, LATENCY_SKETCH_RELATIVE_ERROR } from '../src';
import { AGENTS, generateUsage, random } from './support/generate-usage';
import { InMemoryUsageStore } from './support/in-memory-usage-store';

// Independent, naive recomputation from the raw events: no code of the lib is used below (only core's Money).
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const COUNT = 100_000;
const BATCH = 20_000;
const REPLAY_EVERY = 3;
const DAYS = ['2025-03-10', '2025-03-11', '2025-03-12', '2025-03-13'];
const modelOf = (e: UsageEvent): string => e.resolvedModel ?? e.modelId;
const isUnpricedNaive = (e: UsageEvent): boolean =>
  e.cost === null && !e.flags.includes('provisioned') && (e.usage.totalTokens > 0 || e.flags.includes('unpriced'));
const costOf = (events: readonly UsageEvent[]): string => formatUsd(events.reduce((sum, e) => sum + (e.cost?.total ?? 0n), 0n));
const tokensOf = (events: readonly UsageEvent[]): number => events.reduce((sum, e) => sum + e.usage.totalTokens, 0);
const groupBy = <K>(events: readonly UsageEvent[], key: (e: UsageEvent) => K | undefined): Map<K, UsageEvent[]> => {
  const groups = new Map<K, UsageEvent[]>();
  for (const e of events) {
    const k = key(e);
    if (k === undefined) continue;
    const group = groups.get(k);
    if (group) group.push(e);
    else groups.set(k, [e]);
  }
  return groups;
};
const lineOf = (events: readonly UsageEvent[]) => ({
  cost: costOf(events),
  tokens: tokensOf(events),
  requests: events.length,
  errors: events.filter((e) => e.outcome === 'error').length,
  unpricedRequests: events.filter(isUnpricedNaive).length,
  provisionedRequests: events.filter((e) => e.cost === null && e.flags.includes('provisioned')).length,
});
const linesOf = (groups: Map<string, UsageEvent[]>) => Object.fromEntries([...groups.entries()].map(([k, v]) => [k, lineOf(v)]));
const nearestRank = (values: number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1] as number;
};
const roundDiv = (n: bigint, d: bigint): bigint => (n * 2n + d) / (2n * d);
const within = (actual: number | null, exact: number): void => {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) - exact)).toBeLessThanOrEqual(LATENCY_SKETCH_RELATIVE_ERROR * exact + 1e-9);
};

/**
 * The raw events the oracle recomputes from, each once (by eventId), with each time parsed once and an index by
 * UTC hour, so a window reads only the hours it spans (naive per event, but not O(all events) per question).
 */
class RawEvents {
  readonly #byId = new Map<string, UsageEvent>();
  readonly #millis = new Map<string, number>();
  #byHour: Map<number, UsageEvent[]> | null = null;

  add(events: readonly UsageEvent[]): void {
    for (const e of events) {
      this.#byId.set(e.eventId, e);
      this.#millis.set(e.eventId, Date.parse(e.time));
    }
    this.#byHour = null;
  }

  all(): UsageEvent[] {
    return [...this.#byId.values()];
  }

  millisOf(e: UsageEvent): number {
    return this.#millis.get(e.eventId) as number;
  }

  /** Events with start <= time < end (milliseconds). */
  between(start: number, end: number): UsageEvent[] {
    const byHour = this.#hours();
    const out: UsageEvent[] = [];
    for (let hour = Math.floor(start / HOUR); hour * HOUR < end; hour++) {
      for (const e of byHour.get(hour) ?? []) {
        const t = this.millisOf(e);
        if (t >= start && t < end) out.push(e);
      }
    }
    return out;
  }

  /** Events of the UTC days from `first` to `last`, both included. */
  inDays(first: string, last: string = first): UsageEvent[] {
    return this.between(Date.parse(`${first}T00:00:00.000Z`), Date.parse(`${last}T00:00:00.000Z`) + DAY);
  }

  #hours(): Map<number, UsageEvent[]> {
    if (this.#byHour) return this.#byHour;
    const byHour = new Map<number, UsageEvent[]>();
    for (const e of this.#byId.values()) {
      const hour = Math.floor(this.millisOf(e) / HOUR);
      const events = byHour.get(hour);
      if (events) events.push(e);
      else byHour.set(hour, [e]);
    }
    this.#byHour = byHour;
    return byHour;
  }
}

describe('CostAnalyzer: every figure equals a naive recomputation from 100k raw events with replays and duplicates', () => {
  let now = 0;
  const store = new InMemoryUsageStore();
  const analyzer = new CostAnalyzer({ store, clock: { now: () => now } });
  const generated = generateUsage({ count: COUNT, firstDay: DAYS[0] as string, days: DAYS.length, seed: 7 });
  const raw = new RawEvents();
  const inDay = (day: string): UsageEvent[] => raw.inDays(day);

  beforeAll(async () => {
    // Prepare: "live" delivery in time order, batches of 20k, each with 5 % duplicates of any earlier events;
    // every 3rd batch is delivered twice (a replay after a lost acknowledgement).
    const sorted = [...generated].sort((a, b) => (a.time < b.time ? -1 : 1));
    const rand = random(99);
    for (let i = 0; i < sorted.length; i += BATCH) {
      const batch = sorted.slice(i, i + BATCH);
      const duplicates = Array.from({ length: BATCH / 20 }, () => sorted[Math.floor(rand() * (i + batch.length))] as UsageEvent);
      const delivery = [...batch, ...duplicates];
      now = Date.parse((batch[0] as UsageEvent).time);
      const copies = (i / BATCH) % REPLAY_EVERY === 0 ? 2 : 1;
      for (let copy = 0; copy < copies; copy++) {
        store.write(delivery);
        await analyzer.refreshAggregates(delivery);
      }
    }
    raw.add(generated);
    now = Date.parse('2025-03-14T06:00:00.000Z');
  }, 120_000); // a hang guard: ~15 s alone on 2 cores, more when nx runs other projects beside it

  it('reports each day exactly: totals, counts, unpriced, provisioned, breakdowns by agent, model and incident', async () => {
    for (const day of DAYS) {
      // Act
      const report = await analyzer.generateDailyCostReport(day);
      // Assess
      const events = inDay(day);
      expect(report.totalCost).toBe(costOf(events));
      expect(report.totalTokens).toBe(tokensOf(events));
      expect(report.requestCount).toBe(events.length);
      expect(report.errorCount).toBe(events.filter((e) => e.outcome === 'error').length);
      expect(report.rejectedCount).toBe(events.filter((e) => e.outcome === 'rejected').length);
      expect(report.unpriced.requests).toBe(events.filter(isUnpricedNaive).length);
      expect(report.unpriced.requests).toBeGreaterThan(0);
      expect(report.provisioned.tokens).toBe(tokensOf(events.filter((e) => e.flags.includes('provisioned'))));
      expect(report.complete).toBe(false);
      expect(report.breakdown.byAgent).toEqual(linesOf(groupBy(events, (e) => e.agentId)));
      expect(report.breakdown.byModel).toEqual(linesOf(groupBy(events, modelOf)));
      expect(report.breakdown.byIncident).toEqual(linesOf(groupBy(events, (e) => e.incidentId)));
      const errorsByCode = Object.fromEntries([...groupBy(events.filter((e) => e.outcome === 'error'), (e) => e.errorCode)].map(([k, v]) => [k, v.length]));
      expect(report.errorsByCode).toEqual(errorsByCode);
      const byAgentSum = Object.values(report.breakdown.byAgent).reduce((sum, line) => sum + parseUsd(line.cost), 0n);
      expect(formatUsd(byAgentSum)).toBe(report.totalCost);
      expect(report.restated).toBe(false);
      expect(report.aggregatesRead).toBeLessThanOrEqual(24 * AGENTS.length * 5);
    }
  });

  it('reads O(groups) aggregates for a daily report, never the events', async () => {
    // Prepare
    const before = store.eventReads;
    // Act
    const report = await analyzer.generateDailyCostReport('2025-03-11');
    // Assess
    expect(store.eventReads).toBe(before);
    expect(report.aggregatesRead).toBeLessThan(inDay('2025-03-11').length / 5);
  });

  it('breaks the cost down per agent over a range, with cost per request and top models', async () => {
    // Act
    const breakdown = await analyzer.generateAgentCostBreakdown({ startDate: '2025-03-11', endDate: '2025-03-13' });
    // Assess
    const events = raw.inDays('2025-03-11', '2025-03-13');
    expect(breakdown.totalCost).toBe(costOf(events));
    for (const [agent, agentEvents] of groupBy(events, (e) => e.agentId)) {
      const got = breakdown.agents[agent];
      const priced = agentEvents.filter((e) => e.cost !== null);
      const cost = parseUsd(costOf(agentEvents));
      expect(got?.totalCost).toBe(formatUsd(cost));
      expect(got?.tokens).toBe(tokensOf(agentEvents));
      expect(got?.requests).toBe(agentEvents.length);
      expect(got?.costPerRequest).toBe(formatUsd(roundDiv(cost, BigInt(priced.length))));
      const models = [...groupBy(agentEvents, modelOf)].map(([model, v]) => ({ model, cost: parseUsd(costOf(v)) })).sort((a, b) => (a.cost > b.cost ? -1 : 1));
      expect(got?.topModels.map((m) => m.model)).toEqual(models.slice(0, 3).map((m) => m.model));
    }
  });

  it('gives hourly, daily and weekly trends and week-over-week growth', async () => {
    // Act
    const daily = await analyzer.getCostTrends({ startDate: DAYS[0] as string, endDate: DAYS[3] as string, granularity: 'daily' });
    const hourly = await analyzer.getCostTrends({ startDate: '2025-03-12', endDate: '2025-03-12', granularity: 'hourly' });
    const weekly = await analyzer.getCostTrends({ startDate: '2025-03-06', endDate: '2025-03-13', granularity: 'weekly' });
    // Assess
    expect(daily.points).toEqual(DAYS.map((day) => ({ date: day, cost: costOf(inDay(day)), tokens: tokensOf(inDay(day)), requests: inDay(day).length, unpricedRequests: inDay(day).filter(isUnpricedNaive).length })));
    expect(hourly.points).toHaveLength(24);
    for (const point of hourly.points) {
      const events = raw.between(Date.parse(point.date), Date.parse(point.date) + HOUR);
      expect([point.cost, point.tokens]).toEqual([costOf(events), tokensOf(events)]);
    }
    // 2025-03-06..09 is ISO week 10 (no events), 2025-03-10..13 week 11.
    expect(weekly.points.map((p) => [p.date, p.cost])).toEqual([['2025-03-03', '0'], ['2025-03-10', costOf(raw.all())]]);
    expect(weekly.weekOverWeek.map((w) => [w.week, w.growthPercent])).toEqual([['2025-W10', null], ['2025-W11', null]]);
    const two = await analyzer.getCostTrends({ startDate: '2025-03-10', endDate: '2025-03-11', granularity: 'daily' });
    expect(two.weekOverWeek).toHaveLength(1);
  });

  it('gives latency avg exactly and p50/p95/p99 within the sketch error, overall and per agent and model, over partial hours', async () => {
    // Prepare
    const startTime = '2025-03-11T03:30:00.000Z';
    const endTime = '2025-03-12T05:15:00.000Z';
    const events = raw.between(Date.parse(startTime), Date.parse(endTime));
    // Act
    const perf = await analyzer.getPerformanceMetrics({ startTime, endTime });
    // Assess
    const api = events.map((e) => e.apiLatencyMs);
    expect(perf.requests).toBe(events.length);
    expect(perf.errorRate).toBeCloseTo(events.filter((e) => e.outcome === 'error').length / events.length, 12);
    expect(perf.avgApiLatency).toBeCloseTo(api.reduce((a, b) => a + b, 0) / api.length, 6);
    within(perf.p50ApiLatency, nearestRank(api, 0.5));
    within(perf.p95ApiLatency, nearestRank(api, 0.95));
    within(perf.p99ApiLatency, nearestRank(api, 0.99));
    const bedrock = events.flatMap((e) => (e.latencyMs === null ? [] : [e.latencyMs]));
    expect(perf.bedrockLatency.count).toBe(bedrock.length);
    within(perf.bedrockLatency.p95, nearestRank(bedrock, 0.95));
    for (const [agent, agentEvents] of groupBy(events, (e) => e.agentId)) {
      within(perf.byAgent[agent]?.apiLatency.p95 ?? null, nearestRank(agentEvents.map((e) => e.apiLatencyMs), 0.95));
      expect(perf.byAgent[agent]?.apiLatency.max).toBe(Math.max(...agentEvents.map((e) => e.apiLatencyMs)));
    }
    for (const [model, modelEvents] of groupBy(events, modelOf)) {
      within(perf.byModel[model]?.apiLatency.p99 ?? null, nearestRank(modelEvents.map((e) => e.apiLatencyMs), 0.99));
    }
    expect(perf.loggingLatency).toBeNull();
  });

  it('counts requests per second in 1min, 5min and 1h buckets', async () => {
    for (const granularity of ['1min', '5min', '1h'] as const) {
      // Prepare
      now = Date.parse('2025-03-13T12:07:30.000Z');
      const step = { '1min': 60_000, '5min': 300_000, '1h': HOUR }[granularity];
      // Act
      const points = await analyzer.getThroughputMetrics({ granularity, lookbackHours: 6 });
      // Assess
      const start = now - 6 * HOUR;
      const events = raw.between(start, now);
      expect(points.reduce((n, p) => n + p.requests, 0)).toBe(events.length);
      for (const point of points) {
        const t = Date.parse(point.timestamp);
        const inBucket = raw.between(Math.max(t, start), Math.min(t + step, now)).length;
        expect(point.requests).toBe(inBucket);
        expect(point.requestsPerSecond).toBeCloseTo(inBucket / ((Math.min(t + step, now) - Math.max(t, start)) / 1000), 9);
      }
    }
    now = Date.parse('2025-03-14T06:00:00.000Z');
  });

  it('gives an incident its cost, agents, models, first and last call and outcome', async () => {
    // Prepare
    await analyzer.recordIncidentOutcome('INC-20250311-0007', 'resolved');
    for (const id of ['INC-20250311-0007', 'INC-20250312-0031', 'INC-20990101-0000']) {
      // Act
      const incident = await analyzer.getIncidentCost(id);
      // Assess
      const events = raw.all().filter((e) => e.incidentId === id);
      const times = events.map((e) => raw.millisOf(e));
      expect(incident).toEqual({
        incidentId: id,
        cost: costOf(events),
        tokens: tokensOf(events),
        requests: events.length,
        errors: events.filter((e) => e.outcome === 'error').length,
        unpriced: { requests: events.filter(isUnpricedNaive).length, tokens: tokensOf(events.filter(isUnpricedNaive)) },
        provisioned: { requests: events.filter((e) => e.flags.includes('provisioned')).length, tokens: tokensOf(events.filter((e) => e.flags.includes('provisioned'))) },
        agents: [...new Set(events.map((e) => e.agentId))].sort(),
        models: [...new Set(events.map(modelOf))].sort(),
        firstCall: events.length ? new Date(Math.min(...times)).toISOString() : null,
        lastCall: events.length ? new Date(Math.max(...times)).toISOString() : null,
        durationMs: events.length ? Math.max(...times) - Math.min(...times) : 0,
        outcome: id === 'INC-20250311-0007' ? 'resolved' : null,
      });
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
    const events = raw.inDays('2025-03-11', '2025-03-12');
    const spend = parseUsd(costOf(events.filter((e) => resolved.includes(e.incidentId ?? ''))));
    expect(efficiency.resolvedIncidents).toBe(3);
    expect(efficiency.costOfResolvedIncidents).toBe(formatUsd(spend));
    expect(efficiency.costPerResolvedIncident).toBe(formatUsd(roundDiv(spend, 3n)));
    for (const [model, modelEvents] of groupBy(events, modelOf)) {
      const priced = modelEvents.filter((e) => e.cost !== null);
      const cost = parseUsd(costOf(modelEvents));
      const got = efficiency.models[model];
      expect(got?.cost).toBe(formatUsd(cost));
      expect(got?.costPer1kTokens).toBe(priced.length ? formatUsd(roundDiv(cost * 1000n, BigInt(tokensOf(priced)))) : null);
      const ids = [...new Set(modelEvents.filter((e) => resolved.includes(e.incidentId ?? '')).map((e) => e.incidentId))];
      expect(got?.resolvedIncidents).toBe(ids.length);
    }
    expect(efficiency.models['acme.custom-v1']?.costPer1kTokens).toBeNull();
    expect(efficiency.models['acme.custom-v1']?.unpricedRequests).toBeGreaterThan(0);
  });

  it('gives the cache hit ratio, the exact dollars saved by cache reads and the writes never read back', async () => {
    // Act
    const cache = await analyzer.getCacheEfficiency({ startDate: '2025-03-10', endDate: '2025-03-12' });
    // Assess
    const events = raw.inDays('2025-03-10', '2025-03-12');
    const sum = (f: (e: UsageEvent) => number): number => events.reduce((n, e) => n + f(e), 0);
    const read = sum((e) => e.usage.cacheReadInputTokens);
    expect(cache.cacheReadTokens).toBe(read);
    expect(cache.tokenHitRatio).toBeCloseTo(read / sum((e) => e.usage.inputTokens + e.usage.cacheReadInputTokens + e.usage.cacheWriteInputTokens), 12);
    // The generator's rates: input rate per token of each model (independent of how the lib derives it).
    const inputRate: Record<string, bigint> = {
      'anthropic.claude-3-5-haiku-20241022-v1:0': 800_000_000n,
      'anthropic.claude-3-7-sonnet-20250219-v1:0': 3_000_000_000n,
      'amazon.nova-micro-v1:0': 35_000_000n,
      'amazon.nova-pro-v1:0': 800_000_000n,
    };
    const saved = events.filter((e) => e.cost).reduce((n, e) => n + BigInt(e.usage.cacheReadInputTokens) * (inputRate[modelOf(e)] as bigint) - (e.cost?.cacheRead ?? 0n), 0n);
    expect(cache.savedByCacheReads).toBe(formatUsd(saved));
    expect(cache.cacheReadTokensWithoutRate).toBe(0);
    const stream = (e: UsageEvent): string => `${e.agentId}|${modelOf(e)}|${e.incidentId ?? ''}`;
    const readsByStream = groupBy(raw.all().filter((r) => r.usage.cacheReadInputTokens > 0), stream);
    const unread = events.filter((w) => {
      if (w.usage.cacheWriteInputTokens === 0) return false;
      const ttl = (w.usage.cacheWrite1hTokens ?? 0) > 0 ? HOUR : 300_000;
      const t = raw.millisOf(w);
      return !(readsByStream.get(stream(w)) ?? []).some((r) => raw.millisOf(r) > t && raw.millisOf(r) <= t + ttl);
    });
    expect(cache.unreadWrites.requests).toBe(unread.length);
    expect(cache.unreadWrites.requests).toBeGreaterThan(0);
    expect(cache.unreadWrites.tokens).toBe(unread.reduce((n, e) => n + e.usage.cacheWriteInputTokens, 0));
  });

  it('ignores replays of old batches, and restates a closed day when late events arrive', async () => {
    // Prepare
    const old = inDay('2025-03-11').slice(0, 3000);
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
    raw.add(late);
    // Assess
    expect(refresh.restatedDays).toEqual(['2025-03-11']);
    const after = await analyzer.generateDailyCostReport('2025-03-11');
    expect(after.restated).toBe(true);
    expect(after.restatedAt).toBe('2025-03-14T06:00:00.000Z');
    expect(after.totalCost).toBe(costOf(inDay('2025-03-11')));
    expect(after.requestCount).toBe(before.requestCount + 500);
    expect((await analyzer.generateDailyCostReport('2025-03-12')).restated).toBe(false);
  });
});
