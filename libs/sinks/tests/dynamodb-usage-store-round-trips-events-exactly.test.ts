import { QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { parseUsd, tokenUsage, type UsageEvent } from '@bedrock-usage/core';
import { InMemoryHealthMetrics, makeUsageEvent, startDynaliteBehindFaultProxy, type DynaliteBehindFaultProxy } from '@bedrock-usage/testing';

import { DAY_SHARDS, DynamoDbUsageStore, USAGE_TABLE_INDEXES, createUsageTable } from '../src';

const TABLE = 'usage';

describe('DynamoDbUsageStore: what is written is read back exactly, through every index', () => {
  let local: DynaliteBehindFaultProxy;
  let store: DynamoDbUsageStore;

  beforeEach(async () => {
    local = await startDynaliteBehindFaultProxy();
    await createUsageTable(local.direct, TABLE);
    store = new DynamoDbUsageStore({ client: local.client, tableName: TABLE, health: new InMemoryHealthMetrics() });
  });

  afterEach(async () => {
    await store.shutdown();
    await local.close();
  });

  const indexIds = async (index: keyof typeof USAGE_TABLE_INDEXES, key: string): Promise<string[]> => {
    const { indexName, partitionKey } = USAGE_TABLE_INDEXES[index];
    const { Items = [] } = await local.direct.send(
      new QueryCommand({
        TableName: TABLE,
        IndexName: indexName,
        KeyConditionExpression: '#k = :k',
        ExpressionAttributeNames: { '#k': partitionKey },
        ExpressionAttributeValues: { ':k': { S: key } },
      }),
    );
    return Items.map((item) => item.eventId?.S ?? '');
  };

  it('reads back every field of an event, costs to the femto-dollar', async () => {
    // Prepare
    const priced = makeUsageEvent({
      incidentId: 'INC-20250311-0042',
      tags: { team: 'sre', empty: '' },
      usage: tokenUsage({ inputTokens: 2_147_483_647, outputTokens: 3, cacheReadInputTokens: 7, cacheWriteInputTokens: 11, cacheWrite1hTokens: 11 }),
      cost: {
        total: parseUsd('123456.000000000000001'),
        input: 1n,
        output: parseUsd('0.00000000875'),
        cacheRead: 0n,
        cacheWrite: parseUsd('-0.000000000000002'),
        cacheWrite1h: parseUsd('123456'),
      },
      priceRef: { model: 'anthropic.claude-3-haiku-20240307-v1:0', region: 'us-east-1', routing: 'geo', from: '2024-03-07', source: 'aws pricing page' },
      firstByteLatencyMs: 12.5,
      apiLatencyMs: 0.1 + 0.2,
      usageSource: 'body',
      flags: ['truncated'],
    });
    const unpriced = makeUsageEvent({ resolvedModel: null, cost: null, latencyMs: null, outcome: 'error', errorCode: 'ThrottlingException', retryable: true, flags: ['unpriced'] });

    // Act
    const result = await store.write([priced, unpriced]);
    const readPriced = await store.getEvent(priced.eventId);
    const readUnpriced = await store.getEvent(unpriced.eventId);
    const missing = await store.getEvent('never-written');

    // Assess
    expect(result).toEqual({ ok: true });
    expect(readPriced).toEqual(priced);
    expect(readPriced?.cost?.total).toBe(123_456_000_000_000_000_001n);
    expect(readUnpriced).toEqual(unpriced);
    expect(missing).toBeUndefined();
  });

  it('stores costs as exact decimal strings, never as numbers', async () => {
    // Prepare
    const event = makeUsageEvent({ cost: { total: 1n, input: 1n, output: 0n, cacheRead: 0n, cacheWrite: 0n, cacheWrite1h: 0n } });

    // Act
    await store.write([event]);
    const { Items = [] } = await local.direct.send(new ScanCommand({ TableName: TABLE }));

    // Assess
    expect(Items[0]?.cost?.M?.total).toEqual({ S: '0.000000000000001' });
    expect(Items[0]?.usage?.M?.inputTokens).toEqual({ N: '100' });
  });

  it('keys each event for the analyzer: sharded day, agent and day, incident, model and day; sort keys unique per event', async () => {
    // Prepare: same time and agent for all, so only the eventId can keep index sort keys apart
    const incident = Array.from({ length: 12 }, () => makeUsageEvent({ agentId: 'jira', incidentId: 'INC-20250311-0042', time: '2025-03-11T23:59:59.999Z' }));
    const unresolved = makeUsageEvent({ agentId: 'jira', resolvedModel: null, modelId: 'custom.model-x', time: '2025-03-11T10:00:00Z' });
    const nextDay = makeUsageEvent({ agentId: 'jira', time: '2025-03-12T00:00:00.000Z' });

    // Act
    await store.write([...incident, unresolved, nextDay]);
    const byShard = await Promise.all(Array.from({ length: DAY_SHARDS }, (_, n) => indexIds('byDay', `DAY#2025-03-11#${n}`)));

    // Assess
    expect(byShard.flat().sort()).toEqual([...incident, unresolved].map((e) => e.eventId).sort());
    expect(byShard.filter((ids) => ids.length > 0).length).toBeGreaterThan(1);
    expect((await indexIds('byAgentDay', 'AGENT#jira#2025-03-11')).sort()).toEqual([...incident, unresolved].map((e) => e.eventId).sort());
    expect((await indexIds('byIncident', 'INCIDENT#INC-20250311-0042')).sort()).toEqual(incident.map((e) => e.eventId).sort());
    expect(await indexIds('byModelDay', 'MODEL#custom.model-x#2025-03-11')).toEqual([unresolved.eventId]);
    expect(await indexIds('byModelDay', 'MODEL#anthropic.claude-3-haiku-20240307-v1:0#2025-03-12')).toEqual([nextDay.eventId]);
  });

  it('reads a day back in time order across all shards', async () => {
    // Prepare
    const times = ['2025-03-11T09:00:00.000Z', '2025-03-11T00:00:00.000Z', '2025-03-11T23:59:59.999Z', '2025-03-11T12:30:00.000Z'];
    const events: UsageEvent[] = [...times.map((time) => makeUsageEvent({ time })), makeUsageEvent({ time: '2025-03-10T23:59:59.999Z' })];

    // Act
    await store.write(events);
    const day = await store.eventsOnDay('2025-03-11');

    // Assess
    expect(day.map((event) => event.time)).toEqual([...times].sort());
    await expect(store.eventsOnDay('11/03/2025')).rejects.toThrow('day is "11/03/2025" — expected a UTC date as YYYY-MM-DD');
  });

  it('creates the table once and finds it on later calls', async () => {
    // Act
    const again = await createUsageTable(local.direct, TABLE);
    const fresh = await createUsageTable(local.direct, 'usage-2');

    // Assess
    expect(again).toBe('exists');
    expect(fresh).toBe('created');
    await expect(createUsageTable(local.direct, 'x')).rejects.toThrow('DynamoDB "tableName" is "x" — expected 3 to 255 characters');
  });

  it('with a raw-event retention, each event item carries expiresAt = its time + the days (the table\'s TTL), and still reads back exactly', async () => {
    // Prepare
    const retained = new DynamoDbUsageStore({ client: local.client, tableName: TABLE, health: new InMemoryHealthMetrics(), eventRetentionDays: 90 });
    const event = makeUsageEvent({ time: '2025-03-11T10:00:00.000Z' });

    // Act
    const result = await retained.write([event]);
    const { Items = [] } = await local.direct.send(new ScanCommand({ TableName: TABLE }));

    // Assess
    expect(result).toEqual({ ok: true });
    expect(Items.find((item) => item.eventId?.S === event.eventId)?.expiresAt).toEqual({ N: String(Date.parse('2025-03-11T10:00:00.000Z') / 1000 + 90 * 86_400) });
    expect(await retained.getEvent(event.eventId)).toEqual(event);
    await retained.shutdown();
  });
});
