import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';

/** The slice of dynalite 4.0.0 used here (the package ships no types). */
type DynaliteFactory = (options: { createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => Server;

// dynalite has no type declarations. An ambient `declare module` file would have to be listed in the tsconfig of
// every project whose tests import this lib; a typed require keeps the declaration here, in one place.
const dynalite = createRequire(__filename)('dynalite') as DynaliteFactory;

/** A running in-process dynalite (see {@link startDynalite}). */
export interface DynaliteServer {
  /** `http://127.0.0.1:<port>`: the DynamoDB endpoint to give the SDK client. */
  readonly endpoint: string;
  readonly port: number;
  /** Stops listening and closes the in-memory store. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts dynalite (an embedded DynamoDB speaking the real wire protocol) in this process, in memory, on
 * 127.0.0.1 and a free port. Tables and indexes are ACTIVE as soon as they are created (`createTableMs: 0`).
 *
 * Limits (checked against dynalite 4.0.0, see the README): no DynamoDB Streams (a `StreamSpecification` is
 * accepted and ignored), no TransactWriteItems / TransactGetItems and no UpdateTimeToLive (each answers
 * `UnknownOperationException`), and GSI entries whose index keys are equal can be lost.
 *
 * @example
 * const dynamo = await startDynalite();
 * const client = new DynamoDBClient(localDynamoDbClientConfig(dynamo.endpoint));
 * // … tests …
 * client.destroy();
 * await dynamo.close();
 */
export async function startDynalite(): Promise<DynaliteServer> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error?: Error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets of clients that were not destroyed would hold close() open.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** The settings a DynamoDB SDK client needs for a local endpoint (dynalite, a fault proxy). */
export interface LocalDynamoDbClientConfig {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/**
 * Client settings for a local DynamoDB endpoint: the endpoint, a region, and dummy credentials (dynalite checks
 * that a request is signed, not by whom). Spread it and add what a test needs, e.g. `maxAttempts`.
 *
 * @example
 * const client = new DynamoDBClient({ ...localDynamoDbClientConfig(proxy.endpoint), maxAttempts: 1 });
 */
export function localDynamoDbClientConfig(endpoint: string): LocalDynamoDbClientConfig {
  return { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
}
