import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CostAnalyzer, LATENCY_SKETCH_RELATIVE_ERROR, aggregateBucket, aggregateKey, type AggregateRefresh } from '@bedrock-usage/analyzer';
import type { UsageEvent, WriteResult } from '@bedrock-usage/core';
import {
  ExpectedUsageFigures,
  GENERATED_MODELS,
  InMemoryHealthMetrics,
  expectPerformanceWithin,
  generateUsage,
  liveDeliveries,
  localDynamoDbClientConfig,
  startDynalite,
  type DynaliteServer,
} from '@bedrock-usage/testing';

import { DynamoDbUsageStore, DynamoDbUsageStoreReader, createUsageTable } from '../src';

// The analyzer over the real DynamoDB adapters on dynalite, every figure compared with ExpectedUsageFigures (a naive
// recomputation from the raw events, none of the analyzer's code) — the same generator and oracle as the analyzer's
// in-memory test.
const TABLE = 'usage';
// Saturday to Tuesday: two ISO weeks (W10, W11), so week-over-week growth is a number.
const DAYS = ['2025-03-08', '2025-03-09', '2025-03-10', '2025-03-11'];
const COUNT = 100_000;
const BATCH = 10_000;
/** When the replay and the late events arrive: every day above is closed. */
const AFTER = Date.parse('2025-03-12T06:00:00.000Z');
/** The closed day that receives late events. */
const LATE_DAY = '2025-03-09';
/** The generator's input rate of an event's price (independent of how the analyzer derives it from the events). */
const inputRate = (e: UsageEvent): bigint | undefined => GENERATED_MODELS.find((m) => m.model === e.priceRef?.model)?.rates.input;
// Hang guards for a noisy 2-core machine, not timing goals (see the analyzer README, "Test it", for measured times).
/** One SDK call. */
const REQUEST_TIMEOUT_MS = 60_000;
/**
 * Seeding: ≈ 3 min on this 2-core machine (dynalite in this thread takes ≈ 1 ms of CPU per event with its 4 index
 * entries, and each refresh reads its hours back), ≈ 5.5 min when other jobs load it.
 */
const SEED_TIMEOUT_MS = 900_000;
/** A test that reads events from dynalite (up to a day of them, ~25k). */
const READ_TIMEOUT_MS = 180_000;

describe('CostAnalyzer over DynamoDB on dynalite: every figure of 100k events equals a naive recomputation from the raw events', () => {
  let now = 0;
  let server: DynaliteServer;
  let client: DynamoDBClient;
  let writer: DynamoDbUsageStore;
  let reader: DynamoDbUsageStoreReader;
  let analyzer: CostAnalyzer;
  const generated = generateUsage({ count: COUNT, firstDay: DAYS[0] as string, days: DAYS.length, seed: 21 });
  const expected = new ExpectedUsageFigures(generated);
  // A spool replay of two hours of a closed day (same eventIds again), and new events for the first 6 hours of another.
  const replayed = expected.eventsBetween(Date.parse('2025-03-10T08:00:00.000Z'), Date.parse('2025-03-10T10:00:00.000Z'));
  const late = generateUsage({ count: 2000, firstDay: LATE_DAY, days: 1, seed: 22, idPrefix: 'late' }).filter((e) => e.time < `${LATE_DAY}T06`);
  const writes: WriteResult[] = [];
  const liveRefreshes: AggregateRefresh[] = [];
  let replayRefresh: AggregateRefresh;
  let lateRefresh: AggregateRefresh;

  /** What the batch publisher does with a batch: write it to the store, then refresh the aggregates of its hours. */
  const deliver = async (events: readonly UsageEvent[]): Promise<AggregateRefresh> => {
    writes.push(await writer.write(events));
    return analyzer.refreshAggregates(events);
  };

  beforeAll(async () => {
    // Prepare: dynalite (in this process, a free port), the usage table, the real writer and reader.
    server = await startDynalite();
    client = new DynamoDBClient(localDynamoDbClientConfig(server.endpoint));
    await createUsageTable(client, TABLE);
    writer = new DynamoDbUsageStore({ client, tableName: TABLE, health: new InMemoryHealthMetrics(), requestTimeoutMs: REQUEST_TIMEOUT_MS });
    reader = new DynamoDbUsageStoreReader({ client, tableName: TABLE, requestTimeoutMs: REQUEST_TIMEOUT_MS });
    analyzer = new CostAnalyzer({ store: reader, clock: { now: () => now } });
    // Prepare: live delivery in time order, 10 batches of 10k, each with 1 % duplicates of its own events.
    for (const { events, at } of liveDeliveries(generated, { batchSize: BATCH, duplicateShare: 0.01, duplicatesFromLast: BATCH, seed: 3 })) {
      now = at;
      liveRefreshes.push(await deliver(events));
    }
    // Prepare: days later, the replay, then the late events.
    now = AFTER;
    replayRefresh = await deliver(replayed);
    lateRefresh = await deliver(late);
    expected.add(late);
  }, SEED_TIMEOUT_MS);

  afterAll(async () => {
    await writer?.shutdown();
    client?.destroy();
    await server?.close();
  });

  it('stores every delivery, duplicates and replays included', () => {
    // Assess
    expect(writes.filter((result) => !result.ok)).toEqual([]);
    expect(liveRefreshes.map((refresh) => refresh.events)).toEqual(liveRefreshes.map(() => BATCH));
    expect(expected.size).toBe(COUNT + late.length);
    expect(late.length).toBeGreaterThan(300);
  });

  it('reports each day exactly: totals, counts, cost by component, unpriced, provisioned, breakdowns by agent, model and incident', async () => {
    for (const day of DAYS) {
      // Act
      const report = await analyzer.generateDailyCostReport(day);
      // Assess
      const restated = day === LATE_DAY ? { restated: true, restatedAt: new Date(AFTER).toISOString() } : {};
      expect(report).toEqual({ ...expected.dailyCostReport(day), ...restated });
      expect([report.unpriced.requests, report.provisioned.requests, report.errorCount, report.rejectedCount].every((n) => n > 0)).toBe(true);
    }
  }, READ_TIMEOUT_MS);

  it('ignores the replay of events already counted, and restates only the closed day that received late events', () => {
    // Assess
    expect(liveRefreshes.flatMap((refresh) => refresh.restatedDays)).toEqual([]);
    expect(replayRefresh).toEqual({ events: replayed.length, hours: 2, written: 0, restatedDays: [], tooLate: 0 });
    expect(lateRefresh.restatedDays).toEqual([LATE_DAY]);
    expect(lateRefresh.written).toBeGreaterThan(0);
  });

  it('breaks the cost down per agent over all days, with cost per request and top models', async () => {
    // Act
    const breakdown = await analyzer.generateAgentCostBreakdown({ startDate: DAYS[0] as string, endDate: DAYS[3] as string });
    // Assess
    expect(breakdown).toEqual(expected.agentCostBreakdown({ startDate: DAYS[0] as string, endDate: DAYS[3] as string }));
  }, READ_TIMEOUT_MS);

  it('gives hourly, daily and weekly trends and week-over-week growth', async () => {
    for (const range of [
      { startDate: DAYS[0] as string, endDate: DAYS[3] as string, granularity: 'daily' as const },
      { startDate: LATE_DAY, endDate: LATE_DAY, granularity: 'hourly' as const },
      { startDate: '2025-03-03', endDate: '2025-03-16', granularity: 'weekly' as const },
    ]) {
      // Act
      const trends = await analyzer.getCostTrends(range);
      // Assess
      expect(trends).toEqual(expected.costTrends(range));
    }
    const weeks = await analyzer.getCostTrends({ startDate: '2025-03-03', endDate: '2025-03-16', granularity: 'weekly' });
    expect(weeks.weekOverWeek[1]?.growthPercent).toMatch(/^-?\d+\.\d\d$/);
  }, READ_TIMEOUT_MS);

  it('gives latency avg exactly and p50/p95/p99 within the sketch error, overall and per agent and model, over partial hours', async () => {
    // Prepare
    const window = { startTime: '2025-03-09T22:30:00.000Z', endTime: '2025-03-10T04:15:00.000Z' };
    // Act
    const perf = await analyzer.getPerformanceMetrics(window);
    // Assess
    expectPerformanceWithin(perf, expected.performanceMetrics(window), LATENCY_SKETCH_RELATIVE_ERROR);
  }, READ_TIMEOUT_MS);

  it('counts requests per second in 1min, 5min and 1h buckets', async () => {
    for (const granularity of ['1min', '5min', '1h'] as const) {
      // Prepare
      now = Date.parse('2025-03-11T12:07:30.000Z');
      // Act
      const points = await analyzer.getThroughputMetrics({ granularity, lookbackHours: 6 });
      // Assess
      expect(points).toEqual(expected.throughputMetrics({ granularity, lookbackHours: 6, now }));
    }
    now = AFTER;
  }, READ_TIMEOUT_MS);

  it('gives an incident its cost, agents, models, first and last call and outcome', async () => {
    // Prepare
    await analyzer.recordIncidentOutcome('INC-20250309-0007', 'escalated');
    for (const [id, outcome] of [['INC-20250309-0007', 'escalated'], ['INC-20250310-0031', null], ['INC-20990101-0000', null]] as const) {
      // Act
      const incident = await analyzer.getIncidentCost(id);
      // Assess
      expect(incident).toEqual(expected.incidentCost(id, outcome));
    }
  }, READ_TIMEOUT_MS);

  it('gives cost per 1k tokens per model and cost per resolved incident', async () => {
    // Prepare
    const resolved = ['INC-20250310-0001', 'INC-20250310-0002', 'INC-20250311-0003'];
    for (const id of resolved) await analyzer.recordIncidentOutcome(id, 'resolved');
    await analyzer.recordIncidentOutcome('INC-20250310-0004', 'failed');
    // Act
    const efficiency = await analyzer.getModelEfficiency({ startDate: '2025-03-10', endDate: '2025-03-11' });
    // Assess
    expect(efficiency).toEqual(expected.modelEfficiency({ startDate: '2025-03-10', endDate: '2025-03-11' }, resolved));
    expect(efficiency.resolvedIncidents).toBe(3);
  }, READ_TIMEOUT_MS);

  it('gives the cache hit ratio, the exact dollars saved by cache reads and the writes never read back', async () => {
    // Act: one day (unread writes read the day's events: ~25k from dynalite)
    const cache = await analyzer.getCacheEfficiency({ startDate: LATE_DAY, endDate: LATE_DAY });
    // Assess
    expect(cache).toEqual(expected.cacheEfficiency({ startDate: LATE_DAY, endDate: LATE_DAY }, inputRate));
    expect([cache.cacheReadTokens, cache.cacheWriteTokens, cache.unreadWrites.requests].every((n) => n > 0)).toBe(true);
  }, READ_TIMEOUT_MS);

  it('reads the aggregates back exactly as computed from the events', async () => {
    // Act
    const stored = await reader.aggregatesOfDay('2025-03-10');
    // Assess
    expect([...stored].sort((a, b) => (aggregateKey(a) < aggregateKey(b) ? -1 : 1))).toEqual(aggregateBucket(expected.eventsOfDays('2025-03-10')));
  }, READ_TIMEOUT_MS);

  it('keeps the stored aggregate built from more events', async () => {
    // Prepare
    const [full] = await reader.aggregatesOfDay('2025-03-11');
    const fewer = { ...(full as NonNullable<typeof full>), requests: (full?.requests ?? 1) - 1 };
    // Act
    await reader.putAggregates([fewer]);
    // Assess
    const after = (await reader.aggregatesOfDay('2025-03-11')).find((a) => aggregateKey(a) === aggregateKey(fewer));
    expect(after).toEqual(full);
  }, READ_TIMEOUT_MS);

  it('round-trips incident outcomes with their note', async () => {
    // Act
    await analyzer.recordIncidentOutcome('INC-20250311-0009', 'resolved', { note: 'fixed' });
    const outcomes = await reader.incidentOutcomes(['INC-20250311-0009', 'INC-20990101-0000']);
    // Assess
    expect(outcomes.get('INC-20250311-0009')).toEqual({ incidentId: 'INC-20250311-0009', outcome: 'resolved', recordedAt: new Date(now).toISOString(), note: 'fixed' });
    expect(outcomes.has('INC-20990101-0000')).toBe(false);
  }, READ_TIMEOUT_MS);

  it('returns each event of [from, to) once, across midnight, the one at `to` excluded', async () => {
    // Prepare: two events exactly at the edges, on a day no report reads
    const atFrom = { ...(generated[0] as UsageEvent), eventId: 'edge-from', time: '2025-03-20T05:00:00.000Z' };
    const atTo = { ...(generated[0] as UsageEvent), eventId: 'edge-to', time: '2025-03-20T06:00:00.000Z' };
    expect((await writer.write([atFrom, atTo])).ok).toBe(true);
    const from = '2025-03-09T23:30:00.000Z';
    const to = '2025-03-10T00:45:00.000Z';
    // Act
    const got = await reader.eventsBetween(from, to);
    const edges = await reader.eventsBetween(atFrom.time, atTo.time);
    // Assess
    expect(got.map((e) => e.eventId).sort()).toEqual(expected.eventsBetween(Date.parse(from), Date.parse(to)).map((e) => e.eventId).sort());
    expect(edges.map((e) => e.eventId)).toEqual(['edge-from']);
  }, READ_TIMEOUT_MS);
});
