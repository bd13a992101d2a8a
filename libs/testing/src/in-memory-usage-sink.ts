import { UsageError, type UsageErrorCode, type UsageEvent, type UsageSink, type WriteResult } from '@bedrock-usage/core';

/**
 * How {@link InMemoryUsageSink} fails while scripted to.
 *
 * @example
 * sink.fail({ code: 'INVALID_INPUT', retryable: false }, 1);
 */
export interface ScriptedFailure {
  /** @default 'IO' */
  readonly code?: UsageErrorCode;
  /** @default true */
  readonly retryable?: boolean;
}

/**
 * Options of {@link InMemoryUsageSink}.
 *
 * @example
 * new InMemoryUsageSink({ name: 'DynamoDB' });
 */
export interface InMemoryUsageSinkOptions {
  /** The sink's `LoggingBackend` name. @default 'InMemory' */
  readonly name?: string;
}

/**
 * A {@link UsageSink} that keeps events in memory, idempotent by eventId like every real sink, with scriptable
 * failures (`fail`), outages and stalls (`hold`) — for pipeline, breaker and contract tests.
 *
 * @example
 * const sink = new InMemoryUsageSink({ name: 'DynamoDB' });
 * sink.fail({ code: 'IO', retryable: true }, 2); // the next two writes fail
 * await sink.write([event]);                     // { ok: false, retryable: true, error }
 * sink.recover();
 * expect(sink.persistedIds).toEqual([]);
 */
export class InMemoryUsageSink implements UsageSink {
  readonly name: string;
  readonly #persisted = new Map<string, UsageEvent>();
  readonly #received: (readonly UsageEvent[])[] = [];
  #failure: { readonly failure: ScriptedFailure; remaining: number } | undefined;
  #held: Promise<void> | undefined;
  #closed = false;

  constructor(options: InMemoryUsageSinkOptions = {}) {
    this.name = options.name ?? 'InMemory';
  }

  /** Every batch handed to `write`, failed ones included, oldest first. */
  get batches(): readonly (readonly UsageEvent[])[] {
    return this.#received;
  }

  /** How many times `write` was called. */
  get calls(): number {
    return this.#received.length;
  }

  /** The ids persisted, once each, in the order first written. */
  get persistedIds(): readonly string[] {
    return [...this.#persisted.keys()];
  }

  /** The events persisted, once each. */
  get persisted(): readonly UsageEvent[] {
    return [...this.#persisted.values()];
  }

  /** Fails the next `times` writes (every write until {@link recover} by default) without persisting anything. */
  fail(failure: ScriptedFailure = {}, times = Number.POSITIVE_INFINITY): void {
    this.#failure = { failure, remaining: times };
  }

  /** Ends scripted failures. */
  recover(): void {
    this.#failure = undefined;
  }

  /**
   * Stalls every write (those already waiting and later ones) until the returned release is called — a sink that
   * hangs. Writes still count in {@link calls} when they start.
   */
  hold(): () => void {
    let release!: () => void;
    this.#held = new Promise<void>((resolve) => (release = resolve));
    return () => {
      this.#held = undefined;
      release();
    };
  }

  async write(events: readonly UsageEvent[]): Promise<WriteResult> {
    this.#received.push(events);
    if (this.#held) await this.#held;
    if (this.#closed) return { ok: false, retryable: false, error: new UsageError('SHUT_DOWN', `sink "${this.name}" is shut down`) };
    if (this.#failure && this.#failure.remaining > 0) {
      this.#failure.remaining -= 1;
      const { code = 'IO', retryable = true } = this.#failure.failure;
      return { ok: false, retryable, error: new UsageError(code, `scripted ${code} failure of sink "${this.name}"`) };
    }
    for (const event of events) if (!this.#persisted.has(event.eventId)) this.#persisted.set(event.eventId, event);
    return { ok: true };
  }

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {
    this.#closed = true;
  }
}
