import { normaliseExceptionName } from './internal/exception-names';

// Retrying can succeed: capacity, throttling and transient failures. The first five are the fixtures README's
// rule 5; ModelStreamErrorException is documented as "An error occurred while streaming the response. Retry your
// request." (API_runtime_InvokeModelWithResponseStream.html); the others are the AWS SDK's transient/throttling
// error codes.
const RETRYABLE = new Set([
  'ThrottlingException',
  'ServiceUnavailableException',
  'ModelTimeoutException',
  'InternalServerException',
  'ModelNotReadyException',
  'ModelStreamErrorException',
  'TooManyRequestsException',
  'RequestTimeout',
  'RequestTimeoutException',
  'InternalFailure',
]);

// Retrying the same request fails the same way. ServiceQuotaExceededException (HTTP 400: the account's quota must
// be raised first) and ModelErrorException (HTTP 424: the model failed on this input) are decisions of ours.
const NOT_RETRYABLE = new Set([
  'ValidationException',
  'AccessDeniedException',
  'ResourceNotFoundException',
  'ServiceQuotaExceededException',
  'ModelErrorException',
  'ConflictException',
  'UnrecognizedClientException',
  'ExpiredTokenException',
  'InvalidSignatureException',
]);

/**
 * Whether a Bedrock exception is worth retrying. Known names decide; an unknown name is retryable when the status
 * is 429 or 5xx, not otherwise (an unknown 4xx, or an in-stream exception that arrived with HTTP 200).
 *
 * @param name - the exception name, e.g. `ThrottlingException` (also accepted: `throttlingException`,
 *   `ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/`)
 * @param statusCode - the HTTP status, when known
 *
 * @example
 * isRetryableBedrockError('ThrottlingException'); // true
 * isRetryableBedrockError('ValidationException', 400); // false
 * isRetryableBedrockError('SomethingNewException', 502); // true
 */
export function isRetryableBedrockError(name: string, statusCode?: number): boolean {
  const normalised = normaliseExceptionName(name);
  if (normalised !== undefined) {
    if (RETRYABLE.has(normalised)) return true;
    if (NOT_RETRYABLE.has(normalised)) return false;
  }
  if (typeof statusCode !== 'number') return false;
  return statusCode === 429 || (statusCode >= 500 && statusCode <= 599);
}
