import { InMemoryHealthMetrics, makeUsageEvents, startDynaliteBehindFaultProxy, type DynaliteBehindFaultProxy } from '@bedrock-usage/testing';

import { DynamoDbUsageStore, createUsageTable } from '../src';
import { backoffDelayMs } from '../src/dynamodb/internal/dynamodb-failure';

const TABLE = 'usage';
const FAST = { baseDelayMs: 1, maxDelayMs: 5 };
// One store request includes the SDK's own throttling retries (its backoff starts at 500 ms): on a loaded 2-core
// machine that can pass the default 5 s bound, and these tests are about retries, not about that bound.
const PATIENT = 60_000;

describe('DynamoDbUsageStore: throttles are retried with backoff and counted once each', () => {
  let local: DynaliteBehindFaultProxy;
  let health: InMemoryHealthMetrics;

  afterEach(async () => {
    await local.close();
  });

  const start = async (clientConfig: { maxAttempts?: number } = {}): Promise<void> => {
    local = await startDynaliteBehindFaultProxy(clientConfig);
    health = new InMemoryHealthMetrics();
    await createUsageTable(local.direct, TABLE);
  };
  const throttles = (): number => health.sum('DynamoDBThrottles', { TableName: TABLE });
  const storedIds = async (): Promise<string[]> => (await new DynamoDbUsageStore({ client: local.direct, tableName: TABLE, health }).scanEventIds()).sort();

  it('writes every item when UnprocessedItems come back N times, and counts DynamoDBThrottles == N', async () => {
    // Prepare
    await start();
    const store = new DynamoDbUsageStore({ client: local.client, tableName: TABLE, health, retry: FAST, requestTimeoutMs: PATIENT });
    const events = makeUsageEvents(40);
    local.proxy.throttleNext(5, 'UnprocessedItems');

    // Act
    const result = await store.write(events);

    // Assess
    expect(result).toEqual({ ok: true });
    expect(await storedIds()).toEqual(events.map((e) => e.eventId).sort());
    expect(local.proxy.stats.unprocessedRounds).toBe(5);
    expect(throttles()).toBe(5);
  });

  it('retries throttling errors the SDK gave up on, and counts the ones the SDK retried itself too', async () => {
    // Prepare: the SDK (3 attempts by default) retries two throttles itself and gives up on the third; the store
    // retries after that
    await start();
    const store = new DynamoDbUsageStore({ client: local.client, tableName: TABLE, health, retry: FAST, requestTimeoutMs: PATIENT });
    const events = makeUsageEvents(3);
    local.proxy.throttleNext(3, 'ProvisionedThroughputExceededException');

    // Act
    const result = await store.write(events);

    // Assess
    expect(result).toEqual({ ok: true });
    expect(await storedIds()).toEqual(events.map((e) => e.eventId).sort());
    expect(local.proxy.stats.throttled).toBe(3);
    expect(throttles()).toBe(3);
  });

  it('retries ThrottlingException (on-demand tables) like any throttle', async () => {
    // Prepare
    await start({ maxAttempts: 1 });
    const store = new DynamoDbUsageStore({ client: local.client, tableName: TABLE, health, retry: FAST, requestTimeoutMs: PATIENT });
    const events = makeUsageEvents(3);
    local.proxy.throttleNext(2, 'ThrottlingException');

    // Act
    const result = await store.write(events);

    // Assess
    expect(result).toEqual({ ok: true });
    expect(await storedIds()).toEqual(events.map((e) => e.eventId).sort());
    expect(throttles()).toBe(2);
  });

  it('hands back only the still-unprocessed events, as retryable, when the attempts run out', async () => {
    // Prepare
    await start({ maxAttempts: 1 });
    const store = new DynamoDbUsageStore({ client: local.client, tableName: TABLE, health, retry: { ...FAST, maxAttempts: 2 }, requestTimeoutMs: PATIENT });
    const events = makeUsageEvents(8);
    local.proxy.throttleNext(2, 'UnprocessedItems'); // 8 → 4 held back → 2 held back

    // Act
    const result = await store.write(events);

    // Assess
    expect(result).toMatchObject({ ok: false, retryable: true });
    expect(result.ok || result.error.message).toMatch(/2 item\(s\) still unprocessed \(throttled\) after 2 attempts/);
    const failed = result.ok ? [] : (result.failed ?? []).map((e) => e.eventId).sort();
    const stored = await storedIds();
    expect(failed).toHaveLength(2);
    expect([...failed, ...stored].sort()).toEqual(events.map((e) => e.eventId).sort());
    expect(throttles()).toBe(2);
  });

  it('gives up on a throttling error after maxAttempts with a retryable failure', async () => {
    // Prepare
    await start({ maxAttempts: 1 });
    const store = new DynamoDbUsageStore({ client: local.client, tableName: TABLE, health, retry: { ...FAST, maxAttempts: 3 }, requestTimeoutMs: PATIENT });
    local.proxy.throttleNext(3, 'ThrottlingException');

    // Act
    const result = await store.write(makeUsageEvents(2));

    // Assess
    expect(result).toMatchObject({ ok: false, retryable: true, error: { message: expect.stringContaining('HTTP 400 ThrottlingException') } });
    expect(result.ok ? [] : result.failed).toHaveLength(2);
    expect(throttles()).toBe(3);
  });
});

describe('backoffDelayMs', () => {
  it('doubles from the base, is capped, and is jittered over [0, ceiling)', () => {
    // Act
    const ceilings = [1, 2, 3, 4, 5, 6].map((attempt) => backoffDelayMs(attempt, 50, 1000, () => 0.999999));
    const lowest = backoffDelayMs(4, 50, 1000, () => 0);
    const middle = backoffDelayMs(4, 50, 1000, () => 0.5);

    // Assess
    expect(ceilings).toEqual([49, 99, 199, 399, 799, 999]);
    expect(lowest).toBe(0);
    expect(middle).toBe(200);
  });
});
