import { UsageError, type HealthMetrics, type UsageEvent, type UsageSink, type WriteResult } from '@bedrock-usage/core';
import type { RecoveringSink } from '@bedrock-usage/recorder';
import CircuitBreaker from 'opossum';

/**
 * Options of {@link GuardedSink}.
 *
 * @example
 * const options: GuardedSinkOptions = { health, agentId: 'jira', resetTimeoutMs: 60_000 };
 */
export interface GuardedSinkOptions {
  /** Where `CircuitBreakerTrips{AgentId, Component}` is counted. @default reports nowhere */
  readonly health?: HealthMetrics;
  /** The `AgentId` dimension of the trips. @default 'unknown' */
  readonly agentId?: string;
  /** How long the breaker stays open before the timer-driven probe. @default 60000 */
  readonly resetTimeoutMs?: number;
  /** A write still unanswered after this is a retryable `TIMEOUT` failure (and counts toward a trip). @default 30000 */
  readonly timeoutMs?: number;
  /** The breaker opens when more than this share of the writes in the rolling window failed retryably. @default 50 */
  readonly errorThresholdPercentage?: number;
  /** …and at least this many writes were made in the window (one slow flush is not an outage). @default 3 */
  readonly volumeThreshold?: number;
  /** The rolling window the share is computed over. @default 10000 */
  readonly rollingWindowMs?: number;
}

/**
 * The breaker's state, as the CLI shows it.
 *
 * @example
 * if (guarded.state === 'open') console.log('DynamoDB breaker open: events are being spooled');
 */
export type BreakerState = 'closed' | 'open' | 'halfOpen';

/** A write failure the breaker counts: carries the sink's own result back out of opossum. */
class RetryableWriteFailure extends Error {
  constructor(readonly result: WriteResult) {
    super('retryable write failure');
  }
}

/**
 * A {@link UsageSink} behind its own circuit breaker (opossum 9). Only retryable failures count (5xx, throttling,
 * timeouts, connection errors: the inner sink's `retryable: true`); a validation or duplicate-key failure passes
 * through without tripping it. While open, the inner sink gets no calls: `write` resolves at once with a retryable
 * `BREAKER_OPEN` failure (the pipeline spools the batch).
 *
 * Recovery probe, also with no traffic: `resetTimeoutMs` after opening, opossum's (unref'd) timer half-opens the
 * breaker and this sink at once re-sends the last batch that failed as the probe — real data, harmless to repeat
 * because sinks are idempotent by eventId. Success closes the breaker and calls the `onRecovered` listeners (the
 * pipeline replays the spool); failure re-opens it for another `resetTimeoutMs`. A live write arriving while
 * half-open is an equally good probe. `CircuitBreakerTrips{AgentId, Component=<sink name>}` counts each
 * closed → open transition once: a failed probe is the same outage, not a new trip.
 *
 * @example
 * const store = new GuardedSink(new DynamoDbUsageStore(options), { health, agentId: 'jira' });
 * const pipeline = new UsagePipeline({ sinks: [store], spool, health });
 * store.reset(); // the CLI's "breaker reset": close now and replay
 */
export class GuardedSink implements RecoveringSink {
  readonly name: string;
  readonly #inner: UsageSink;
  readonly #breaker: CircuitBreaker<[readonly UsageEvent[]], WriteResult>;
  readonly #listeners = new Set<() => void>();
  readonly #resetTimeoutMs: number;
  readonly #timeoutMs: number;
  #probeBatch: readonly UsageEvent[] | undefined;
  #closedBefore = true;
  #shutdown: Promise<void> | undefined;

  constructor(inner: UsageSink, options: GuardedSinkOptions = {}) {
    this.name = inner.name;
    this.#inner = inner;
    const health = options.health;
    const agentId = options.agentId ?? 'unknown';
    this.#resetTimeoutMs = options.resetTimeoutMs ?? 60_000;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#breaker = new CircuitBreaker(
      async (events: readonly UsageEvent[]) => {
        const result = await inner.write(events);
        if (!result.ok && result.retryable) throw new RetryableWriteFailure(result);
        return result;
      },
      {
        resetTimeout: this.#resetTimeoutMs,
        timeout: this.#timeoutMs,
        errorThresholdPercentage: options.errorThresholdPercentage ?? 50,
        volumeThreshold: options.volumeThreshold ?? 3,
        rollingCountTimeout: options.rollingWindowMs ?? 10_000,
      },
    );
    this.#breaker.on('open', () => {
      if (this.#closedBefore) health?.count('CircuitBreakerTrips', { AgentId: agentId, Component: this.name });
      this.#closedBefore = false;
    });
    this.#breaker.on('halfOpen', () => void this.#probe());
    this.#breaker.on('close', () => {
      this.#closedBefore = true;
      this.#probeBatch = undefined;
      for (const listener of this.#listeners) listener();
    });
  }

  /** `closed` (writes pass), `open` (no calls to the sink) or `halfOpen` (the next write is the probe). */
  get state(): BreakerState {
    if (this.#breaker.opened) return 'open';
    return this.#breaker.halfOpen ? 'halfOpen' : 'closed';
  }

  async write(events: readonly UsageEvent[]): Promise<WriteResult> {
    if (this.#shutdown) return { ok: false, retryable: false, error: new UsageError('SHUT_DOWN', `sink "${this.name}" is shut down`) };
    try {
      return await this.#breaker.fire(events);
    } catch (error) {
      if (error instanceof RetryableWriteFailure) {
        this.#probeBatch = events;
        return error.result;
      }
      const code = (error as { code?: unknown }).code;
      if (code === 'EOPENBREAKER') {
        return { ok: false, retryable: true, error: new UsageError('BREAKER_OPEN', `circuit breaker of sink "${this.name}" is open; the sink was not called — it is probed every ${this.#resetTimeoutMs} ms`) };
      }
      this.#probeBatch = events;
      if (code === 'ETIMEDOUT') {
        return { ok: false, retryable: true, error: new UsageError('TIMEOUT', `sink "${this.name}" did not answer within ${this.#timeoutMs} ms`) };
      }
      return { ok: false, retryable: true, error: new UsageError('IO', `sink "${this.name}" threw: ${(error as Error).message}`, { cause: error }) };
    }
  }

  /** Closes the breaker now (the runbook's manual reset) and tells the listeners, who replay the spool. */
  reset(): void {
    this.#breaker.close();
  }

  onRecovered(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  forceFlush(): Promise<void> {
    return this.#inner.forceFlush();
  }

  /** Idempotent: shuts the inner sink down and stops the breaker's timers. */
  shutdown(): Promise<void> {
    this.#shutdown ??= this.#inner.shutdown().finally(() => this.#breaker.shutdown());
    return this.#shutdown;
  }

  async #probe(): Promise<void> {
    const batch = this.#probeBatch;
    if (!batch || this.#shutdown) return;
    await this.#breaker.fire(batch).catch(() => undefined);
  }
}
