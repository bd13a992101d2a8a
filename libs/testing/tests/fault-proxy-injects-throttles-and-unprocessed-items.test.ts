import { BatchWriteItemCommand, PutItemCommand, ScanCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';

import type { DynaliteBehindFaultProxy } from '../src';
import type { FaultProxy } from '@bedrock-usage/stand-ins';

import { startProxiedTable } from './support/proxied-table';

const TABLE = 'proxy-test';
const put = (id: string): WriteRequest => ({ PutRequest: { Item: { pk: { S: id } } } });

describe('fault proxy: injected capacity refusals, seen by the real DynamoDB client', () => {
  let local: DynaliteBehindFaultProxy;
  let proxy: FaultProxy;
  let direct: DynamoDBClient;
  let viaProxy: DynamoDBClient;

  beforeEach(async () => {
    local = await startProxiedTable(TABLE);
    ({ proxy, direct, client: viaProxy } = local);
  });

  afterEach(() => local.close());

  const storedIds = async (): Promise<string[]> =>
    ((await direct.send(new ScanCommand({ TableName: TABLE }))).Items ?? []).map((item) => item.pk?.S ?? '').sort();

  it.each(['ProvisionedThroughputExceededException', 'ThrottlingException'] as const)(
    'answers %s in the wire format the SDK parses, without forwarding the request',
    async (kind) => {
      // Prepare
      proxy.throttleNext(1, kind);

      // Act
      const error = await viaProxy.send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: 'a' } } })).catch((e: unknown) => e);
      await viaProxy.send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: 'b' } } }));

      // Assess
      expect(error).toMatchObject({ name: kind, $metadata: { httpStatusCode: 400 } });
      expect(await storedIds()).toEqual(['b']);
      expect(proxy.stats).toMatchObject({ requests: 2, throttled: 1, forwarded: 1 });
    },
  );

  it('forwards part of a BatchWriteItem and hands the rest back as UnprocessedItems', async () => {
    // Prepare
    proxy.throttleNext(2, 'UnprocessedItems');
    const requests = ['a', 'b', 'c', 'd', 'e'].map(put);

    // Act
    const first = await viaProxy.send(new BatchWriteItemCommand({ RequestItems: { [TABLE]: requests } }));
    const afterFirst = await storedIds();
    const second = await viaProxy.send(new BatchWriteItemCommand({ RequestItems: first.UnprocessedItems ?? {} }));
    const third = await viaProxy.send(new BatchWriteItemCommand({ RequestItems: second.UnprocessedItems ?? {} }));

    // Assess
    expect(first.UnprocessedItems?.[TABLE]).toEqual(['c', 'd', 'e'].map(put));
    expect(afterFirst).toEqual(['a', 'b']);
    expect(second.UnprocessedItems?.[TABLE]).toEqual(['d', 'e'].map(put));
    expect(third.UnprocessedItems).toEqual({});
    expect(await storedIds()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(proxy.stats).toMatchObject({ requests: 3, unprocessedRounds: 2, throttled: 0 });
  });

  it('hands a single-item batch back whole, and keeps an UnprocessedItems injection for the next BatchWriteItem', async () => {
    // Prepare
    proxy.throttleNext(1, 'UnprocessedItems');

    // Act
    await viaProxy.send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: 'single' } } }));
    const batch = await viaProxy.send(new BatchWriteItemCommand({ RequestItems: { [TABLE]: [put('x')] } }));

    // Assess
    expect(batch.UnprocessedItems?.[TABLE]).toEqual([put('x')]);
    expect(await storedIds()).toEqual(['single']);
    expect(proxy.stats).toMatchObject({ requests: 2, forwarded: 1, unprocessedRounds: 1 });
  });

  it('is driven from another process through its control API, and rejects bad input naming the field', async () => {
    // Prepare
    const control = (method: string, path: string, body?: object): Promise<Response> =>
      fetch(`${proxy.controlEndpoint}${path}`, { method, body: body && JSON.stringify(body) });

    // Act
    const throttle = await control('POST', '/throttle', { n: 1, kind: 'ThrottlingException' });
    const error = await viaProxy.send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: 'a' } } })).catch((e: unknown) => e);
    const badKind = await control('POST', '/throttle', { n: 1, kind: 'SlowDown' });
    const badMode = await control('POST', '/mode', { mode: 'explode' });
    const stats = await control('GET', '/stats');

    // Assess
    expect(throttle.status).toBe(204);
    expect(error).toMatchObject({ name: 'ThrottlingException' });
    expect(badKind.status).toBe(400);
    expect(((await badKind.json()) as { message: string }).message).toMatch(/"kind" is "SlowDown" — expected one of ProvisionedThroughputExceededException, ThrottlingException, UnprocessedItems/);
    expect(((await badMode.json()) as { message: string }).message).toMatch(/"mode" is "explode" — expected one of pass, refuse, stall, reset, drop-response/);
    expect(await stats.json()).toMatchObject({ requests: 1, throttled: 1 });
  });
});
