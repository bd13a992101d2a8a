import type { UsageEvent } from '../model/usage-event';

/** What one {@link Spool.replay} did. */
export interface SpoolReplayResult {
  /** Events handed to `deliver` and acknowledged (removed from the spool). */
  readonly replayed: number;
  /** Events still spooled for that sink afterwards (not acknowledged, or appended during the replay). */
  readonly remaining: number;
  /** Unreadable entries (a torn last line after a crash, a hand-edited file) skipped and removed. */
  readonly corrupt: number;
}

/**
 * Where a sink's undeliverable events wait (breaker open, write failed after retries, buffer over capacity,
 * shutdown deadline), kept per sink name, until a replay hands them back. Implementations: the append-only file
 * spool and the stdout spool (libs/sinks), an in-memory spool (libs/testing).
 *
 * Replay semantics every implementation keeps: batches are delivered oldest first; `deliver` resolving `false`
 * (or rejecting) stops the replay and keeps that batch and every later one; events appended during a replay are
 * kept; a replay interrupted by a crash delivers again from its last acknowledged batch (sinks are idempotent by
 * eventId, so a repeat is harmless — a loss is not).
 *
 * @example
 * await spool.append('DynamoDB', failedEvents);
 * const { replayed, remaining } = await spool.replay('DynamoDB', async (batch) => (await sink.write(batch)).ok);
 */
export interface Spool {
  /** Keeps the events for `sink`. Rejects only when they could not be kept (the caller counts them as dropped). */
  append(sink: string, events: readonly UsageEvent[]): Promise<void>;
  /** Hands the events spooled for `sink` back, batch by batch, removing each batch `deliver` acknowledges. */
  replay(sink: string, deliver: (batch: readonly UsageEvent[]) => Promise<boolean>): Promise<SpoolReplayResult>;
}
