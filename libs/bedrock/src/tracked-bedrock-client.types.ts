import type { Clock, UsageRecorder } from '@bedrock-usage/core';
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
}
