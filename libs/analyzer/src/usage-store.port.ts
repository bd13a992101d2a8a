import type { UsageEvent } from '@bedrock-usage/core';

import type { LatencySketch } from './latency-sketch';
import type { UsageAggregate } from './usage-aggregate';

/**
 * What became of an incident; `resolved` is the success of "cost per successful incident resolution".
 *
 * @example
 * await analyzer.recordIncidentOutcome('INC-20250311-0042', 'resolved');
 */
export type IncidentOutcome = 'resolved' | 'failed' | 'escalated' | 'abandoned';

/**
 * An incident's recorded outcome (the latest recording wins).
 *
 * @example
 * const record: IncidentOutcomeRecord = { incidentId: 'INC-20250311-0042', outcome: 'resolved', recordedAt: '2025-03-11T12:00:00.000Z' };
 */
export interface IncidentOutcomeRecord {
  readonly incidentId: string;
  readonly outcome: IncidentOutcome;
  /** ISO-8601 UTC. */
  readonly recordedAt: string;
  readonly note?: string;
}

/**
 * The read side of the usage store, as the analyzer needs it (adapters: `DynamoDbUsageStoreReader` in
 * `@bedrock-usage/sinks`, an in-memory fake in the analyzer's tests). Methods reject with a `UsageError` on failure.
 *
 * Events are the ledger (written by the sink, keyed by eventId); aggregates are derived from them and may be
 * rewritten any time; incident outcomes are written by operators or agents.
 *
 * @example
 * const analyzer = new CostAnalyzer({ store: new DynamoDbUsageStoreReader({ client, tableName }) });
 */
export interface UsageStore {
  /** Every stored event with `from <= time < to` (ISO-8601 UTC), each once, in any order. */
  eventsBetween(from: string, to: string): Promise<readonly UsageEvent[]>;
  /** Every stored event of one incident, each once. */
  eventsOfIncident(incidentId: string): Promise<readonly UsageEvent[]>;
  /** Every stored aggregate of one UTC day (`YYYY-MM-DD`): O(hours × agents × models), never the events. */
  aggregatesOfDay(day: string): Promise<readonly UsageAggregate[]>;
  /**
   * Stores aggregates, each replacing the one with its key (`bucket#agentId#model`) — unless the stored one was
   * computed from MORE events (a concurrent refresh saw later events; events are never deleted, so more is newer):
   * that one is kept. So racing refreshes cannot move an aggregate backwards.
   */
  putAggregates(aggregates: readonly UsageAggregate[]): Promise<void>;
  /** The recorded outcomes of these incidents (absent when none was recorded). */
  incidentOutcomes(incidentIds: readonly string[]): Promise<ReadonlyMap<string, IncidentOutcomeRecord>>;
  /** Records (replaces) an incident's outcome. */
  putIncidentOutcome(record: IncidentOutcomeRecord): Promise<void>;
}

/**
 * Optional source of the `LoggingLatency` the recorder measures (it is a health metric, not a field of the
 * stored events), e.g. read back from CloudWatch by an adapter.
 *
 * @example
 * const source: LoggingLatencySource = { latencySketch: async () => sketchOf(samples) };
 */
export interface LoggingLatencySource {
  latencySketch(startTime: string, endTime: string): Promise<LatencySketch | null>;
}

/**
 * Optional per-token input and cache-read rates of a price-book entry, for cache savings when the events of that
 * entry carry no uncached input tokens to derive the rate from (see the README, "Cache savings").
 *
 * @example
 * const rates: CacheRates = { perToken: (key) => (key.startsWith('amazon.nova-micro') ? { input: 35_000_000n, cacheRead: 8_750_000n } : undefined) };
 */
export interface CacheRates {
  /** `priceKey` is `model|region|routing|from`; amounts are femto-USD per token. */
  perToken(priceKey: string): { readonly input: bigint; readonly cacheRead: bigint } | undefined;
}
