import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';

import { localDynamoDbClientConfig, type DynaliteBehindFaultProxy } from '../src';
import { type FaultProxy } from '@bedrock-usage/stand-ins';

import { startProxiedTable } from './support/proxied-table';

const TABLE = 'proxy-test';

describe('fault proxy: connection faults, seen by the real DynamoDB client', () => {
  let local: DynaliteBehindFaultProxy;
  let proxy: FaultProxy;
  let direct: DynamoDBClient;
  let viaProxy: DynamoDBClient;

  beforeEach(async () => {
    local = await startProxiedTable(TABLE);
    ({ proxy, direct, client: viaProxy } = local);
  });

  afterEach(() => local.close());

  const putVia = (client: DynamoDBClient, id: string, abortSignal?: AbortSignal): Promise<unknown> =>
    client.send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: id } } }), { abortSignal });
  const stored = async (id: string): Promise<boolean> =>
    (await direct.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: id } }, ConsistentRead: true }))).Item !== undefined;

  it('refuses connections on its endpoint until healed, then serves on the same endpoint again', async () => {
    // Prepare
    await putVia(viaProxy, 'warm'); // a keep-alive connection exists and must be cut too

    // Act
    await proxy.mode('refuse');
    const onWarmConnection = await putVia(viaProxy, 'a').catch((e: unknown) => e);
    const fresh = new DynamoDBClient({ ...localDynamoDbClientConfig(proxy.endpoint), maxAttempts: 1 });
    const refused = await putVia(fresh, 'a').catch((e: unknown) => e);
    fresh.destroy();
    await proxy.heal();
    await putVia(viaProxy, 'b');

    // Assess
    expect(onWarmConnection).toBeInstanceOf(Error);
    expect(networkError(refused)).toMatch(/ECONNREFUSED/);
    expect(await stored('a')).toBe(false);
    expect(await stored('b')).toBe(true);
  });

  it('stalls: accepts a request and never answers, so only the client-side timeout ends it', async () => {
    // Prepare
    await proxy.mode('stall');
    const controller = new AbortController();

    // Act
    const pending = putVia(viaProxy, 'a', controller.signal).catch((e: unknown) => e);
    await until(() => proxy.stats.stalled === 1);
    controller.abort();
    const error = await pending;
    await proxy.heal();
    await putVia(viaProxy, 'b');

    // Assess
    expect(error).toMatchObject({ name: 'AbortError' });
    expect(await stored('a')).toBe(false);
    expect(await stored('b')).toBe(true);
    expect(proxy.stats).toMatchObject({ stalled: 1, forwarded: 1 });
  });

  it('resets the connection mid-request without forwarding it', async () => {
    // Prepare
    await proxy.mode('reset');

    // Act
    const error = await putVia(viaProxy, 'a').catch((e: unknown) => e);

    // Assess
    expect(networkError(error)).toMatch(/ECONNRESET/);
    expect(await stored('a')).toBe(false);
    expect(proxy.stats).toMatchObject({ reset: 1, forwarded: 0 });
  });

  it('drops the response of a request the target has already applied', async () => {
    // Prepare
    await proxy.mode('drop-response');

    // Act
    const error = await putVia(viaProxy, 'a').catch((e: unknown) => e);

    // Assess
    expect(networkError(error)).toMatch(/ECONNRESET/);
    expect(await stored('a')).toBe(true);
    expect(proxy.stats).toMatchObject({ droppedResponses: 1, forwarded: 1 });
  });

  it('resets the client connection when the target is down', async () => {
    // Prepare
    await local.dynalite.close();

    // Act
    const error = await putVia(viaProxy, 'a').catch((e: unknown) => e);

    // Assess
    expect(networkError(error)).toMatch(/ECONNRESET/);
    expect(proxy.stats).toMatchObject({ targetErrors: 1 });
  });
});

/**
 * The Node error code as the client reports it. Under jest, Node's errors come from another realm, so the SDK wraps
 * them ("AWS SDK error wrapper for TimeoutError: read ECONNRESET") and the code survives only in the message.
 */
function networkError(error: unknown): string {
  return `${(error as { code?: string }).code ?? ''} ${String(error)}`;
}

/** Waits for a condition the proxy reaches by itself (event-driven on the proxy's own I/O, no fixed sleeps). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}
