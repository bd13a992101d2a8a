import { UsageError, type Spool, type SpoolReplayResult, type UsageEvent } from '@bedrock-usage/core';

/**
 * Options of {@link InMemorySpool}.
 *
 * @example
 * new InMemorySpool({ replayBatchSize: 4 });
 */
export interface InMemorySpoolOptions {
  /** Events per batch handed to `deliver` on replay. @default 100 */
  readonly replayBatchSize?: number;
}

/**
 * Core's {@link Spool} in memory, with the same replay semantics as the file spool — for tests. `failAppends()`
 * makes `append` reject (a full disk), to test the `Dropped` path.
 *
 * @example
 * const spool = new InMemorySpool();
 * await spool.append('DynamoDB', events);
 * await spool.replay('DynamoDB', async (batch) => (await sink.write(batch)).ok); // { replayed: n, remaining: 0, corrupt: 0 }
 */
export class InMemorySpool implements Spool {
  readonly #events = new Map<string, UsageEvent[]>();
  readonly #replays = new Map<string, Promise<unknown>>();
  readonly #batchSize: number;
  #failing = false;

  constructor(options: InMemorySpoolOptions = {}) {
    this.#batchSize = options.replayBatchSize ?? 100;
  }

  /** What is spooled for `sink`, oldest first. */
  events(sink: string): readonly UsageEvent[] {
    return [...(this.#events.get(sink) ?? [])];
  }

  /** Makes every later `append` reject (`true`) or succeed again (`false`). */
  failAppends(failing = true): void {
    this.#failing = failing;
  }

  async append(sink: string, events: readonly UsageEvent[]): Promise<void> {
    if (this.#failing) throw new UsageError('IO', `in-memory spool scripted to fail (sink "${sink}")`);
    const kept = this.#events.get(sink) ?? [];
    kept.push(...events);
    this.#events.set(sink, kept);
  }

  async replay(sink: string, deliver: (batch: readonly UsageEvent[]) => Promise<boolean>): Promise<SpoolReplayResult> {
    const previous = this.#replays.get(sink) ?? Promise.resolve();
    const run = previous.then(() => this.#replayNow(sink, deliver));
    this.#replays.set(sink, run.catch(() => undefined));
    return run;
  }

  async #replayNow(sink: string, deliver: (batch: readonly UsageEvent[]) => Promise<boolean>): Promise<SpoolReplayResult> {
    const kept = this.#events.get(sink) ?? [];
    let pending = kept.length;
    let replayed = 0;
    while (pending > 0) {
      const batch = kept.slice(0, Math.min(this.#batchSize, pending));
      const delivered = await deliver(batch).catch(() => false);
      if (!delivered) break;
      kept.splice(0, batch.length);
      pending -= batch.length;
      replayed += batch.length;
    }
    return { replayed, remaining: kept.length, corrupt: 0 };
  }
}
