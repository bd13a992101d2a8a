import { isRecord } from './json-value';

/** The raw values of the response headers extraction reads (names matched case-insensitively). */
export interface BedrockHeaders {
  inputTokens: unknown;
  outputTokens: unknown;
  cacheReadInputTokens: unknown;
  cacheWriteInputTokens: unknown;
  invocationLatency: unknown;
  errorType: unknown;
}

/** Canonical header names, used in rejection reasons. */
export const HEADER_NAMES = {
  inputTokens: 'X-Amzn-Bedrock-Input-Token-Count',
  outputTokens: 'X-Amzn-Bedrock-Output-Token-Count',
  cacheReadInputTokens: 'X-Amzn-Bedrock-Cache-Read-Input-Token-Count',
  cacheWriteInputTokens: 'X-Amzn-Bedrock-Cache-Write-Input-Token-Count',
  invocationLatency: 'X-Amzn-Bedrock-Invocation-Latency',
  errorType: 'x-amzn-ErrorType',
} as const;

// The shortest name read here is `x-amzn-errortype`; shorter names and names not starting with x are skipped
// without being lower-cased.
const MIN_NAME_LENGTH = 16;

/**
 * One pass over the headers: each name that may matter is lower-cased once and matched with a switch (no regex,
 * no map built per call). When a name occurs twice in different cases, the first occurrence wins.
 */
export function readBedrockHeaders(headers: unknown): BedrockHeaders {
  const found: BedrockHeaders = {
    inputTokens: undefined,
    outputTokens: undefined,
    cacheReadInputTokens: undefined,
    cacheWriteInputTokens: undefined,
    invocationLatency: undefined,
    errorType: undefined,
  };
  if (!isRecord(headers)) return found;
  for (const name of Object.keys(headers)) {
    if (name.length < MIN_NAME_LENGTH) continue;
    const first = name.charCodeAt(0);
    if (first !== 120 && first !== 88) continue; // 'x' | 'X'
    const value = headers[name];
    switch (name.toLowerCase()) {
      case 'x-amzn-bedrock-input-token-count':
        if (found.inputTokens === undefined) found.inputTokens = value;
        break;
      case 'x-amzn-bedrock-output-token-count':
        if (found.outputTokens === undefined) found.outputTokens = value;
        break;
      case 'x-amzn-bedrock-cache-read-input-token-count':
        if (found.cacheReadInputTokens === undefined) found.cacheReadInputTokens = value;
        break;
      case 'x-amzn-bedrock-cache-write-input-token-count':
        if (found.cacheWriteInputTokens === undefined) found.cacheWriteInputTokens = value;
        break;
      case 'x-amzn-bedrock-invocation-latency':
        if (found.invocationLatency === undefined) found.invocationLatency = value;
        break;
      case 'x-amzn-errortype':
        if (found.errorType === undefined) found.errorType = value;
        break;
      default:
        break;
    }
  }
  return found;
}
