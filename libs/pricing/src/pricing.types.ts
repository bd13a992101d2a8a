import type { PriceRef, PriceRouting, TokenUsage, UsageCost, UsageFlag } from '@bedrock-usage/core';

/**
 * What a model id, profile id or ARN names, before any price is looked up (see {@link resolveModelId}).
 *
 * @example
 * const r: ModelResolution = { kind: 'model', model: 'amazon.nova-micro-v1:0', routing: 'geo' };
 */
export type ModelResolution =
  /** A base model id, or a system/cross-region inference profile naming one. */
  | { readonly kind: 'model'; readonly model: string; readonly routing: PriceRouting; readonly profileRegion?: string }
  /** An application inference profile ARN: it names no model; a resolver must say which. */
  | { readonly kind: 'application-profile'; readonly arn: string }
  /** A provisioned-throughput ARN: billed per hour, not per token. */
  | { readonly kind: 'provisioned'; readonly arn: string }
  | { readonly kind: 'unknown'; readonly modelId: string };

/**
 * One call to price.
 *
 * @example
 * const request: PriceRequest = { modelId: 'us.amazon.nova-lite-v1:0', region: 'us-east-1', at: Date.now(),
 *   usage: tokenUsage({ inputTokens: 1200, outputTokens: 300 }) };
 */
export interface PriceRequest {
  /** As called: base id, `us.`/`eu.`/`apac.`/`jp.`/`au.`/`us-gov.`/`global.` profile id, or ARN. */
  readonly modelId: string;
  /**
   * The region the client called (the source region: AWS prices cross-region calls by it).
   * Callers default it to the configured region, else `us-east-1`. An ARN's own region wins over it.
   */
  readonly region: string;
  /** When the call happened; the price in force then is used. ISO-8601 string or epoch ms (faster). */
  readonly at: string | number;
  readonly usage: TokenUsage;
  /**
   * `batch` prices input/output at the entry's batch rates (unpriced when it has none).
   * @default 'on-demand'
   */
  readonly mode?: PriceMode;
}

/**
 * How the call was billed: interactively, or as part of a batch inference job.
 *
 * @example
 * book.price({ ...request, mode: 'batch' satisfies PriceMode });
 */
export type PriceMode = 'on-demand' | 'batch';

/**
 * The cost of one call, or why there is none.
 *
 * @example
 * const { cost, flags, reason } = book.price(request);
 * if (!cost) log.warn({ flags, reason });
 */
export interface PriceResult {
  /** The price book's model, or null when it could not be resolved (yet). */
  readonly resolvedModel: string | null;
  /** Null when unpriced, pending or provisioned — never a silent $0. */
  readonly cost: UsageCost | null;
  readonly priceRef: PriceRef | null;
  /** `unpriced`, `pricing_pending`, `provisioned` as they apply. */
  readonly flags: readonly UsageFlag[];
  /** With `pricing_pending`: the application-profile ARN the resolver was asked to resolve. */
  readonly pendingProfileArn?: string;
  /** When `cost` is null: why, in words an operator can act on. */
  readonly reason?: string;
}

/**
 * Maps application inference-profile ARNs to the model they route to. `lookup` must answer from memory
 * (it runs on the agent's call path); `request` asks for a resolution in the background and must not block.
 *
 * @example
 * const resolver: InferenceProfileResolver = new ConfigInferenceProfileResolver({ [arn]: 'anthropic.claude-3-haiku-20240307-v1:0' });
 */
export interface InferenceProfileResolver {
  lookup(arn: string): string | undefined;
  request(arn: string): void;
}

/**
 * One dated, regional price of one model, as written in the built-in price book and in override files.
 * Every amount is a decimal string of USD per 1,000,000 tokens with at most 9 decimal places.
 *
 * @example
 * const entry: PriceEntry = { model: 'acme.custom-v1', from: '2025-06-01', regions: ['us-east-1'],
 *   input: '0.5', output: '1.5', source: 'contract ACME-42', asOf: '2025-06-01' };
 */
export interface PriceEntry {
  /** The price book's model key: a base model id without profile prefix, e.g. `amazon.nova-micro-v1:0`. */
  readonly model: string;
  /** A display name, e.g. `Amazon Nova Micro`. */
  readonly name?: string;
  /** First day (UTC, YYYY-MM-DD) this price is in force; it stays in force until a later `from`. */
  readonly from: string;
  /** The AWS regions (source regions) this price applies to. Other regions are unpriced, never guessed. */
  readonly regions: readonly string[];
  /**
   * The routing classes this price applies to: `in-region` (base id), `geo` (us./eu./apac./jp./au./us-gov.
   * profiles) and/or `global` (global. profiles).
   * @default all three
   */
  readonly routing?: readonly PriceRouting[];
  readonly input: string;
  readonly output: string;
  readonly cacheRead?: string;
  /** 5-minute cache writes (and writes whose TTL the response does not tell). */
  readonly cacheWrite?: string;
  /** 1-hour cache writes. */
  readonly cacheWrite1h?: string;
  readonly batchInput?: string;
  readonly batchOutput?: string;
  /** Where the figures come from (a URL, or a contract reference for custom prices). */
  readonly source: string;
  /** When the figures were read from the source (YYYY-MM-DD). */
  readonly asOf: string;
  /** Anything a reader must know: a disagreeing source, a derived figure. */
  readonly note?: string;
}

/**
 * A validated overrides document (see {@link parsePriceOverrides}).
 *
 * @example
 * const overrides: PriceOverrides = parsePriceOverrides(JSON.parse(fileText));
 */
export interface PriceOverrides {
  readonly prices: readonly PriceEntry[];
}

/**
 * Options of {@link PriceBook}.
 *
 * @example
 * const options: PriceBookOptions = { overrides, resolver: new ConfigInferenceProfileResolver(mapping) };
 */
export interface PriceBookOptions {
  /**
   * Custom prices merged over the entries: a price for the same model + region + routing + `from` replaces,
   * anything else is added.
   * @default none
   */
  readonly overrides?: PriceOverrides;
  /**
   * Resolves application inference-profile ARNs. Without one they stay `pricing_pending`.
   * @default none
   */
  readonly resolver?: InferenceProfileResolver;
}

/**
 * One row of {@link PriceBook.list}: one model, region, routing class and effective date.
 *
 * @example
 * book.list().filter((row: PriceListing) => row.origin === 'override');
 */
export interface PriceListing extends Omit<PriceEntry, 'regions' | 'routing'> {
  readonly region: string;
  readonly routing: PriceRouting;
  /** Whether the row comes from the built-in book or from overrides. */
  readonly origin: 'built-in' | 'override';
}
