import type { BedrockApi, Clock, UsageRecorder } from '@bedrock-usage/core';
import type { PriceRequest, PriceResult } from '@bedrock-usage/pricing';

/**
 * What the tracked client needs from pricing; `PriceBook` from @bedrock-usage/pricing satisfies it.
 *
 * @example
 * const pricer: UsagePricer = PriceBook.builtIn();
 */
export interface UsagePricer {
  price(request: PriceRequest): PriceResult;
}

/**
 * Fallback models per model id as called (Runbook 2, "switch to the fallback model"): a table, or a function of the
 * model id and API answering the chain (or undefined for none). For InvokeModel and InvokeModelWithResponseStream,
 * whose body is sent unchanged, only the chain's ids taking the same body format are tried (same provider; for
 * Amazon the same line: Nova, Titan Text, Titan Embeddings); Converse and ConverseStream try every id.
 *
 * @example
 * const fallbacks: FallbackChains = {
 *   'us.anthropic.claude-3-7-sonnet-20250219-v1:0': ['us.anthropic.claude-3-5-haiku-20241022-v1:0', 'us.amazon.nova-pro-v1:0'],
 * };
 * const byFunction: FallbackChains = (modelId, api) => (api === 'Converse' ? ['amazon.nova-lite-v1:0'] : undefined);
 */
export type FallbackChains =
  | Readonly<Record<string, readonly string[]>>
  | ((modelId: string, api: BedrockApi) => readonly string[] | undefined);

/**
 * Options of {@link trackBedrockClient}.
 *
 * @example
 * trackBedrockClient(client, { recorder, pricer: PriceBook.builtIn(), onTrackingError: (e) => metrics.count('LoggingErrors') });
 */
export interface TrackedBedrockClientOptions {
  /** Where each accounted call goes; called synchronously, exactly once per Bedrock request. */
  readonly recorder: UsageRecorder;
  readonly pricer: UsagePricer;
  /** The region calls are priced in. @default the client's configured region (resolved once), else 'us-east-1' */
  readonly region?: string;
  /** The agent of calls made outside any `withUsageContext`. @default 'unattributed' */
  readonly defaultAgentId?: string;
  /** @default systemClock */
  readonly clock?: Clock;
  /**
   * Receives our own failures (a throwing recorder or pricer, a bug of ours) — never the agent's errors, never
   * prompt or completion text. They are never thrown to the agent.
   * @default a one-line console.warn
   */
  readonly onTrackingError?: (error: unknown) => void;
  /**
   * Models to re-send a call to, in order, when the SDK gave up on it (after its own retries) with an error
   * `fallbackOn` accepts. Every attempt is its own usage event (the failed ones `outcome: 'error'` with their
   * `errorCode`, zero tokens, under the model they were sent to); the agent gets the answer of the first model that
   * answered, or the last error when every model failed. @default none
   */
  readonly fallbacks?: FallbackChains;
  /**
   * Which errors move a call to the next fallback model. @default Bedrock answered with an exception retrying can
   * cure (`ThrottlingException`, `ServiceUnavailableException`, `ModelNotReadyException`, `InternalServerException`,
   * `ModelTimeoutException` … — extraction's `isRetryableBedrockError`); never a client timeout, abort or network
   * failure (the request may have run and been billed)
   */
  readonly fallbackOn?: (error: unknown) => boolean;
}
