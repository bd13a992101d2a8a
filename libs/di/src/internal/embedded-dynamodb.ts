import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

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
  const releaseLock = lockDataDir(dataDir);
  const dynalite = createRequire(__filename)('dynalite') as DynaliteFactory;
  const server = dynalite({ path: dataDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    releaseLock();
    throw new UsageError('IO', `the embedded store cannot listen on 127.0.0.1 (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
  }
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).finally(releaseLock);
      return closing;
    },
  };
}

/**
 * LevelDB allows one process per directory, and dynalite turns a second one into an uncaught "Database is not open"
 * crash on the first request. So the directory is claimed first with a `owner.pid` file (exclusive create); a file
 * left by a process that no longer runs is taken over. Returns the release function.
 */
function lockDataDir(dataDir: string): () => void {
  const file = join(dataDir, 'owner.pid');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new UsageError('INVALID_CONFIG', `data directory "${dataDir}" is not writable (${(error as NodeJS.ErrnoException).code ?? String(error)}) — choose a writable one`, { cause: error });
      }
      const owner = Number(readFileSync(file, 'utf8').trim());
      if (isRunning(owner)) {
        throw new UsageError(
          'IO',
          `the embedded store in "${dataDir}" is in use by process ${owner} (one process at a time: dynalite locks its files) — wait for that command to finish, stop it, or point BEDROCK_USAGE_DATA_DIR elsewhere`,
        );
      }
      rmSync(file, { force: true });
    }
  }
  throw new UsageError('IO', `the embedded store in "${dataDir}" was claimed by another process just now — retry`);
}

function isRunning(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
