import type { UsageEvent } from '@bedrock-usage/core';

/**
 * One batch of new events from a {@link UsageEventFeed}. `events` may hold an event more than once or an event
 * delivered before (at-least-once feeds); consumers must be idempotent by eventId.
 *
 * @example
 * const batch: UsageEventBatch = { events, position: 'scan:42' };
 */
export interface UsageEventBatch {
  readonly events: readonly UsageEvent[];
  /** What the feed needs to checkpoint this batch; opaque to consumers (for logs only). */
  readonly position: string;
}

/**
 * New usage events, in batches, with an explicit checkpoint: a batch is delivered again (after a restart) until it
 * is checkpointed, so a crash between processing and checkpointing re-delivers it and nothing is skipped.
 * Adapters: the DynamoDB Streams Lambda handler (AWS; Lambda keeps the position), `DynamoDbTableScanFeed` (local
 * stores: dynalite has no Streams) in `@bedrock-usage/sinks`. Methods reject with a `UsageError` on failure.
 *
 * @example
 * const batch = await feed.next();
 * await analyzer.refreshAggregates(batch.events);
 * await feed.checkpoint(batch); // only now is the batch done
 */
export interface UsageEventFeed {
  /** Events not checkpointed yet, at most the feed's batch size; empty when there is nothing new. */
  next(): Promise<UsageEventBatch>;
  /** Persists that the batch's events are processed: a feed opened later does not deliver them again. */
  checkpoint(batch: UsageEventBatch): Promise<void>;
  /** Releases what the feed holds. Idempotent. */
  close(): Promise<void>;
}

/**
 * What the batch publisher needs of the analyzer (`CostAnalyzer` satisfies it): recompute the aggregates of every hour
 * the events touch from all stored events of those hours — idempotent, never increments.
 *
 * @example
 * const aggregates: AggregateRefresher = analyzer;
 */
export interface AggregateRefresher {
  refreshAggregates(events: readonly UsageEvent[]): Promise<{ readonly events: number; readonly written: number; readonly restatedDays: readonly string[]; readonly tooLate?: number }>;
}
