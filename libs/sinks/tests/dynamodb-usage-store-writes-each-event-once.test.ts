import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { InMemoryHealthMetrics, makeUsageEvent, makeUsageEvents, startDynaliteBehindFaultProxy, type DynaliteBehindFaultProxy } from '@bedrock-usage/testing';

import { DynamoDbUsageStore, createUsageTable } from '../src';

const TABLE = 'usage';

describe('DynamoDbUsageStore: one item per event, whatever is replayed or duplicated', () => {
  let local: DynaliteBehindFaultProxy;

  beforeEach(async () => {
    local = await startDynaliteBehindFaultProxy();
    await createUsageTable(local.direct, TABLE);
  });

  afterEach(async () => {
    await local.close();
  });

  const storeOn = (client = local.client): DynamoDbUsageStore => new DynamoDbUsageStore({ client, tableName: TABLE, health: new InMemoryHealthMetrics() });
  const rawItems = async (): Promise<unknown[]> => {
    const { Items = [] } = await local.direct.send(new ScanCommand({ TableName: TABLE, ConsistentRead: true }));
    return Items.sort((a, b) => String(a.pk?.S).localeCompare(String(b.pk?.S)));
  };

  it('collapses duplicate eventIds inside a batch instead of failing the whole BatchWriteItem', async () => {
    // Prepare
    const store = storeOn();
    const [a, b] = makeUsageEvents(2);

    // Act
    const result = await store.write([a, b, a, b, a]);
    const requests = local.proxy.stats.requests;

    // Assess
    expect(result).toEqual({ ok: true });
    expect(requests).toBe(1);
    expect((await store.scanEventIds()).sort()).toEqual([a.eventId, b.eventId].sort());
  });

  it('leaves every stored item exactly as it was when events are replayed', async () => {
    // Prepare
    const store = storeOn();
    const events = makeUsageEvents(30, { incidentId: 'INC-20250311-0042' });
    await store.write(events);
    const before = await rawItems();

    // Act
    await store.write(events.slice(10));
    await store.write([...events].reverse());

    // Assess
    expect(await rawItems()).toEqual(before);
    expect(before).toHaveLength(30);
  });

  it('splits a write into requests of at most 25 items', async () => {
    // Prepare
    const store = storeOn();
    const events = makeUsageEvents(51);

    // Act
    const result = await store.write(events);
    const requests = local.proxy.stats.requests;

    // Assess
    expect(result).toEqual({ ok: true });
    expect(requests).toBe(3);
    expect((await store.scanEventIds()).sort()).toEqual(events.map((e) => e.eventId).sort());
  });

  it('keeps one item when the server applied a write whose response was lost and the write is retried', async () => {
    // Prepare: the SDK's own retries are on (its default), so the lost response is retried by the SDK, then by us
    const store = storeOn();
    const events = makeUsageEvents(3);
    const after = makeUsageEvent();
    await local.proxy.mode('drop-response');

    // Act
    const lost = await store.write(events);
    await local.proxy.heal();
    const retried = await store.write(lost.ok ? [] : (lost.failed ?? events));
    await store.write([after, ...events]);

    // Assess
    expect(lost).toMatchObject({ ok: false, retryable: true });
    expect(local.proxy.stats.droppedResponses).toBeGreaterThanOrEqual(1);
    expect(retried).toEqual({ ok: true });
    expect((await storeOn(local.direct).scanEventIds()).sort()).toEqual([...events, after].map((e) => e.eventId).sort());
  });
});
