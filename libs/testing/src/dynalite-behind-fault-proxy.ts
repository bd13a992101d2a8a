import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';

import { localDynamoDbClientConfig, startDynalite, type DynaliteServer } from './dynalite-server';
import { startFaultProxy, type FaultProxy } from '@bedrock-usage/stand-ins';

/** dynalite with a fault proxy in front, and a client for each way in (see {@link startDynaliteBehindFaultProxy}). */
export interface DynaliteBehindFaultProxy {
  readonly dynalite: DynaliteServer;
  readonly proxy: FaultProxy;
  /** Talks to dynalite through the proxy: the client under test. */
  readonly client: DynamoDBClient;
  /** Talks to dynalite directly: for setup and for checking what was stored whatever the proxy does. */
  readonly direct: DynamoDBClient;
  /** Destroys both clients, then closes the proxy and dynalite. Idempotent. */
  close(): Promise<void>;
}

/**
 * The usual fault-test rig: in-process dynalite on a random port, a {@link FaultProxy} in front of it, and two real
 * DynamoDB clients. `clientConfig` is merged into the proxied client's settings (e.g. `{ maxAttempts: 1 }` to keep
 * the SDK's own retries out of a test).
 *
 * @example
 * const local = await startDynaliteBehindFaultProxy();
 * await createUsageTable(local.direct, 'usage');
 * const store = new DynamoDbUsageStore({ client: local.client, tableName: 'usage', health });
 * local.proxy.throttleNext(3, 'UnprocessedItems');
 * await local.close();
 */
export async function startDynaliteBehindFaultProxy(clientConfig: Partial<DynamoDBClientConfig> = {}): Promise<DynaliteBehindFaultProxy> {
  const dynalite = await startDynalite();
  const proxy = await startFaultProxy({ target: dynalite.endpoint });
  const client = new DynamoDBClient({ ...localDynamoDbClientConfig(proxy.endpoint), ...clientConfig });
  const direct = new DynamoDBClient(localDynamoDbClientConfig(dynalite.endpoint));
  let closing: Promise<void> | undefined;
  return {
    dynalite,
    proxy,
    client,
    direct,
    close() {
      closing ??= (async () => {
        client.destroy();
        direct.destroy();
        await proxy.close();
        await dynalite.close();
      })();
      return closing;
    },
  };
}
