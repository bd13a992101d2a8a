import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeUsageEvent, encodeUsageEvent, UsageError, type Spool, type SpoolReplayResult, type UsageEvent } from '@bedrock-usage/core';

/**
 * Options of {@link FileSpool}.
 *
 * @example
 * new FileSpool({ dir: '/var/lib/bedrock-usage/spool', syncEveryEvents: 1 });
 */
export interface FileSpoolOptions {
  /** The directory of the spool files (`<sink>.jsonl`, one per sink). One process per directory. */
  readonly dir: string;
  /**
   * fsync after this many appended events (an append is one batch). It sets the power-loss window: at most
   * `syncEveryEvents - 1` spooled events can be lost when the machine (not the process) dies. A kill -9 loses none
   * of them: written lines are in the OS page cache. @default 1 (every append is fsynced before it resolves)
   */
  readonly syncEveryEvents?: number;
  /** Events per batch handed back on replay. @default 100 */
  readonly replayBatchSize?: number;
}

const NEWLINE = 0x0a;

/**
 * Core's {@link Spool} as one append-only JSONL file per sink (`<dir>/<sink>.jsonl`, core's exact event codec).
 *
 * Replay survives a crash: after each acknowledged batch the byte offset reached is written to
 * `<sink>.replay-offset`; a replay starts from it, so an interrupted replay delivers at most one batch again (sinks
 * are idempotent by eventId) and never skips one. When a replay delivered everything, the file is compacted: the
 * lines appended meanwhile are copied to a fresh file (fsynced), the offset file is removed, and the fresh file is
 * renamed over the old — a crash between those steps re-delivers, never loses. A torn last line (a crash mid-append)
 * is skipped and counted as `corrupt`, and the next append starts on a new line.
 *
 * @example
 * const spool = new FileSpool({ dir: '/var/lib/bedrock-usage/spool' });
 * const pipeline = new UsagePipeline({ sinks, spool, health });
 */
export class FileSpool implements Spool {
  readonly #dir: string;
  readonly #syncEvery: number;
  readonly #batchSize: number;
  readonly #locks = new Map<string, Promise<unknown>>();
  readonly #unsynced = new Map<string, number>();
  readonly #healed = new Set<string>();

  constructor(options: FileSpoolOptions) {
    this.#dir = options.dir;
    this.#syncEvery = positiveInteger('syncEveryEvents', options.syncEveryEvents ?? 1);
    this.#batchSize = positiveInteger('replayBatchSize', options.replayBatchSize ?? 100);
  }

  /** The spool file of `sink`. */
  pathOf(sink: string): string {
    return join(this.#dir, `${encodeURIComponent(sink)}.jsonl`);
  }

  append(sink: string, events: readonly UsageEvent[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    const text = events.map((event) => `${JSON.stringify(encodeUsageEvent(event))}\n`).join('');
    return this.#locked(sink, async () => {
      const path = this.pathOf(sink);
      await mkdir(this.#dir, { recursive: true });
      const file = await open(path, 'a+');
      try {
        let prefix = '';
        if (!this.#healed.has(sink)) {
          const { size } = await file.stat();
          if (size > 0) {
            const last = Buffer.alloc(1);
            await file.read(last, 0, 1, size - 1);
            if (last[0] !== NEWLINE) prefix = '\n'; // a torn last line: keep it apart (it is skipped on replay)
          }
          this.#healed.add(sink);
        }
        await file.appendFile(prefix + text);
        const unsynced = (this.#unsynced.get(sink) ?? 0) + events.length;
        if (unsynced >= this.#syncEvery) {
          await file.sync();
          this.#unsynced.set(sink, 0);
        } else this.#unsynced.set(sink, unsynced);
      } finally {
        await file.close();
      }
    });
  }

  async replay(sink: string, deliver: (batch: readonly UsageEvent[]) => Promise<boolean>): Promise<SpoolReplayResult> {
    return this.#locked(`replay:${sink}`, () => this.#replay(sink, deliver));
  }

  async #replay(sink: string, deliver: (batch: readonly UsageEvent[]) => Promise<boolean>): Promise<SpoolReplayResult> {
    const path = this.pathOf(sink);
    const offsetPath = `${path.slice(0, -'.jsonl'.length)}.replay-offset`;
    const { start, end, bytes } = await this.#locked(sink, async () => {
      const size = await fileSize(path);
      const saved = Number((await readFile(offsetPath, 'utf8').catch(() => '0')).trim());
      const from = Number.isSafeInteger(saved) && saved >= 0 && saved <= size ? saved : 0;
      const content = size > from ? await readRange(path, from, size) : Buffer.alloc(0);
      return { start: from, end: size, bytes: content };
    });
    const entries = parseLines(bytes, start);
    const corrupt = entries.corrupt;
    let replayed = 0;
    let index = 0;
    while (index < entries.events.length) {
      const slice = entries.events.slice(index, index + this.#batchSize);
      const delivered = await deliver(slice.map((entry) => entry.event)).catch(() => false);
      if (!delivered) break;
      index += slice.length;
      replayed += slice.length;
      await writeFile(offsetPath, String(slice[slice.length - 1].endOffset));
    }
    if (index < entries.events.length) {
      return { replayed, remaining: entries.events.length - index + (await this.#appendedSince(sink, end)), corrupt };
    }
    const appended = await this.#locked(sink, async () => {
      const size = await fileSize(path);
      const tail = size > end ? await readRange(path, end, size) : Buffer.alloc(0);
      const fresh = `${path}.compacting`;
      const file = await open(fresh, 'w');
      try {
        await file.writeFile(tail);
        await file.sync();
      } finally {
        await file.close();
      }
      await rm(offsetPath, { force: true }); // a crash from here on re-delivers, never loses
      await rename(fresh, path);
      this.#healed.delete(sink);
      return countLines(tail);
    });
    return { replayed, remaining: appended, corrupt };
  }

  async #appendedSince(sink: string, end: number): Promise<number> {
    const path = this.pathOf(sink);
    const size = await fileSize(path);
    return size > end ? countLines(await readRange(path, end, size)) : 0;
  }

  /** Runs `work` after every earlier operation on the same key (appends and compaction of one sink never interleave). */
  #locked<T>(key: string, work: () => Promise<T>): Promise<T> {
    const run = (this.#locks.get(key) ?? Promise.resolve()).then(work);
    const settled = run.catch(() => undefined);
    this.#locks.set(key, settled);
    void settled.then(() => {
      if (this.#locks.get(key) === settled) this.#locks.delete(key);
    });
    return run;
  }
}

interface Entry {
  readonly event: UsageEvent;
  /** File offset just past this event's line. */
  readonly endOffset: number;
}

/** Complete lines decode to events; an unreadable line or a final line without newline (torn write) is corrupt. */
function parseLines(bytes: Buffer, base: number): { events: Entry[]; corrupt: number } {
  const events: Entry[] = [];
  let corrupt = 0;
  let lineStart = 0;
  while (lineStart < bytes.length) {
    const newline = bytes.indexOf(NEWLINE, lineStart);
    if (newline === -1) {
      corrupt += 1;
      break;
    }
    const line = bytes.subarray(lineStart, newline).toString('utf8');
    lineStart = newline + 1;
    if (line.trim() === '') continue;
    try {
      events.push({ event: decodeUsageEvent(JSON.parse(line)), endOffset: base + lineStart });
    } catch {
      corrupt += 1;
    }
  }
  return { events, corrupt };
}

function countLines(bytes: Buffer): number {
  let count = 0;
  for (let index = bytes.indexOf(NEWLINE); index !== -1; index = bytes.indexOf(NEWLINE, index + 1)) count += 1;
  return count;
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

async function readRange(path: string, from: number, to: number): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(to - from);
    await file.read(buffer, 0, buffer.length, from);
    return buffer;
  } finally {
    await file.close();
  }
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new UsageError('INVALID_CONFIG', `FileSpool option "${name}" is ${String(value)} — expected a positive integer`);
  }
  return value;
}
