import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CostAnalyzer, aggregateBucket } from '@bedrock-usage/analyzer';
import { formatUsd, tokenUsage, type UsageEvent } from '@bedrock-usage/core';
import { InMemoryHealthMetrics, localDynamoDbClientConfig, makeUsageEvent, startDynalite, type DynaliteServer } from '@bedrock-usage/testing';

import { DynamoDbUsageStore, DynamoDbUsageStoreReader, createUsageTable } from '../src';

const TABLE = 'usage';
const DAYS = ['2025-03-10', '2025-03-11', '2025-03-12'];
const AGENTS = ['cloud-engineer', 'jira', 'operations', 'knowledge-base'];
const MODELS: ReadonlyArray<readonly [string, bigint, bigint]> = [
  ['anthropic.claude-3-5-haiku-20241022-v1:0', 800_000_000n, 4_000_000_000n],
  ['amazon.nova-micro-v1:0', 35_000_000n, 140_000_000n],
  ['amazon.nova-pro-v1:0', 800_000_000n, 3_200_000_000n],
];

/** A deterministic PRNG (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` events over DAYS: several agents and models, incidents, errors, some unpriced. */
function generate(count: number, seed: number): UsageEvent[] {
  const rand = random(seed);
  const start = Date.parse(`${DAYS[0]}T00:00:00.000Z`);
  return Array.from({ length: count }, (_, i) => {
    const time = new Date(start + Math.floor(rand() * DAYS.length * 86_400_000)).toISOString();
    const [model, rIn, rOut] = MODELS[Math.floor(rand() * MODELS.length)] as (typeof MODELS)[number];
    const incident = rand() < 0.6 ? `INC-${time.slice(0, 10).replace(/-/g, '')}-${String(Math.floor(rand() * 12)).padStart(4, '0')}` : undefined;
    const roll = rand();
    const usage = roll < 0.04 ? tokenUsage({}) : tokenUsage({ inputTokens: Math.floor(rand() * 3000), outputTokens: Math.floor(rand() * 1500) });
    const input = BigInt(usage.inputTokens) * rIn;
    const output = BigInt(usage.outputTokens) * rOut;
    const priced = roll >= 0.08;
    return makeUsageEvent({
      eventId: `evt-${seed}-${i}`,
      time,
      agentId: AGENTS[Math.floor(rand() * AGENTS.length)] as string,
      ...(incident ? { incidentId: incident } : {}),
      modelId: model,
      resolvedModel: priced ? model : null,
      apiLatencyMs: Math.round(50 + rand() * 3000),
      latencyMs: Math.round(40 + rand() * 2000),
      outcome: roll < 0.04 ? 'error' : 'success',
      ...(roll < 0.04 ? { errorCode: 'ThrottlingException' } : {}),
      usage,
      cost: priced ? { total: input + output, input, output, cacheRead: 0n, cacheWrite: 0n, cacheWrite1h: 0n } : null,
      priceRef: priced ? { model, region: 'us-east-1', routing: 'in-region', from: '2024-12-03', source: 'test' } : null,
      flags: priced || roll < 0.04 ? [] : ['unpriced'],
    } as Partial<UsageEvent>);
  });
}

const costOf = (events: readonly UsageEvent[]): string => formatUsd(events.reduce((sum, e) => sum + (e.cost?.total ?? 0n), 0n));
const tokensOf = (events: readonly UsageEvent[]): number => events.reduce((n, e) => n + e.usage.totalTokens, 0);

describe('DynamoDbUsageStoreReader: the analyzer over dynalite gives the figures of the raw events', () => {
  let server: DynaliteServer;
  let client: DynamoDBClient;
  let reader: DynamoDbUsageStoreReader;
  let analyzer: CostAnalyzer;
  const events = generate(4000, 11);
  const inDay = (day: string): UsageEvent[] => events.filter((e) => e.time.startsWith(day));

  beforeAll(async () => {
    // Prepare: events written through the real store adapter (with duplicates), then aggregates refreshed.
    server = await startDynalite();
    client = new DynamoDBClient(localDynamoDbClientConfig(server.endpoint));
    await createUsageTable(client, TABLE);
    const store = new DynamoDbUsageStore({ client, tableName: TABLE, health: new InMemoryHealthMetrics() });
    for (let i = 0; i < events.length; i += 500) {
      const result = await store.write([...events.slice(i, i + 500), ...events.slice(0, 20)]);
      expect(result.ok).toBe(true);
    }
    await store.shutdown();
    reader = new DynamoDbUsageStoreReader({ client, tableName: TABLE });
    analyzer = new CostAnalyzer({ store: reader, clock: { now: () => Date.parse('2025-03-14T00:00:00.000Z') } });
    await analyzer.refreshAggregates(events);
  }, 120_000);

  afterAll(async () => {
    client?.destroy();
    await server?.close();
  });

  it('gives each daily report the totals and breakdowns of the raw events', async () => {
    for (const day of DAYS) {
      // Act
      const report = await analyzer.generateDailyCostReport(day);
      // Assess
      const dayEvents = inDay(day);
      expect(report.totalCost).toBe(costOf(dayEvents));
      expect(report.totalTokens).toBe(tokensOf(dayEvents));
      expect(report.requestCount).toBe(dayEvents.length);
      expect(report.errorCount).toBe(dayEvents.filter((e) => e.outcome === 'error').length);
      expect(report.unpriced.requests).toBe(dayEvents.filter((e) => e.flags.includes('unpriced')).length);
      for (const agent of AGENTS) expect(report.breakdown.byAgent[agent]?.cost).toBe(costOf(dayEvents.filter((e) => e.agentId === agent)));
    }
  });

  it('gives incident cost and daily trends of the raw events', async () => {
    // Act
    const incident = await analyzer.getIncidentCost('INC-20250311-0003');
    const trends = await analyzer.getCostTrends({ startDate: DAYS[0] as string, endDate: DAYS[2] as string, granularity: 'daily' });
    // Assess
    const incidentEvents = events.filter((e) => e.incidentId === 'INC-20250311-0003');
    expect(incidentEvents.length).toBeGreaterThan(0);
    expect([incident.cost, incident.tokens, incident.requests]).toEqual([costOf(incidentEvents), tokensOf(incidentEvents), incidentEvents.length]);
    expect(trends.points.map((p) => [p.date, p.cost, p.tokens])).toEqual(DAYS.map((day) => [day, costOf(inDay(day)), tokensOf(inDay(day))]));
  });

  it('reads aggregates back exactly as computed', async () => {
    // Act
    const stored = await reader.aggregatesOfDay('2025-03-11');
    // Assess
    const expected = aggregateBucket(inDay('2025-03-11'));
    const key = (a: { bucket: string; agentId: string; model: string }): string => `${a.bucket}#${a.agentId}#${a.model}`;
    expect([...stored].sort((a, b) => (key(a) < key(b) ? -1 : 1))).toEqual(expected);
  });

  it('keeps the stored aggregate built from more events', async () => {
    // Prepare
    const hour = inDay('2025-03-12').filter((e) => e.time.startsWith('2025-03-12T07'));
    const [full] = aggregateBucket(hour.filter((e) => e.agentId === hour[0]?.agentId && (e.resolvedModel ?? e.modelId) === (hour[0]?.resolvedModel ?? hour[0]?.modelId)));
    const fewer = { ...(full as NonNullable<typeof full>), requests: (full?.requests ?? 1) - 1 };
    // Act
    await reader.putAggregates([fewer]);
    // Assess
    const after = (await reader.aggregatesOfDay('2025-03-12')).find((a) => a.bucket === full?.bucket && a.agentId === full.agentId && a.model === full.model);
    expect(after).toEqual(full);
  });

  it('round-trips incident outcomes', async () => {
    // Act
    await analyzer.recordIncidentOutcome('INC-20250311-0003', 'resolved', { note: 'fixed' });
    const outcomes = await reader.incidentOutcomes(['INC-20250311-0003', 'INC-20990101-0000']);
    // Assess
    expect(outcomes.get('INC-20250311-0003')).toEqual({ incidentId: 'INC-20250311-0003', outcome: 'resolved', recordedAt: '2025-03-14T00:00:00.000Z', note: 'fixed' });
    expect(outcomes.has('INC-20990101-0000')).toBe(false);
  });

  it('returns each event of [from, to) once, across days, the one at `to` excluded', async () => {
    // Prepare: two events exactly at the edges, on a day no report reads
    const atFrom = { ...(events[0] as UsageEvent), eventId: 'edge-from', time: '2025-03-13T05:00:00.000Z' };
    const atTo = { ...(events[0] as UsageEvent), eventId: 'edge-to', time: '2025-03-13T06:00:00.000Z' };
    const store = new DynamoDbUsageStore({ client, tableName: TABLE, health: new InMemoryHealthMetrics() });
    expect((await store.write([atFrom, atTo])).ok).toBe(true);
    await store.shutdown();
    const from = '2025-03-10T22:30:00.000Z';
    const to = '2025-03-11T01:15:00.000Z';
    // Act
    const got = await reader.eventsBetween(from, to);
    const edges = await reader.eventsBetween(atFrom.time, atTo.time);
    // Assess
    const expected = events.filter((e) => e.time >= from && e.time < to).map((e) => e.eventId).sort();
    expect(got.map((e) => e.eventId).sort()).toEqual(expected);
    expect(edges.map((e) => e.eventId)).toEqual(['edge-from']);
  });
});
