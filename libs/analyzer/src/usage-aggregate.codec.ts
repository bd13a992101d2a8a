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
  const strip = (aggregate: UsageAggregate): string => {
    const record = encodeUsageAggregate(aggregate);
    delete record.restatedAt;
    return canonicalJson(record);
  };
  return strip(a) === strip(b);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`;
  }
  return JSON.stringify(value);
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
