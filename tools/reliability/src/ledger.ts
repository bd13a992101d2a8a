import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';

/**
 * The load process's record of which event ids it handed to `record()`: one id per line, appended and fsynced per
 * batch *before* the batch is recorded, so that after a kill -9 the parent knows every id that may have been recorded.
 * An id in the ledger whose `record()` never ran (killed between the fsync and the end of the batch) looks lost: the
 * ledger over-states loss by at most one batch, never hides it.
 *
 * @example
 * const ledger = new LedgerWriter(path);
 * ledger.append(ids); // durable once it returns
 * ids.forEach((id) => recorder.record(eventFor(id)));
 */
export class LedgerWriter {
  readonly #fd: number;
  #closed = false;

  constructor(path: string) {
    this.#fd = openSync(path, 'a');
  }

  /** Appends the ids and fsyncs; synchronous, so nothing else runs in between. */
  append(ids: readonly string[]): void {
    if (this.#closed || ids.length === 0) return;
    writeSync(this.#fd, `${ids.join('\n')}\n`);
    fsyncSync(this.#fd);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    closeSync(this.#fd);
  }
}

/**
 * The ids in a ledger file, in order. A last line without its newline (torn by a kill) is ignored: `append` fsyncs
 * before the ids are recorded, so a torn line holds ids that were never recorded.
 *
 * @example
 * const recorded = readLedger(path);
 */
export function readLedger(path: string): string[] {
  if (!existsSync(path)) return [];
  const lines = readFileSync(path, 'utf8').split('\n');
  lines.pop();
  return lines.filter((line) => line !== '');
}
