import type { BedrockApi, TokenUsage } from '@bedrock-usage/core';

/**
 * One raw Bedrock runtime call, in the shape of shared/fixtures/bedrock: `body` is the parsed JSON body,
 * an array of decoded stream events for the two stream APIs, or a string when the body is not JSON.
 *
 * @example
 * const call: RawBedrockCall = { api: 'Converse', modelId: 'amazon.nova-lite-v1:0', statusCode: 200, headers: {},
 *   body: { usage: { inputTokens: 612, outputTokens: 87 }, metrics: { latencyMs: 942 } } };
 */
export interface RawBedrockCall {
  readonly api: BedrockApi;
  readonly modelId: string;
  readonly statusCode: number;
  /** Response headers; names are matched case-insensitively. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/**
 * Where the counts of a successful extraction came from.
 *
 * @example
 * const source: UsageSource = 'headers+body'; // some counts from x-amzn-bedrock-* headers, the rest from the body
 */
export type UsageSource =
  | 'headers'
  | 'body'
  | 'headers+body'
  | 'stream-metrics'
  | 'stream-events'
  | 'converse'
  | 'none';

/**
 * Flags extraction can raise (a subset of core's UsageFlag).
 *
 * @example
 * const flags: ExtractionFlag[] = ['truncated']; // a stream that ended before its final metrics
 */
export type ExtractionFlag = 'usage_missing' | 'truncated';

/**
 * Bedrock answered with usage.
 *
 * @example
 * const usage: UsageExtraction = { inputTokens: 27, outputTokens: 412, cacheReadInputTokens: 5318,
 *   cacheWriteInputTokens: 0, totalTokens: 5757, latencyMs: 6241, usageSource: 'headers', flags: [] };
 */
export interface UsageExtraction extends TokenUsage {
  /** Bedrock's invocation latency, or null when the response does not carry one. */
  readonly latencyMs: number | null;
  readonly firstByteLatencyMs?: number;
  readonly usageSource: UsageSource;
  readonly flags: readonly ExtractionFlag[];
}

/**
 * Bedrock answered with an exception (HTTP error, or an exception event inside a stream).
 *
 * @example
 * const error: ErrorExtraction = { error: 'ThrottlingException', retryable: true, statusCode: 429 };
 */
export interface ErrorExtraction {
  /** The exception name, e.g. `ThrottlingException`. */
  readonly error: string;
  readonly retryable: boolean;
  readonly statusCode: number;
}

/**
 * The usage could not be read; `reason` names the field.
 *
 * @example
 * const rejected: RejectedExtraction = { rejected: true,
 *   reason: 'X-Amzn-Bedrock-Input-Token-Count "-1" is not a non-negative integer and body usage.input_tokens is missing' };
 */
export interface RejectedExtraction {
  readonly rejected: true;
  readonly reason: string;
}

/**
 * Exactly one of the three outcomes.
 *
 * @example
 * const result: ExtractionResult = extractUsage(call);
 * if ('rejected' in result) log(result.reason); else if ('error' in result) retry(result.retryable); else record(result);
 */
export type ExtractionResult = UsageExtraction | ErrorExtraction | RejectedExtraction;

/**
 * The head of a streamed call, known before its first event.
 *
 * @example
 * const start: StreamStart = { api: 'ConverseStream', modelId: 'us.anthropic.claude-3-5-haiku-20241022-v1:0',
 *   statusCode: 200, headers: {} };
 */
export interface StreamStart {
  readonly api: 'InvokeModelWithResponseStream' | 'ConverseStream';
  readonly modelId: string;
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Accounts a stream event by event, keeping only counters (never the text), so a stream is never buffered whole.
 *
 * @example
 * const stream: StreamExtraction = startStreamExtraction(start);
 * stream.push({ metadata: { usage: { inputTokens: 14, outputTokens: 61 }, metrics: { latencyMs: 1204 } } });
 * stream.finish({ complete: true });
 */
export interface StreamExtraction {
  /** One decoded event, in the fixture format. Never throws. */
  push(event: unknown): void;
  /**
   * The result. `complete: false` when the stream was cut or the consumer stopped early: without the final
   * metrics the best estimate from what arrived is returned, flagged `truncated`.
   */
  finish(options: { readonly complete: boolean }): ExtractionResult;
}
