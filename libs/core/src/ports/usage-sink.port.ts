import type { UsageError } from '../errors';
import type { UsageEvent } from '../model/usage-event';

/** The outcome of one {@link UsageSink.write}. */
export type WriteResult =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly error: UsageError;
      /** True for failures worth retrying (5xx, throttling, timeouts, connection errors, breaker open). */
      readonly retryable: boolean;
      /** The events that were not written; absent means all of them. Writes are idempotent, so a superset is safe. */
      readonly failed?: readonly UsageEvent[];
    };

/**
 * A destination of usage events (the DynamoDB store, CloudWatch metrics, EMF lines, the log). Telemetry never
 * throws into the host (OpenTelemetry's rule): every method resolves.
 *
 * @example
 * const result = await sink.write(batch);
 * if (!result.ok) spool.append(sink.name, result.failed ?? batch);
 */
export interface UsageSink {
  /** The `LoggingBackend` dimension of this sink's own metrics, e.g. `DynamoDB`, `CloudWatch`, `EMF`, `Log`. */
  readonly name: string;
  /** Resolves; never rejects. Idempotent per event (keyed by eventId). */
  write(events: readonly UsageEvent[]): Promise<WriteResult>;
  /** Resolves once everything accepted so far is persisted or handed back as failed. */
  forceFlush(): Promise<void>;
  /** Idempotent. After it, `write` resolves `{ ok: false, retryable: false }`. */
  shutdown(): Promise<void>;
}
