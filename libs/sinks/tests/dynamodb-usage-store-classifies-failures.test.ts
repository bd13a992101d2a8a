import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { InMemoryHealthMetrics, makeUsageEvent, makeUsageEvents, startDynaliteBehindFaultProxy, type DynaliteBehindFaultProxy } from '@bedrock-usage/testing';

import { DynamoDbUsageStore, createUsageTable, usageTableProblems } from '../src';

const TABLE = 'usage';

describe('DynamoDbUsageStore: failures say whether a retry can help', () => {
  let local: DynaliteBehindFaultProxy;

  afterEach(async () => {
    await local.close();
  });

  const start = async (clientConfig: { maxAttempts?: number } = {}, requestTimeoutMs?: number): Promise<DynamoDbUsageStore> => {
    local = await startDynaliteBehindFaultProxy(clientConfig);
    await createUsageTable(local.direct, TABLE);
    return new DynamoDbUsageStore({ client: local.client, tableName: TABLE, health: new InMemoryHealthMetrics(), requestTimeoutMs });
  };
  const storedIds = async (): Promise<string[]> =>
    (await new DynamoDbUsageStore({ client: local.direct, tableName: TABLE, health: new InMemoryHealthMetrics() }).scanEventIds()).sort();

  it('rejects only the event the table refuses (ValidationException), as not retryable, and writes the rest', async () => {
    // Prepare: an item over DynamoDB's 400 KB limit
    const store = await start();
    const good = makeUsageEvents(4);
    const oversized = makeUsageEvent({ tags: { note: 'x'.repeat(410 * 1024) } });

    // Act
    const result = await store.write([good[0], oversized, ...good.slice(1)]);

    // Assess
    expect(result).toMatchObject({ ok: false, retryable: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('HTTP 400 ValidationException') } });
    expect(result.ok ? [] : result.failed).toEqual([oversized]);
    expect(await storedIds()).toEqual(good.map((e) => e.eventId).sort());
  });

  it('rejects an event that cannot be keyed, naming the field, and writes the rest', async () => {
    // Prepare
    const store = await start();
    const good = makeUsageEvent();
    const badTime = makeUsageEvent({ time: 'yesterday' });

    // Act
    const result = await store.write([badTime, good]);

    // Assess
    expect(result).toMatchObject({ ok: false, retryable: false, error: { message: 'usage event field "time" is "yesterday" — expected an ISO-8601 timestamp' } });
    expect(result.ok ? [] : result.failed).toEqual([badTime]);
    expect(await storedIds()).toEqual([good.eventId]);
  });

  it('reports a missing table as a configuration error, not retryable', async () => {
    // Prepare
    await start();
    const store = new DynamoDbUsageStore({ client: local.client, tableName: 'no-such-table', health: new InMemoryHealthMetrics() });

    // Act
    const result = await store.write(makeUsageEvents(2));

    // Assess
    expect(result).toMatchObject({ ok: false, retryable: false, error: { code: 'INVALID_CONFIG', message: expect.stringContaining('ResourceNotFoundException') } });
  });

  it('fails retryably, with every event handed back, when connections are refused', async () => {
    // Prepare
    const store = await start();
    const events = makeUsageEvents(30);
    await local.proxy.mode('refuse');

    // Act
    const result = await store.write(events);

    // Assess
    expect(result).toMatchObject({ ok: false, retryable: true, error: { code: 'IO', message: expect.stringContaining('failed before any answer') } });
    expect(result.ok ? [] : result.failed).toEqual(events);
  });

  it('fails retryably when the connection is reset mid-request', async () => {
    // Prepare
    const store = await start({ maxAttempts: 1 });
    await local.proxy.mode('reset');

    // Act
    const result = await store.write(makeUsageEvents(2));

    // Assess
    expect(result).toMatchObject({ ok: false, retryable: true, error: { message: expect.stringContaining('ECONNRESET') } });
  });

  it('ends a write to a stalled endpoint with a retryable timeout instead of hanging', async () => {
    // Prepare: a short timeout, since only the stalled request meets it
    const store = await start({}, 300);
    await local.proxy.mode('stall');

    // Act
    const result = await store.write(makeUsageEvents(2));

    // Assess
    expect(result).toMatchObject({ ok: false, retryable: true, error: { message: expect.stringContaining('no answer within 300 ms (requestTimeoutMs)') } });
    expect(local.proxy.stats.stalled).toBe(1);
  });

  it('refuses bad options at construction, naming the field and what is allowed', () => {
    // Prepare
    const base = { client: undefined as never, tableName: TABLE, health: new InMemoryHealthMetrics() };

    // Act + Assess
    expect(() => new DynamoDbUsageStore({ ...base, tableName: 'a b' })).toThrow('DynamoDB "tableName" is "a b" — expected 3 to 255 characters');
    expect(() => new DynamoDbUsageStore({ ...base, retry: { maxAttempts: 0 } })).toThrow('"retry.maxAttempts" is 0 — expected an integer ≥ 1');
    expect(() => new DynamoDbUsageStore({ ...base, retry: { baseDelayMs: 100, maxDelayMs: 10 } })).toThrow('"retry.maxDelayMs" is 10 — expected an integer ≥ 100');
    expect(() => new DynamoDbUsageStore({ ...base, requestTimeoutMs: 1.5 })).toThrow('"requestTimeoutMs" is 1.5 — expected an integer ≥ 1');
  });

  it('refuses to adopt an existing table that lacks the usage indexes', async () => {
    // Prepare
    await start();
    await local.direct.send(
      new CreateTableCommand({
        TableName: 'legacy',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );

    // Act
    const adopted = createUsageTable(local.direct, 'legacy');
    const problems = await usageTableProblems(local.direct, 'legacy');
    // Assess
    await expect(adopted).rejects.toThrow('DynamoDB table "legacy" has the key schema pk:HASH, not pk (HASH) + sk (RANGE)');
    expect(problems).toEqual([
      'DynamoDB table "legacy" has the key schema pk:HASH, not pk (HASH) + sk (RANGE) — it is not a usage table; use another BEDROCK_USAGE_TABLE',
      ...['byDay', 'byAgentDay', 'byIncident', 'byModelDay'].map((index) => `DynamoDB table "legacy" has no index ${index} — add it (see the sinks README, "Key design")`),
    ]);
    expect(await usageTableProblems(local.direct, 'missing')).toEqual(['DynamoDB table "missing" does not exist — deploy the infra stack, or check BEDROCK_USAGE_TABLE and the region']);
  });

  it('finds nothing wrong with a table it created', async () => {
    await start();
    await createUsageTable(local.direct, 'fresh');
    expect(await usageTableProblems(local.direct, 'fresh')).toEqual([]);
  });
});
