import type { Money } from './money';
import type { TokenUsage } from './token-usage';

/** The four Bedrock runtime call shapes. */
export const BEDROCK_APIS = ['InvokeModel', 'InvokeModelWithResponseStream', 'Converse', 'ConverseStream'] as const;
export type BedrockApi = (typeof BEDROCK_APIS)[number];

/** success: Bedrock answered with usage; error: Bedrock answered with an exception; rejected: the usage could not be read. */
export type UsageOutcome = 'success' | 'error' | 'rejected';

/**
 * Marks on an event that a report must not hide.
 * - `usage_missing`: a successful response carried no usage anywhere (counted as zeros).
 * - `truncated`: a stream ended before its final metrics; counts are the best estimate from what arrived.
 * - `extraction_rejected`: Bedrock answered (and billed) but no valid count could be read.
 * - `unpriced`: no price for this model and region; cost is null, never $0.
 * - `pricing_pending`: an application inference profile not yet resolved; priced when it is.
 * - `provisioned`: provisioned throughput, billed per hour, not per token; cost is null.
 * - `tracking_error`: our own code failed while accounting this call (the agent's call was unaffected).
 * - `synthetic`: not a Bedrock call — a probe written by `cli doctor` to prove the write path; stored like any
 *   event, excluded from every report.
 */
export type UsageFlag =
  | 'usage_missing'
  | 'truncated'
  | 'extraction_rejected'
  | 'unpriced'
  | 'pricing_pending'
  | 'provisioned'
  | 'tracking_error'
  | 'synthetic';

/** Cost of one call by component, exact (see {@link Money}). */
export interface UsageCost {
  readonly total: Money;
  readonly input: Money;
  readonly output: Money;
  readonly cacheRead: Money;
  /** 5-minute cache writes (and writes whose TTL is not known). */
  readonly cacheWrite: Money;
  readonly cacheWrite1h: Money;
}

/** Which price-book entry priced an event, so it can be re-priced later. */
export interface PriceRef {
  /** The price book's model key, e.g. `anthropic.claude-3-5-haiku-20241022-v1:0`. */
  readonly model: string;
  readonly region: string;
  /** `in-region`, `geo` (us./eu./apac. … profiles) or `global` (global. profiles). */
  readonly routing: PriceRouting;
  /** The entry's effective date (YYYY-MM-DD). */
  readonly from: string;
  readonly source: string;
}
export type PriceRouting = 'in-region' | 'geo' | 'global';

/** One Bedrock call, as accounted. Token counts and ids only: never prompt or completion text. */
export interface UsageEvent {
  /** The Bedrock request id where present, else a generated UUID. Idempotency key of every sink. */
  readonly eventId: string;
  /** When the call completed, ISO-8601 UTC. */
  readonly time: string;
  readonly agentId: string;
  readonly incidentId?: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly api: BedrockApi;
  /** The model id, profile id or ARN as called. */
  readonly modelId: string;
  /** The price book's model, or null when it could not be resolved (yet). */
  readonly resolvedModel: string | null;
  readonly region: string;
  readonly outcome: UsageOutcome;
  readonly usage: TokenUsage;
  /** Null when unpriced, pending or provisioned — never a silent $0. */
  readonly cost: UsageCost | null;
  readonly priceRef: PriceRef | null;
  /** Bedrock's own invocation latency, when it reports one. */
  readonly latencyMs: number | null;
  /** Time to first byte of a stream, when Bedrock reports it. */
  readonly firstByteLatencyMs?: number;
  /** Wall-clock time of the call as measured by the tracked client (request sent → response or stream end). */
  readonly apiLatencyMs: number;
  readonly statusCode?: number;
  /** Exception name for `error` outcomes, e.g. `ThrottlingException`. */
  readonly errorCode?: string;
  readonly retryable?: boolean;
  /** Where the counts came from (headers, body, stream metrics …), for audits. */
  readonly usageSource?: string;
  /** For `rejected` outcomes: why the usage could not be read. */
  readonly rejectReason?: string;
  readonly flags: readonly UsageFlag[];
}
