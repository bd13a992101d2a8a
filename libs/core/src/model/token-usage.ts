/** The four Bedrock token counters, with the total always recomputed from them. */
export interface TokenUsage {
  /** Uncached input tokens: never includes cache reads or writes. */
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadInputTokens: number;
  /** All cache writes, whatever their TTL (the split is below when known). */
  readonly cacheWriteInputTokens: number;
  /** input + output + cacheRead + cacheWrite, always recomputed. */
  readonly totalTokens: number;
  /** Part of `cacheWriteInputTokens` written with the 5-minute TTL, when the response says. */
  readonly cacheWrite5mTokens?: number;
  /** Part of `cacheWriteInputTokens` written with the 1-hour TTL (priced higher), when the response says. */
  readonly cacheWrite1hTokens?: number;
}

/** The largest count Bedrock reports (a signed 32-bit integer). */
export const MAX_TOKEN_COUNT = 2_147_483_647;

/**
 * Builds a {@link TokenUsage} with `totalTokens` recomputed.
 *
 * @example
 * tokenUsage({ inputTokens: 10, outputTokens: 5 }).totalTokens // 15
 */
export function tokenUsage(parts: Partial<Omit<TokenUsage, 'totalTokens'>>): TokenUsage {
  const inputTokens = parts.inputTokens ?? 0;
  const outputTokens = parts.outputTokens ?? 0;
  const cacheReadInputTokens = parts.cacheReadInputTokens ?? 0;
  const cacheWriteInputTokens = parts.cacheWriteInputTokens ?? 0;
  const usage: { -readonly [K in keyof TokenUsage]: TokenUsage[K] } = {
    inputTokens,
    outputTokens,
    cacheReadInputTokens,
    cacheWriteInputTokens,
    totalTokens: inputTokens + outputTokens + cacheReadInputTokens + cacheWriteInputTokens,
  };
  if (parts.cacheWrite5mTokens !== undefined) usage.cacheWrite5mTokens = parts.cacheWrite5mTokens;
  if (parts.cacheWrite1hTokens !== undefined) usage.cacheWrite1hTokens = parts.cacheWrite1hTokens;
  return usage;
}

/** No tokens at all (error responses). */
export const ZERO_USAGE: TokenUsage = Object.freeze(tokenUsage({}));
