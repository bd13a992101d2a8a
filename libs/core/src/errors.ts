/** Stable codes of {@link UsageError}; each names one kind of failure a caller can act on. */
export type UsageErrorCode =
  | 'INVALID_DECIMAL'
  | 'INVALID_CONFIG'
  | 'INVALID_PRICE_BOOK'
  | 'UNKNOWN_MODEL'
  | 'INVALID_INPUT'
  | 'IO'
  /** A sink's circuit breaker is open: the sink was not called; retry after it recovers. */
  | 'BREAKER_OPEN'
  /** The sink (or pipeline) was shut down; nothing more is accepted. */
  | 'SHUT_DOWN'
  /** A write did not complete in time. */
  | 'TIMEOUT';

/**
 * The one base error of bedrock-usage. Adapters wrap SDK errors in it (`cause` kept) and never leak them.
 *
 * @example
 * throw new UsageError('INVALID_CONFIG', 'BEDROCK_USAGE_REGION="mars" — use an AWS region such as us-east-1');
 */
export class UsageError extends Error {
  readonly code: UsageErrorCode;

  constructor(code: UsageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsageError';
    this.code = code;
  }
}
