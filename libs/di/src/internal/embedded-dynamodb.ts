import { linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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

/**
 * Starts dynalite in this process, on 127.0.0.1 and a free port, with its data on disk in `dataDir`; with `reset`,
 * empties the directory first — after claiming it, so a store another process holds is never deleted under it.
 */
export async function startEmbeddedDynamoDb(dataDir: string, options: { readonly reset?: boolean } = {}): Promise<EmbeddedDynamoDb> {
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    throw new UsageError('INVALID_CONFIG', `data directory "${dataDir}" cannot be created (${(error as NodeJS.ErrnoException).code ?? String(error)}) — choose a writable one`, { cause: error });
  }
  const releaseLock = lockDataDir(dataDir);
  if (options.reset) {
    for (const entry of readdirSync(dataDir)) if (entry !== OWNER_FILE) rmSync(join(dataDir, entry), { recursive: true, force: true });
  }
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

const OWNER_FILE = 'owner.pid';

/**
 * LevelDB allows one process per directory, and dynalite turns a second one into an uncaught "Database is not open"
 * crash on the first request. So the directory is claimed first with an `owner.pid` file, created atomically with its
 * content (written aside, then hard-linked: the link fails when the file exists). A file left by a process that no
 * longer runs is moved away with a rename (only one claimant's rename succeeds) and the claim retried. Returns the
 * release function.
 */
function lockDataDir(dataDir: string): () => void {
  const file = join(dataDir, OWNER_FILE);
  const mine = join(dataDir, `${OWNER_FILE}.${process.pid}.${Date.now()}`);
  try {
    writeFileSync(mine, String(process.pid));
  } catch (error) {
    throw new UsageError('INVALID_CONFIG', `data directory "${dataDir}" is not writable (${(error as NodeJS.ErrnoException).code ?? String(error)}) — choose a writable one`, { cause: error });
  }
  try {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      try {
        linkSync(mine, file);
        return () => rmSync(file, { force: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new UsageError('IO', `cannot claim data directory "${dataDir}" (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
      }
      let owner = NaN;
      try {
        owner = Number(readFileSync(file, 'utf8').trim());
      } catch {
        continue; // released meanwhile: claim again
      }
      if (isRunning(owner)) {
        throw new UsageError(
          'IO',
          `the embedded store in "${dataDir}" is in use by process ${owner} (${file}; one process at a time: dynalite locks its files) — wait for that command to finish, stop it, or point BEDROCK_USAGE_DATA_DIR elsewhere; if no such process of bedrock-usage runs, delete ${file}`,
        );
      }
      try {
        renameSync(file, `${file}.stale`);
      } catch {
        // another claimant moved it first: claim again
      }
    }
    throw new UsageError('IO', `the embedded store in "${dataDir}" is being claimed by another process right now — retry`);
  } finally {
    rmSync(mine, { force: true });
  }
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
