import type { ErrorExtraction, RejectedExtraction } from '../extraction.types';
import { isRetryableBedrockError } from '../retryable-errors';
import type { BedrockHeaders } from './bedrock-headers';
import { exceptionNameFromBody, exceptionNameFromStatus, normaliseExceptionName } from './exception-names';
import { describeValue } from './json-value';

/** An HTTP status as a number: an integer from 100 to 599. */
export function isHttpStatus(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 100 && value <= 599;
}

/** True for 2xx. */
export function isSuccessStatus(statusCode: number): boolean {
  return statusCode >= 200 && statusCode <= 299;
}

/**
 * The exception of a non-2xx response: named by the `x-amzn-ErrorType` header up to its first colon, else by the
 * body's `__type` / `code` / `name`, else by the status.
 */
export function httpError(statusCode: number, headers: BedrockHeaders, body: unknown): ErrorExtraction {
  const error =
    normaliseExceptionName(headers.errorType) ?? exceptionNameFromBody(body) ?? exceptionNameFromStatus(statusCode);
  return { error, retryable: isRetryableBedrockError(error, statusCode), statusCode };
}

/** The rejection of a call whose status is not an HTTP status. */
export function badStatus(statusCode: unknown): RejectedExtraction {
  return { rejected: true, reason: `statusCode ${describeValue(statusCode)} is not an HTTP status (an integer from 100 to 599)` };
}

/** The rejection returned when our own code failed: extraction never throws into the host. */
export function internalFailure(error: unknown): RejectedExtraction {
  const detail = error instanceof Error ? error.message : describeValue(error);
  return { rejected: true, reason: `extraction failed on an unexpected input: ${detail.slice(0, 200)}` };
}
