import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

import { UsageError } from '@bedrock-usage/core';

/** The slice of dynalite 4.0.0 used here (the package ships no types). */
type DynaliteFactory = (options: { path?: string; createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => Server;

export interface EmbeddedDynamoDb {
  readonly endpoint: string;
  /** Stops listening and closes the LevelDB files. Idempotent. */
  close(): Promise<void>;
}

/** Starts dynalite in this process, on 127.0.0.1 and a free port, with its data on disk in `dataDir`. */
export async function startEmbeddedDynamoDb(dataDir: string): Promise<EmbeddedDynamoDb> {
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    throw new UsageError('INVALID_CONFIG', `data directory "${dataDir}" cannot be created (${(error as NodeJS.ErrnoException).code ?? String(error)}) — choose a writable one`, { cause: error });
  }
  const dynalite = createRequire(__filename)('dynalite') as DynaliteFactory;
  const server = dynalite({ path: dataDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
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
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
