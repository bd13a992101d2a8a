import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

import { decodeUsageEvent } from '@bedrock-usage/core';

/**
 * Options of {@link FileSpoolInspector}.
 *
 * @example
 * new FileSpoolInspector({ dir: '/var/lib/bedrock-usage/spool' });
 */
export interface FileSpoolInspectorOptions {
  /** The directory of a {@link FileSpool} (`<sink>.jsonl` files). */
  readonly dir: string;
}

/**
 * One sink's spool file as {@link FileSpoolInspector.inspect} found it. Counts are of the events still waiting: a
 * replay interrupted after some batches left a `<sink>.replay-offset`; the lines before it were delivered already
 * and are not counted (they go at the next complete replay's compaction).
 *
 * @example
 * const { sink, events, oldest, newest, corruptLines } = summary;
 */
export interface SpoolFileSummary {
  /** The sink name (the file name, URI-decoded, without `.jsonl`). */
  readonly sink: string;
  readonly path: string;
  /** Size of the file. */
  readonly bytes: number;
  /** Bytes already delivered by an interrupted replay (0 when none). */
  readonly deliveredBytes: number;
  /** Events waiting to be replayed. */
  readonly events: number;
  /** Distinct eventIds among them (a batch spooled twice counts once here). */
  readonly distinctEvents: number;
  /** Time of the oldest and newest waiting event (ISO), null when none. */
  readonly oldest: string | null;
  readonly newest: string | null;
  /** Agents of the waiting events, with their event counts, by name. */
  readonly agents: Readonly<Record<string, number>>;
  /** True when the last line has no newline: a crash mid-append (skipped and removed by the next replay). */
  readonly torn: boolean;
  /** 1-based line numbers of complete lines that do not decode (skipped and removed by the next replay). */
  readonly corruptLines: readonly number[];
}

const SUFFIX = '.jsonl';

/**
 * Reads a {@link FileSpool} directory without changing it, for operators (`cli spool inspect`): per sink file the
 * waiting events, their time span and agents, the size, and torn or corrupt lines — with the same line rules as
 * the spool's replay (complete lines decode with core's codec; a final line without newline is torn).
 *
 * @example
 * for (const file of await new FileSpoolInspector({ dir }).inspect()) console.log(file.sink, file.events);
 */
export class FileSpoolInspector {
  readonly #dir: string;

  constructor(options: FileSpoolInspectorOptions) {
    this.#dir = options.dir;
  }

  /** The spool directory. */
  get dir(): string {
    return this.#dir;
  }

  /** Every sink's spool file, by sink name; none when the directory does not exist (nothing was ever spooled). */
  async inspect(): Promise<SpoolFileSummary[]> {
    let names: string[];
    try {
      names = await readdir(this.#dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const files = names.filter((name) => name.endsWith(SUFFIX)).sort();
    const summaries: SpoolFileSummary[] = [];
    for (const name of files) summaries.push(await this.#summarize(name));
    return summaries.sort((a, b) => (a.sink < b.sink ? -1 : a.sink > b.sink ? 1 : 0));
  }

  async #summarize(name: string): Promise<SpoolFileSummary> {
    const path = join(this.#dir, name);
    const stem = name.slice(0, -SUFFIX.length);
    const [content, offsetText] = await Promise.all([readFile(path), readFile(join(this.#dir, `${stem}.replay-offset`), 'utf8').catch(() => '0')]);
    const saved = Number(offsetText.trim());
    const from = Number.isSafeInteger(saved) && saved >= 0 && saved <= content.length ? saved : 0;
    // Line numbers count from the top of the file, delivered lines included, so an operator can find them.
    let lineNumber = countNewlines(content.subarray(0, from));
    const agents: Record<string, number> = {};
    const ids = new Set<string>();
    const corruptLines: number[] = [];
    let events = 0;
    let oldest: string | null = null;
    let newest: string | null = null;
    let torn = false;
    let start = from;
    while (start < content.length) {
      const newline = content.indexOf(0x0a, start);
      lineNumber += 1;
      if (newline === -1) {
        torn = true;
        break;
      }
      const line = content.subarray(start, newline).toString('utf8');
      start = newline + 1;
      if (line.trim() === '') continue;
      try {
        const event = decodeUsageEvent(JSON.parse(line));
        events += 1;
        ids.add(event.eventId);
        agents[event.agentId] = (agents[event.agentId] ?? 0) + 1;
        if (oldest === null || Date.parse(event.time) < Date.parse(oldest)) oldest = event.time;
        if (newest === null || Date.parse(event.time) > Date.parse(newest)) newest = event.time;
      } catch {
        corruptLines.push(lineNumber);
      }
    }
    const sorted = Object.fromEntries(Object.entries(agents).sort(([a], [b]) => (a < b ? -1 : 1)));
    let sink: string;
    try {
      sink = decodeURIComponent(stem);
    } catch {
      sink = stem;
    }
    return { sink, path, bytes: (await stat(path)).size, deliveredBytes: from, events, distinctEvents: ids.size, oldest, newest, agents: sorted, torn, corruptLines };
  }
}

function countNewlines(bytes: Buffer): number {
  let count = 0;
  for (let index = bytes.indexOf(0x0a); index !== -1; index = bytes.indexOf(0x0a, index + 1)) count += 1;
  return count;
}
