import { UsageError } from '@bedrock-usage/core';

/** Error names DynamoDB answers when it refuses work for capacity: each one is a throttle. */
const THROTTLING_ERRORS = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded']);
/** Answers that say the table or the credentials are wrong: the configuration must change, retrying cannot help. */
const CONFIG_ERRORS = new Set(['ResourceNotFoundException', 'AccessDeniedException', 'UnrecognizedClientException']);

type SdkError = Error & { $metadata?: { httpStatusCode?: number }; $retryable?: unknown; code?: string };

/** The name of the error the store throws when its own request timeout aborted a request. */
export const REQUEST_TIMEOUT = 'RequestTimeout';

export function isThrottle(error: unknown): boolean {
  const status = (error as SdkError).$metadata?.httpStatusCode;
  return THROTTLING_ERRORS.has((error as SdkError).name) || status === 429;
}

export interface ClassifiedFailure {
  readonly error: UsageError;
  readonly retryable: boolean;
}

/**
 * Turns what the SDK threw into a {@link UsageError} and says whether retrying later can succeed.
 * - The server answered: throttling (429 or a throttling name), 5xx and errors the SDK marks `$retryable` are
 *   retryable; every other answer (ValidationException, missing table, access denied …) is not.
 * - The server never answered (no HTTP status): connection refused or reset, DNS, our request timeout — retryable.
 *   (Under jest, Node's errors come from another realm and the SDK wraps them without their `code`; "no HTTP status"
 *   still tells them apart from answers.)
 */
export function classifyFailure(error: unknown, operation: string, tableName: string): ClassifiedFailure {
  const sdk = error as SdkError;
  const status = sdk?.$metadata?.httpStatusCode;
  const what = `DynamoDB ${operation} on table "${tableName}"`;
  if (sdk?.name === REQUEST_TIMEOUT) {
    return { error: new UsageError('IO', `${what} got ${sdk.message} — the endpoint is stalled or overloaded`, { cause: error }), retryable: true };
  }
  if (status === undefined) {
    const code = sdk?.code ? ` (${sdk.code})` : '';
    return { error: new UsageError('IO', `${what} failed before any answer${code}: ${String(sdk?.message ?? error)} — the endpoint is unreachable`, { cause: error }), retryable: true };
  }
  const summary = `${what} failed with HTTP ${status} ${sdk.name}: ${sdk.message}`;
  if (isThrottle(error) || status >= 500 || sdk.$retryable !== undefined) {
    return { error: new UsageError('IO', `${summary} — retryable`, { cause: error }), retryable: true };
  }
  if (CONFIG_ERRORS.has(sdk.name)) {
    return { error: new UsageError('INVALID_CONFIG', `${summary} — check the table name, region and credentials (createUsageTable creates the table)`, { cause: error }), retryable: false };
  }
  return { error: new UsageError('INVALID_INPUT', `${summary} — the request was rejected and will be rejected again`, { cause: error }), retryable: false };
}

/**
 * Capped exponential backoff with full jitter (AWS's recommendation): a uniform delay in
 * [0, min(maxDelayMs, baseDelayMs × 2^(attempt−1))), where `attempt` is the attempt that was refused (1, 2, …).
 */
export function backoffDelayMs(attempt: number, baseDelayMs: number, maxDelayMs: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)));
}
