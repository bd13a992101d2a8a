import type { PriceRef, PriceRouting, TokenUsage, UsageCost, UsageFlag } from '@bedrock-usage/core';

/** What a model id, profile id or ARN names, before any price is looked up. */
export type ModelResolution =
  /** A base model id, or a system/cross-region inference profile naming one. */
  | { readonly kind: 'model'; readonly model: string; readonly routing: PriceRouting; readonly profileRegion?: string }
  /** An application inference profile ARN: it names no model; a resolver must say which. */
  | { readonly kind: 'application-profile'; readonly arn: string }
  /** A provisioned-throughput ARN: billed per hour, not per token. */
  | { readonly kind: 'provisioned'; readonly arn: string }
  | { readonly kind: 'unknown'; readonly modelId: string };

export interface PriceRequest {
  /** As called: base id, `us.`/`eu.`/`apac.`/`jp.`/`au.`/`us-gov.`/`global.` profile id, or ARN. */
  readonly modelId: string;
  /** The region the client called. */
  readonly region: string;
  /** When the call happened; the price in force then is used. ISO-8601 string or epoch ms. */
  readonly at: string | number;
  readonly usage: TokenUsage;
}

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
}

/**
 * Maps application inference-profile ARNs to the model they route to. `lookup` must answer from memory
 * (it runs on the agent's call path); `request` asks for a resolution in the background and must not block.
 */
export interface InferenceProfileResolver {
  lookup(arn: string): string | undefined;
  request(arn: string): void;
}
