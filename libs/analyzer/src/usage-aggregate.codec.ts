import { UsageError, formatUsd, parseUsd } from '@bedrock-usage/core';

import type { CostTotals, IncidentSlice, PriceSlice, UsageAggregate } from './usage-aggregate';

/**
 * The JSON form of a {@link UsageAggregate}: the same fields, every amount of money an exact decimal string of USD.
 *
 * @example
 * const record: UsageAggregateRecord = encodeUsageAggregate(aggregate);
 */
export type UsageAggregateRecord = Record<string, unknown>;

const COST_FIELDS = ['total', 'input', 'output', 'cacheRead', 'cacheWrite', 'cacheWrite1h'] as const;

/**
 * Encodes an aggregate for storage (JSON-safe; money as exact decimal strings, never floats).
 *
 * @example
 * const json = JSON.stringify(encodeUsageAggregate(aggregate));
 */
export function encodeUsageAggregate(aggregate: UsageAggregate): UsageAggregateRecord {
  const record: UsageAggregateRecord = {
    ...aggregate,
    cost: Object.fromEntries(COST_FIELDS.map((field) => [field, formatUsd(aggregate.cost[field])])),
    byPrice: mapValues(aggregate.byPrice, (slice) => ({ ...slice, inputCost: formatUsd(slice.inputCost), cacheReadCost: formatUsd(slice.cacheReadCost) })),
    incidents: mapValues(aggregate.incidents, (slice) => ({ ...slice, cost: formatUsd(slice.cost) })),
  };
  if (aggregate.restatedAt === undefined) delete record.restatedAt;
  return record;
}

/**
 * Decodes what {@link encodeUsageAggregate} wrote; throws `UsageError('INVALID_INPUT')` naming the field when the
 * record is not an aggregate.
 *
 * @example
 * const aggregate = decodeUsageAggregate(JSON.parse(item.data.S));
 */
export function decodeUsageAggregate(record: unknown): UsageAggregate {
  const r = object('aggregate', record);
  for (const field of ['bucket', 'day', 'agentId', 'model']) text(field, r[field]);
  const cost = object('cost', r.cost);
  const aggregate: Record<string, unknown> = {
    ...r,
    cost: Object.fromEntries(COST_FIELDS.map((field) => [field, money(`cost.${field}`, cost[field])])) as unknown as CostTotals,
    byPrice: mapValues(object('byPrice', r.byPrice), (value, key): PriceSlice => {
      const slice = object(`byPrice.${key}`, value);
      return { ...(slice as object), inputCost: money(`byPrice.${key}.inputCost`, slice.inputCost), cacheReadCost: money(`byPrice.${key}.cacheReadCost`, slice.cacheReadCost) } as PriceSlice;
    }),
    incidents: mapValues(object('incidents', r.incidents), (value, key): IncidentSlice => {
      const slice = object(`incidents.${key}`, value);
      return { ...(slice as object), cost: money(`incidents.${key}.cost`, slice.cost) } as IncidentSlice;
    }),
  };
  for (const field of ['apiLatency', 'bedrockLatency']) object(field, r[field]);
  for (const field of ['requests', 'successes', 'errors', 'rejected', 'pricedRequests', 'pricedTokens']) {
    if (typeof r[field] !== 'number') invalid(field, r[field], 'a number');
  }
  return aggregate as unknown as UsageAggregate;
}

/**
 * Whether two aggregates have the same content (everything but the `restatedAt` bookkeeping), compared on a
 * canonical encoding (keys sorted).
 *
 * @example
 * if (!sameAggregateContent(stored, recomputed)) await store.putAggregates([recomputed]);
 */
export function sameAggregateContent(a: UsageAggregate, b: UsageAggregate): boolean {
  return sameContent(a, b, true);
}

/**
 * Structural equality with the semantics of comparing canonical JSON encodings (key order and `undefined` entries
 * ignored, bigints by value, NaN equal to NaN), without building the strings: refreshes compare every recomputed
 * aggregate with the stored one, so this is a hot path. `top` skips the `restatedAt` bookkeeping of the aggregate.
 */
function sameContent(a: unknown, b: unknown, top = false): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameContent(a[i], b[i])) return false;
    return true;
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  let defined = 0;
  for (const key of Object.keys(left)) {
    const value = left[key];
    if (value === undefined || (top && key === 'restatedAt')) continue;
    defined += 1;
    if (!sameContent(value, right[key])) return false;
  }
  for (const key of Object.keys(right)) {
    if (right[key] === undefined || (top && key === 'restatedAt')) continue;
    defined -= 1;
  }
  return defined === 0;
}

function mapValues<A, B>(record: Readonly<Record<string, A>>, fn: (value: A, key: string) => B): Record<string, B> {
  const out: Record<string, B> = {};
  for (const [key, value] of Object.entries(record)) out[key] = fn(value, key);
  return out;
}

function object(field: string, value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) invalid(field, value, 'an object');
  return value as Record<string, unknown>;
}

function text(field: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') invalid(field, value, 'a non-empty string');
  return value as string;
}

function money(field: string, value: unknown): bigint {
  if (typeof value !== 'string') invalid(field, value, 'a decimal string of USD');
  return parseUsd(value as string);
}

function invalid(field: string, value: unknown, allowed: string): never {
  throw new UsageError('INVALID_INPUT', `stored usage aggregate field "${field}" is ${String(JSON.stringify(value) ?? value).slice(0, 60)} — expected ${allowed}`);
}
