import type { Money, TokenUsage, UsageCost, UsageFlag } from '@bedrock-usage/core';
import { modelKeyCandidates } from './internal/model-key';
import { validateDocumentOnce } from './internal/built-in-book';
import { validateEntryList } from './internal/price-entry-validation';
import { addEntries, earliestFrom, priceAt } from './internal/price-table';
import type { PriceTable, TokenRates } from './internal/price-table';
import { resolveModelId } from './model-id';
import type {
  InferenceProfileResolver,
  ModelResolution,
  PriceBookOptions,
  PriceEntry,
  PriceListing,
  PriceRequest,
  PriceResult,
} from './pricing.types';

const RESOLUTION_CACHE_LIMIT = 1024;
const UNPRICED: readonly UsageFlag[] = Object.freeze(['unpriced']);
const PENDING: readonly UsageFlag[] = Object.freeze(['pricing_pending']);
const PROVISIONED: readonly UsageFlag[] = Object.freeze(['provisioned']);
const FAILED: readonly UsageFlag[] = Object.freeze(['tracking_error', 'unpriced']);
const NO_FLAGS: readonly UsageFlag[] = Object.freeze([]);
const HINT = 'add it to pricing overrides (BEDROCK_USAGE_PRICING_FILE) or run "cli price --list"';

/**
 * Dated, regional Bedrock prices and the exact cost of a call (see ARCHITECTURE.md invariants 4 and 5).
 *
 * Prices are looked up by model, source region, routing class (`in-region` / `geo` / `global`) and the
 * event's time; costs are bigint femto-USD, never floats. `price()` never throws: an unknown model, a region
 * without a price, an unresolved application profile or a provisioned-throughput ARN give `cost: null` and a
 * flag, never $0. Construction validates every entry and throws `UsageError('INVALID_PRICE_BOOK')`.
 *
 * @example
 * const book = PriceBook.builtIn({ overrides: parsePriceOverrides(JSON.parse(text)) });
 * const { cost } = book.price({
 *   modelId: 'us.anthropic.claude-3-5-haiku-20241022-v1:0',
 *   region: 'us-east-1',
 *   at: Date.now(),
 *   usage: tokenUsage({ inputTokens: 1000, outputTokens: 500 }),
 * });
 * formatUsd(cost!.total) // "0.0028"
 */
export class PriceBook {
  readonly #table: PriceTable = new Map();
  readonly #resolver: InferenceProfileResolver | undefined;
  readonly #resolutions = new Map<string, ModelResolution>();

  /**
   * A book of `entries` (validated here), with `options.overrides` merged over them.
   * Throws `UsageError('INVALID_PRICE_BOOK')` listing every invalid entry.
   *
   * @example
   * const book = new PriceBook([
   *   { model: 'acme.custom-v1', from: '2025-01-01', regions: ['us-east-1'], input: '1', output: '2',
   *     source: 'contract ACME-42', asOf: '2025-01-01' },
   * ]);
   */
  constructor(entries: readonly PriceEntry[], options: PriceBookOptions = {}) {
    addEntries(this.#table, validateEntryList(entries, 'built-in'), 'built-in');
    if (options.overrides) {
      addEntries(this.#table, validateEntryList(options.overrides.prices, 'override'), 'override');
    }
    this.#resolver = options.resolver;
  }

  /**
   * The book shipped with this library (see README for models, regions and sources), with optional
   * overrides merged over it and an optional application-profile resolver.
   *
   * @example
   * const book = PriceBook.builtIn({ resolver: new ConfigInferenceProfileResolver(config.profiles) });
   */
  static builtIn(options: PriceBookOptions = {}): PriceBook {
    return new PriceBook(validateDocumentOnce(), options);
  }

  /**
   * Resolves a model id, profile id or ARN against this book: `kind: 'model'` only when the book has the model
   * (context-window and version variants map to the priced key), else `unknown`.
   *
   * @example
   * book.resolve('arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0')
   * // { kind: 'model', model: 'amazon.nova-micro-v1:0', routing: 'in-region', profileRegion: 'us-east-1' }
   */
  resolve(modelId: string): ModelResolution {
    const cached = this.#resolutions.get(modelId);
    if (cached) return cached;
    const resolution = this.#resolveUncached(modelId);
    if (this.#resolutions.size >= RESOLUTION_CACHE_LIMIT) this.#resolutions.clear();
    this.#resolutions.set(modelId, resolution);
    return resolution;
  }

  /**
   * The exact cost of one call. Never throws; `cost` is null (with a flag and a `reason`) when the call cannot
   * be priced: unknown model or region, pending application profile, provisioned throughput, a token kind the
   * price has no rate for, or an event before the model's first price.
   *
   * @example
   * book.price({ modelId: 'anthropic.claude-3-5-sonnet-20241022-v2:0', region: 'us-east-1',
   *   at: '2025-03-01T12:00:00Z', usage: tokenUsage({ inputTokens: 1000, outputTokens: 500 }) }).cost?.total
   * // 10_500_000_000_000n (0.0105 USD)
   */
  price(request: PriceRequest): PriceResult {
    try {
      return this.#price(request);
    } catch (error) {
      return {
        resolvedModel: null,
        cost: null,
        priceRef: null,
        flags: FAILED,
        reason: `pricing failed: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
  }

  /**
   * Every price in the book (built-in and overrides, merged), one row per model, region, routing class and
   * effective date, sorted — for `cli price --list`.
   *
   * @example
   * for (const row of book.list()) console.log(row.model, row.region, row.routing, row.from, row.input, row.output);
   */
  list(): readonly PriceListing[] {
    const rows: PriceListing[] = [];
    for (const byRegion of this.#table.values()) {
      for (const byRouting of byRegion.values()) {
        for (const prices of Object.values(byRouting)) {
          for (const price of prices ?? []) rows.push(price.listing);
        }
      }
    }
    return rows.sort(
      (a, b) =>
        compare(a.model, b.model) || compare(a.region, b.region) || compare(a.routing, b.routing) || compare(a.from, b.from),
    );
  }

  #resolveUncached(modelId: string): ModelResolution {
    const syntactic = resolveModelId(modelId);
    if (syntactic.kind !== 'model') return syntactic;
    for (const key of modelKeyCandidates(syntactic.model)) {
      if (this.#table.has(key)) return key === syntactic.model ? syntactic : { ...syntactic, model: key };
    }
    return { kind: 'unknown', modelId };
  }

  #price(request: PriceRequest): PriceResult {
    let resolution = this.resolve(request.modelId);
    let pendingArn: string | undefined;
    if (resolution.kind === 'application-profile') {
      const arn = resolution.arn;
      const target = this.#lookupProfile(arn);
      if (target === undefined) {
        this.#requestProfile(arn);
        return {
          resolvedModel: null,
          cost: null,
          priceRef: null,
          flags: PENDING,
          pendingProfileArn: arn,
          reason: this.#resolver
            ? `application inference profile "${arn}" is not resolved yet — it is priced once the resolver knows its model`
            : `application inference profile "${arn}" names no model and no InferenceProfileResolver is configured — map it in config`,
        };
      }
      resolution = this.resolve(target);
      pendingArn = arn;
      if (resolution.kind === 'application-profile' || resolution.kind === 'provisioned') {
        return unpriced(null, `application inference profile "${arn}" maps to "${target}", which is not a model id`);
      }
    }
    if (resolution.kind === 'provisioned') {
      return {
        resolvedModel: null,
        cost: null,
        priceRef: null,
        flags: PROVISIONED,
        reason: `"${resolution.arn}" is provisioned throughput, billed per model-unit hour, not per token`,
      };
    }
    if (resolution.kind === 'unknown') {
      const via = pendingArn ? ` (from application inference profile "${pendingArn}")` : '';
      return unpriced(null, `Unknown model "${resolution.modelId}"${via} — ${HINT}`);
    }

    const model = resolution.model;
    const region = resolution.profileRegion ?? request.region;
    const routing = resolution.routing;
    const prices = this.#table.get(model)?.get(region)?.[routing];
    if (!prices || prices.length === 0) {
      return unpriced(model, `No price for "${model}" in region "${region}" (${routing} routing) — ${HINT}`);
    }
    const atMs = toEpochMs(request.at);
    if (atMs === undefined) {
      return unpriced(model, `"at" is ${JSON.stringify(request.at)}: not an ISO-8601 time or epoch milliseconds`);
    }
    const price = priceAt(prices, atMs);
    if (!price) {
      return unpriced(
        model,
        `No price for "${model}" in "${region}" (${routing}) before ${earliestFrom(prices) ?? '?'} — add a dated override for earlier events`,
      );
    }
    const costed = costOf(request.usage, price.rates, request.mode === 'batch');
    if (typeof costed === 'string') return unpriced(model, `"${model}" in "${region}" (${routing}): ${costed}`);
    return { resolvedModel: model, cost: costed, priceRef: price.ref, flags: NO_FLAGS };
  }

  #lookupProfile(arn: string): string | undefined {
    try {
      return this.#resolver?.lookup(arn);
    } catch {
      return undefined;
    }
  }

  #requestProfile(arn: string): void {
    try {
      this.#resolver?.request(arn);
    } catch {
      // A resolver that fails must not fail the agent's call; the event stays pending.
    }
  }
}

function unpriced(resolvedModel: string | null, reason: string): PriceResult {
  return { resolvedModel, cost: null, priceRef: null, flags: UNPRICED, reason };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function toEpochMs(at: string | number): number | undefined {
  const ms = typeof at === 'number' ? at : typeof at === 'string' ? Date.parse(at) : Number.NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

function count(value: number | undefined, name: string): bigint | string {
  if (value === undefined) return 0n;
  if (!Number.isSafeInteger(value) || value < 0) return `usage field "${name}" is ${String(value)}, not a token count`;
  return BigInt(value);
}

/** Exact cost by component, or why it cannot be priced. */
function costOf(usage: TokenUsage, rates: TokenRates, batch: boolean): UsageCost | string {
  const input = count(usage.inputTokens, 'inputTokens');
  const output = count(usage.outputTokens, 'outputTokens');
  const cacheRead = count(usage.cacheReadInputTokens, 'cacheReadInputTokens');
  const cacheWriteAll = count(usage.cacheWriteInputTokens, 'cacheWriteInputTokens');
  const cacheWrite1h = count(usage.cacheWrite1hTokens, 'cacheWrite1hTokens');
  for (const value of [input, output, cacheRead, cacheWriteAll, cacheWrite1h]) {
    if (typeof value === 'string') return value;
  }
  const [i, o, r, w, w1h] = [input, output, cacheRead, cacheWriteAll, cacheWrite1h] as bigint[];
  if (w1h! > w!) return `cacheWrite1hTokens (${w1h}) exceeds cacheWriteInputTokens (${w})`;
  const w5m = w! - w1h!;

  const inputRate = batch ? rates.batchInput : rates.input;
  const outputRate = batch ? rates.batchOutput : rates.output;
  if (inputRate === null || outputRate === null) return 'no batch price in the book for this model';
  if (batch && (r! > 0n || w! > 0n)) return 'no batch price for cache reads or writes in the book';

  const parts = {
    input: component(i!, inputRate, 'input'),
    output: component(o!, outputRate, 'output'),
    cacheRead: component(r!, rates.cacheRead, 'cache read'),
    cacheWrite: component(w5m, rates.cacheWrite, 'cache write (5 m)'),
    cacheWrite1h: component(w1h!, rates.cacheWrite1h, 'cache write (1 h)'),
  };
  for (const value of Object.values(parts)) {
    if (typeof value === 'string') return value;
  }
  const money = parts as Record<keyof typeof parts, Money>;
  return {
    input: money.input,
    output: money.output,
    cacheRead: money.cacheRead,
    cacheWrite: money.cacheWrite,
    cacheWrite1h: money.cacheWrite1h,
    total: money.input + money.output + money.cacheRead + money.cacheWrite + money.cacheWrite1h,
  };
}

function component(tokens: bigint, rate: Money | null, what: string): Money | string {
  if (tokens === 0n) return 0n;
  if (rate === null) return `${tokens} ${what} tokens but the price has no ${what} rate`;
  return tokens * rate;
}

