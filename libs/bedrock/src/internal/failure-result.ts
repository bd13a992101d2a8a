import type { BedrockApi } from '@bedrock-usage/core';
import {
  extractUsage,
  isRetryableBedrockError,
  startStreamExtraction,
  type ErrorExtraction,
  type ExtractionResult,
} from '@bedrock-usage/extraction';

import type { Attempt } from './call-state';

/** Codes of failures where no (complete) HTTP response arrived and a new attempt may succeed. */
const TRANSIENT_NETWORK = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ERR_HTTP2_STREAM_ERROR',
  'ERR_HTTP2_SESSION_ERROR',
  'ERR_HTTP2_GOAWAY_SESSION',
  'ERR_HTTP2_STREAM_CANCEL',
  'ERR_HTTP2_INVALID_SESSION',
  'TimeoutError',
  'RequestTimeout',
]);

const STREAM_APIS: ReadonlySet<BedrockApi> = new Set(['InvokeModelWithResponseStream', 'ConverseStream']);

/** A failed call's result, with `statusCode` optional (a failure before any response has none). */
export type FailureResult = ExtractionResult | (Omit<ErrorExtraction, 'statusCode'> & { readonly statusCode?: number });

function ownName(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { name, code } = error as { name?: unknown; code?: unknown };
  if (typeof name === 'string' && name !== 'Error' && name.length > 0) return name;
  if (typeof code === 'string' && code.length > 0) return code;
  return undefined;
}

/** The names along an error's `cause` chain, outermost first (the SDK wraps network errors: "AWS SDK error wrapper"). */
function namesOf(error: unknown): string[] {
  const names: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const name = ownName(current);
    if (name !== undefined) names.push(name);
    current = (current as { cause?: unknown }).cause;
  }
  return names;
}

/** The root cause's name (`ECONNREFUSED` rather than `ERR_HTTP2_STREAM_CANCEL` or a wrapper's generic `Error`). */
function nameOf(error: unknown): string {
  return namesOf(error).at(-1) ?? 'UnknownError';
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/** An exception modelled by the stream's union (`ThrottlingException`, `modelStreamErrorException` …), not a network failure. */
export function isStreamException(error: unknown): boolean {
  return /^[A-Za-z]+Exception$/.test(nameOf(error));
}

/** The exception event `{ "<camelCaseName>": {message} }` the stream would have carried. */
export function exceptionEvent(error: unknown): Record<string, unknown> {
  const name = nameOf(error);
  const payload: Record<string, unknown> = { message: (error as { message?: unknown }).message ?? '' };
  const original = (error as { originalStatusCode?: unknown }).originalStatusCode;
  if (typeof original === 'number') payload['originalStatusCode'] = original;
  return { [name.charAt(0).toLowerCase() + name.slice(1)]: payload };
}

/** A failure the SDK reported while no readable Bedrock exception applies (network, abort, timeout). */
export function networkFailure(error: unknown, statusCode?: number): FailureResult {
  const name = nameOf(error);
  const retryable = namesOf(error).some((n) => TRANSIENT_NETWORK.has(n)) || isRetryableBedrockError(name, statusCode);
  return statusCode === undefined ? { error: name, retryable } : { error: name, retryable, statusCode };
}

/**
 * What a `send` (or one of its retried attempts) that threw amounts to:
 * - an HTTP error response → extraction reads `x-amzn-ErrorType` and the status;
 * - a stream whose first event was an exception (the SDK throws it from `send`) → that exception event;
 * - a 2xx response the SDK could not parse → rejected (Bedrock answered and may have billed);
 * - no response at all → the error's name, retryable when transient.
 */
export function failureResult(api: BedrockApi, modelId: string, attempt: Attempt | undefined, error: unknown): FailureResult {
  const statusCode = attempt?.statusCode ?? statusOf(error);
  const headers = attempt?.headers ?? {};
  if (statusCode !== undefined && (statusCode < 200 || statusCode > 299)) {
    const result = extractUsage({ api, modelId, statusCode, headers, body: { __type: nameOf(error) } });
    return 'error' in result ? result : networkFailure(error, statusCode);
  }
  if (statusCode !== undefined && STREAM_APIS.has(api) && isStreamException(error)) {
    const stream = startStreamExtraction({ api: api as 'InvokeModelWithResponseStream' | 'ConverseStream', modelId, statusCode, headers });
    stream.push(exceptionEvent(error));
    return stream.finish({ complete: true });
  }
  if (statusCode !== undefined) {
    return { rejected: true, reason: `Bedrock answered HTTP ${statusCode} but the SDK could not read the response (${nameOf(error)})` };
  }
  return networkFailure(error);
}
