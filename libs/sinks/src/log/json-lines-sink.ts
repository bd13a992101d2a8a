import type { Writable } from 'node:stream';

import { systemClock, UsageError, type Clock, type UsageEvent, type UsageSink, type WriteResult } from '@bedrock-usage/core';

import { RecentEventIds } from '../metrics/recent-event-ids';

/** Ids remembered against repeats and replays. */
const RECENT_IDS = 100_000;

/**
 * Writes lines to a stream; resolves once the stream took them (its write callback). Shared by the sinks and the
 * health metrics that write JSON lines.
 */
export class LineWriter {
  readonly #output: Writable;
  readonly #pending = new Set<Promise<void>>();

  constructor(output: Writable) {
    this.#output = output;
  }

  write(lines: readonly string[]): Promise<void> {
    if (lines.length === 0) return Promise.resolve();
    const done = new Promise<void>((resolve, reject) => {
      try {
        this.#output.write(`${lines.join('\n')}\n`, (error) => (error ? reject(error) : resolve()));
      } catch (error) {
        reject(error as Error);
      }
    });
    const tracked = done.then(
      () => undefined,
      () => undefined,
    );
    this.#pending.add(tracked);
    void tracked.finally(() => this.#pending.delete(tracked));
    return done;
  }

  /** Resolves once every line handed over so far was taken or failed. */
  async flush(): Promise<void> {
    await Promise.all(this.#pending);
  }
}

/**
 * A sink writing one JSON line per event to a stream (the log sink, the EMF sink). Lines are not idempotent, so
 * repeats within a batch and events it already wrote (the last 100 000 ids) are skipped.
 */
export abstract class JsonLinesSink implements UsageSink {
  abstract readonly name: string;
  protected readonly clock: Clock;
  readonly #writer: LineWriter;
  readonly #recent = new RecentEventIds(RECENT_IDS);
  #closed: Promise<void> | undefined;

  constructor(output: Writable, clock: Clock = systemClock) {
    this.#writer = new LineWriter(output);
    this.clock = clock;
  }

  /** The JSON line (without newline) of one event. */
  protected abstract line(event: UsageEvent): string;

  async write(events: readonly UsageEvent[]): Promise<WriteResult> {
    if (this.#closed) return { ok: false, retryable: false, error: new UsageError('SHUT_DOWN', `${this.name} sink is shut down — nothing more is written`) };
    const fresh = this.#recent.unseen(events);
    try {
      await this.#writer.write(fresh.map((event) => this.line(event)));
    } catch (error) {
      return { ok: false, retryable: true, failed: fresh, error: new UsageError('IO', `${this.name} sink could not write its lines: ${(error as Error).message}`, { cause: error }) };
    }
    this.#recent.remember(fresh);
    return { ok: true };
  }

  forceFlush(): Promise<void> {
    return this.#writer.flush();
  }

  /** Waits for lines in flight; the stream itself is the caller's and stays open. */
  shutdown(): Promise<void> {
    this.#closed ??= this.#writer.flush();
    return this.#closed;
  }
}
