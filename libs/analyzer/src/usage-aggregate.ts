import type { Money, UsageEvent } from '@bedrock-usage/core';

import { HOUR_MS, floorTo, iso } from './internal/time';
import { SketchBuilder, type LatencySketch } from './latency-sketch';

/**
 * Token sums of a group of events (all four counters and their total).
 *
 * @example
 * const tokens: TokenTotals = { input: 100, output: 20, cacheRead: 0, cacheWrite: 0, total: 120 };
 */
export interface TokenTotals {
  readonly input: number;
  readonly output: number;
  readonly cacheRead: number;
  readonly cacheWrite: number;
  readonly total: number;
}

/**
 * Exact cost sums by component ({@link Money}, femto-USD) of the priced events of a group.
 *
 * @example
 * formatUsd(aggregate.cost.total); // "0.00125"
 */
export interface CostTotals {
  readonly total: Money;
  readonly input: Money;
  readonly output: Money;
  readonly cacheRead: Money;
  readonly cacheWrite: Money;
  readonly cacheWrite1h: Money;
}

/**
 * Requests and tokens of events that have no per-token cost (unpriced, or provisioned throughput).
 *
 * @example
 * if (aggregate.unpriced.requests > 0) warn('some usage is not priced');
 */
export interface UncostedUsage {
  readonly requests: number;
  readonly tokens: number;
}

/**
 * One incident's part of an aggregate.
 *
 * @example
 * const slice: IncidentSlice = aggregate.incidents['INC-20250311-0042']!;
 */
export interface IncidentSlice {
  readonly requests: number;
  readonly errors: number;
  readonly tokens: number;
  /** Priced events only. */
  readonly cost: Money;
  readonly unpricedRequests: number;
  readonly provisionedRequests: number;
  /** ISO times of its first and last event in the bucket. */
  readonly firstTime: string;
  readonly lastTime: string;
}

/**
 * The input and cache-read sums of the events priced by one price-book entry (key `model|region|routing|from`):
 * what the dollars saved by cache reads are computed from (see the README, "Cache savings").
 *
 * @example
 * const slice: PriceSlice = aggregate.byPrice['anthropic.claude-3-5-haiku-20241022-v1:0|us-east-1|in-region|2024-11-04']!;
 */
export interface PriceSlice {
  readonly inputTokens: number;
  readonly inputCost: Money;
  readonly cacheReadTokens: number;
  readonly cacheReadCost: Money;
}

/**
 * Everything the reports need about one hour × agent × model, as a pure function of that group's events
 * ({@link aggregateBucket}); never incremented, always recomputed from the events, so duplicates and late events
 * cannot corrupt it.
 *
 * @example
 * const [aggregate] = aggregateBucket(eventsOfOneHour);
 * formatUsd(aggregate.cost.total);
 */
export interface UsageAggregate {
  /** Start of the hour, ISO-8601 UTC (`2025-03-11T10:00:00.000Z`). */
  readonly bucket: string;
  /** UTC day of the bucket (`2025-03-11`). */
  readonly day: string;
  readonly agentId: string;
  /** `resolvedModel ?? modelId` — the same model key as the store's byModelDay index. */
  readonly model: string;
  /** Distinct events (by eventId). */
  readonly requests: number;
  readonly successes: number;
  /** Events with outcome `error` (Bedrock answered with an exception). */
  readonly errors: number;
  /** Events with outcome `rejected` (billed, but the usage could not be read). */
  readonly rejected: number;
  /** `errorCode` → count, for `error` outcomes (`Unknown` when there is none). */
  readonly errorsByCode: Readonly<Record<string, number>>;
  readonly tokens: TokenTotals;
  /** Events with a cost, and their tokens. */
  readonly pricedRequests: number;
  readonly pricedTokens: number;
  readonly cost: CostTotals;
  /** No cost and not provisioned, with tokens or an `unpriced` / `pricing_pending` flag — never folded into $0. */
  readonly unpriced: UncostedUsage;
  /** Flagged `provisioned`: billed per hour, not per token — never folded into $0. */
  readonly provisioned: UncostedUsage;
  readonly cacheReadRequests: number;
  readonly cacheWriteRequests: number;
  /** Priced events by price-book entry (`model|region|routing|from`); for cache savings. */
  readonly byPrice: Readonly<Record<string, PriceSlice>>;
  /** `apiLatencyMs` of every event. */
  readonly apiLatency: LatencySketch;
  /** Bedrock's own `latencyMs`, where reported. */
  readonly bedrockLatency: LatencySketch;
  /** Minute of the hour (0–59) → requests; for throughput at 1 and 5 minutes. */
  readonly requestsByMinute: Readonly<Record<string, number>>;
  /** Events with an incident, by incident id. */
  readonly incidents: Readonly<Record<string, IncidentSlice>>;
  /** Set when the aggregate changed after its day was closed (a restatement); bookkeeping, not content. */
  readonly restatedAt?: string;
}

/**
 * The identity of an aggregate: `<bucket>#<agentId>#<model>`.
 *
 * @example
 * aggregateKey(aggregate); // "2025-03-11T10:00:00.000Z#jira#amazon.nova-micro-v1:0"
 */
export function aggregateKey(aggregate: Pick<UsageAggregate, 'bucket' | 'agentId' | 'model'>): string {
  return `${aggregate.bucket}#${aggregate.agentId}#${aggregate.model}`;
}

/**
 * The hour bucket (ISO start of the UTC hour) of an event time.
 *
 * @example
 * hourBucket('2025-03-11T10:42:07.123Z'); // "2025-03-11T10:00:00.000Z"
 */
export function hourBucket(time: string): string {
  return iso(floorTo(Date.parse(time), HOUR_MS));
}

/**
 * Whether an event's usage is provisioned throughput (no per-token cost).
 *
 * @example
 * isProvisioned(event); // false
 */
export function isProvisioned(event: UsageEvent): boolean {
  return event.cost === null && event.flags.includes('provisioned');
}

/**
 * Whether an event used tokens (or was flagged) but has no cost: counted as unpriced, never as $0.
 *
 * @example
 * isUnpriced({ ...event, cost: null, flags: ['unpriced'] }); // true
 */
export function isUnpriced(event: UsageEvent): boolean {
  if (event.cost !== null || event.flags.includes('provisioned')) return false;
  return event.usage.totalTokens > 0 || event.flags.includes('unpriced') || event.flags.includes('pricing_pending');
}

/**
 * The price-book entry key of an event's price (`model|region|routing|from`), or null when unpriced.
 *
 * @example
 * priceKey(event); // "amazon.nova-micro-v1:0|us-east-1|in-region|2024-12-03"
 */
export function priceKey(event: UsageEvent): string | null {
  const ref = event.priceRef;
  return ref ? `${ref.model}|${ref.region}|${ref.routing}|${ref.from}` : null;
}

/**
 * The aggregates of some events: one per hour × agent × model they fall in. A pure function of the events:
 * duplicates (same eventId) count once (the last copy wins), order does not matter. For a stored aggregate to be
 * right, pass ALL events of its bucket (the analyzer's `refreshAggregates` does).
 *
 * @example
 * const aggregates = aggregateBucket(await store.eventsBetween(hourStart, hourEnd));
 */
export function aggregateBucket(events: Iterable<UsageEvent>): UsageAggregate[] {
  const unique = new Map<string, UsageEvent>();
  for (const event of events) unique.set(event.eventId, event);
  // Each time is parsed once, each hour formatted once: this runs over every event of every hour a refresh touches.
  const buckets = new Map<number, string>();
  const groups = new Map<string, TimedGroup>();
  for (const event of unique.values()) {
    const millis = Date.parse(event.time);
    const hour = floorTo(millis, HOUR_MS);
    let bucket = buckets.get(hour);
    if (bucket === undefined) {
      bucket = iso(hour);
      buckets.set(hour, bucket);
    }
    const key = aggregateKey({ bucket, agentId: event.agentId, model: event.resolvedModel ?? event.modelId });
    const group = groups.get(key);
    if (group) {
      group.events.push(event);
      group.millis.push(millis);
    } else groups.set(key, { bucket, hour, events: [event], millis: [millis] });
  }
  return [...groups.keys()].sort().map((key) => aggregateGroup(groups.get(key) as TimedGroup));
}

/** The events of one hour × agent × model, with their parsed times (same order). */
interface TimedGroup {
  readonly bucket: string;
  readonly hour: number;
  readonly events: UsageEvent[];
  readonly millis: number[];
}

type MutableIncidentSlice = Omit<Mutable<IncidentSlice>, 'firstTime' | 'lastTime'> & { first: number; last: number };

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function aggregateGroup(group: TimedGroup): UsageAggregate {
  const { bucket, hour, events, millis } = group;
  const first = events[0] as UsageEvent;
  const tokens: Mutable<TokenTotals> = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, total: 0 };
  const cost: Mutable<CostTotals> = { total: 0n, input: 0n, output: 0n, cacheRead: 0n, cacheWrite: 0n, cacheWrite1h: 0n };
  const unpriced: Mutable<UncostedUsage> = { requests: 0, tokens: 0 };
  const provisioned: Mutable<UncostedUsage> = { requests: 0, tokens: 0 };
  const errorsByCode = new Map<string, number>();
  const byPrice = new Map<string, Mutable<PriceSlice>>();
  const minutes = new Map<number, number>();
  const incidents = new Map<string, MutableIncidentSlice>();
  const api = new SketchBuilder();
  const bedrock = new SketchBuilder();
  let successes = 0;
  let errors = 0;
  let rejected = 0;
  let pricedRequests = 0;
  let pricedTokens = 0;
  let cacheReadRequests = 0;
  let cacheWriteRequests = 0;
  for (let i = 0; i < events.length; i++) {
    const event = events[i] as UsageEvent;
    const t = millis[i] as number;
    const usage = event.usage;
    if (event.outcome === 'success') successes += 1;
    else if (event.outcome === 'error') {
      errors += 1;
      const code = event.errorCode ?? 'Unknown';
      errorsByCode.set(code, (errorsByCode.get(code) ?? 0) + 1);
    } else rejected += 1;
    tokens.input += usage.inputTokens;
    tokens.output += usage.outputTokens;
    tokens.cacheRead += usage.cacheReadInputTokens;
    tokens.cacheWrite += usage.cacheWriteInputTokens;
    tokens.total += usage.totalTokens;
    if (usage.cacheReadInputTokens > 0) cacheReadRequests += 1;
    if (usage.cacheWriteInputTokens > 0) cacheWriteRequests += 1;
    const eventCost = event.cost;
    if (eventCost) {
      pricedRequests += 1;
      pricedTokens += usage.totalTokens;
      cost.total += eventCost.total;
      cost.input += eventCost.input;
      cost.output += eventCost.output;
      cost.cacheRead += eventCost.cacheRead;
      cost.cacheWrite += eventCost.cacheWrite;
      cost.cacheWrite1h += eventCost.cacheWrite1h;
      const key = priceKey(event);
      if (key) {
        const slice = byPrice.get(key) ?? { inputTokens: 0, inputCost: 0n, cacheReadTokens: 0, cacheReadCost: 0n };
        slice.inputTokens += usage.inputTokens;
        slice.inputCost += eventCost.input;
        slice.cacheReadTokens += usage.cacheReadInputTokens;
        slice.cacheReadCost += eventCost.cacheRead;
        byPrice.set(key, slice);
      }
    } else if (isProvisioned(event)) {
      provisioned.requests += 1;
      provisioned.tokens += usage.totalTokens;
    } else if (isUnpriced(event)) {
      unpriced.requests += 1;
      unpriced.tokens += usage.totalTokens;
    }
    api.add(event.apiLatencyMs);
    if (event.latencyMs !== null) bedrock.add(event.latencyMs);
    const minute = Math.floor((t - hour) / 60_000);
    minutes.set(minute, (minutes.get(minute) ?? 0) + 1);
    if (event.incidentId) {
      const slice = incidents.get(event.incidentId) ?? {
        requests: 0, errors: 0, tokens: 0, cost: 0n, unpricedRequests: 0, provisionedRequests: 0, first: t, last: t,
      };
      slice.requests += 1;
      if (event.outcome === 'error') slice.errors += 1;
      slice.tokens += usage.totalTokens;
      if (eventCost) slice.cost += eventCost.total;
      else if (isProvisioned(event)) slice.provisionedRequests += 1;
      else if (isUnpriced(event)) slice.unpricedRequests += 1;
      if (t < slice.first) slice.first = t;
      if (t > slice.last) slice.last = t;
      incidents.set(event.incidentId, slice);
    }
  }
  return {
    bucket,
    day: bucket.slice(0, 10),
    agentId: first.agentId,
    model: first.resolvedModel ?? first.modelId,
    requests: events.length,
    successes,
    errors,
    rejected,
    errorsByCode: sortedRecord(errorsByCode),
    tokens,
    pricedRequests,
    pricedTokens,
    cost,
    unpriced,
    provisioned,
    cacheReadRequests,
    cacheWriteRequests,
    byPrice: sortedRecord(byPrice),
    apiLatency: api.build(),
    bedrockLatency: bedrock.build(),
    requestsByMinute: sortedRecord(minutes),
    incidents: sortedRecord(
      new Map(
        [...incidents].map(([id, { first: firstMillis, last: lastMillis, ...slice }]): [string, IncidentSlice] => [
          id,
          { ...slice, firstTime: iso(firstMillis), lastTime: iso(lastMillis) },
        ]),
      ),
    ),
  };
}

function sortedRecord<K extends string | number, V>(map: ReadonlyMap<K, V>): Record<string, V> {
  const record: Record<string, V> = {};
  for (const key of [...map.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) record[String(key)] = map.get(key) as V;
  return record;
}
