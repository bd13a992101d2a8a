import { parseUsd } from '@bedrock-usage/core';
import type { Money, PriceRef, PriceRouting } from '@bedrock-usage/core';
import type { PriceEntry, PriceListing } from '../pricing.types';
import type { EntryOrigin } from './price-entry-validation';

const ALL_ROUTINGS: readonly PriceRouting[] = ['in-region', 'geo', 'global'];
const TOKENS_PER_QUOTE = 1_000_000n;

/** Per-token rates of one price in femto-USD (exact); null where the entry has no rate. */
export interface TokenRates {
  readonly input: Money;
  readonly output: Money;
  readonly cacheRead: Money | null;
  readonly cacheWrite: Money | null;
  readonly cacheWrite1h: Money | null;
  readonly batchInput: Money | null;
  readonly batchOutput: Money | null;
}

/** One price in force from `fromMs` for one model, region and routing class; everything precomputed. */
export interface DatedPrice {
  readonly fromMs: number;
  readonly rates: TokenRates;
  readonly ref: PriceRef;
  readonly listing: PriceListing;
}

/** model → region → routing → prices sorted newest first. */
export type PriceTable = Map<string, Map<string, Partial<Record<PriceRouting, DatedPrice[]>>>>;

/** Per-token femto-USD of a validated "USD per 1M tokens" decimal (≤ 9 decimals, so exact). */
export function perTokenFemto(perMillion: string): Money {
  const perMillionFemto = parseUsd(perMillion);
  // Validation allows at most 9 decimals per 1M tokens, so this division has no remainder.
  return perMillionFemto / TOKENS_PER_QUOTE;
}

function optionalRate(value: string | undefined): Money | null {
  return value === undefined ? null : perTokenFemto(value);
}

/** Adds (or, for the same model + region + routing + from, replaces) the cells of validated entries. */
export function addEntries(table: PriceTable, entries: readonly PriceEntry[], origin: EntryOrigin): void {
  for (const entry of entries) {
    const rates: TokenRates = Object.freeze({
      input: perTokenFemto(entry.input),
      output: perTokenFemto(entry.output),
      cacheRead: optionalRate(entry.cacheRead),
      cacheWrite: optionalRate(entry.cacheWrite),
      cacheWrite1h: optionalRate(entry.cacheWrite1h),
      batchInput: optionalRate(entry.batchInput),
      batchOutput: optionalRate(entry.batchOutput),
    });
    const [y, m, d] = entry.from.split('-').map(Number);
    const fromMs = Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1);
    let byRegion = table.get(entry.model);
    if (!byRegion) {
      byRegion = new Map();
      table.set(entry.model, byRegion);
    }
    for (const region of entry.regions) {
      let byRouting = byRegion.get(region);
      if (!byRouting) {
        byRouting = {};
        byRegion.set(region, byRouting);
      }
      for (const routing of entry.routing ?? ALL_ROUTINGS) {
        const price: DatedPrice = Object.freeze({
          fromMs,
          rates,
          ref: Object.freeze({ model: entry.model, region, routing, from: entry.from, source: entry.source }),
          listing: Object.freeze(listingOf(entry, region, routing, origin)),
        });
        const prices = (byRouting[routing] ??= []);
        const same = prices.findIndex((p) => p.fromMs === fromMs);
        if (same >= 0) prices[same] = price;
        else prices.push(price);
        prices.sort((a, b) => b.fromMs - a.fromMs);
      }
    }
  }
}

/** The price in force at `atMs` (newest `from` ≤ the day of `atMs`), or undefined. */
export function priceAt(prices: readonly DatedPrice[], atMs: number): DatedPrice | undefined {
  for (const price of prices) {
    if (price.fromMs <= atMs) return price;
  }
  return undefined;
}

/** Earliest effective date of a list, for messages. */
export function earliestFrom(prices: readonly DatedPrice[]): string | undefined {
  return prices[prices.length - 1]?.ref.from;
}


function listingOf(entry: PriceEntry, region: string, routing: PriceRouting, origin: EntryOrigin): PriceListing {
  const row: { -readonly [K in keyof PriceListing]: PriceListing[K] } = {
    model: entry.model,
    region,
    routing,
    from: entry.from,
    input: entry.input,
    output: entry.output,
    source: entry.source,
    asOf: entry.asOf,
    origin,
  };
  if (entry.name !== undefined) row.name = entry.name;
  if (entry.cacheRead !== undefined) row.cacheRead = entry.cacheRead;
  if (entry.cacheWrite !== undefined) row.cacheWrite = entry.cacheWrite;
  if (entry.cacheWrite1h !== undefined) row.cacheWrite1h = entry.cacheWrite1h;
  if (entry.batchInput !== undefined) row.batchInput = entry.batchInput;
  if (entry.batchOutput !== undefined) row.batchOutput = entry.batchOutput;
  if (entry.note !== undefined) row.note = entry.note;
  return row;
}
