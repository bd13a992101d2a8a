import type { BedrockApi, TokenUsage } from '@bedrock-usage/core';

/**
 * One raw Bedrock runtime call, in the shape of shared/fixtures/bedrock: `body` is the parsed JSON body,
 * an array of decoded stream events for the two stream APIs, or a string when the body is not JSON.
 */
export interface RawBedrockCall {
  readonly api: BedrockApi;
  readonly modelId: string;
  readonly statusCode: number;
  /** Response headers; names are matched case-insensitively. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** Where the counts of a successful extraction came from. */
export type UsageSource =
  | 'headers'
  | 'body'
  | 'headers+body'
  | 'stream-metrics'
  | 'stream-events'
  | 'converse'
  | 'none';

/** Flags extraction can raise (a subset of core's UsageFlag). */
export type ExtractionFlag = 'usage_missing' | 'truncated';

/** Bedrock answered with usage. */
export interface UsageExtraction extends TokenUsage {
  /** Bedrock's invocation latency, or null when the response does not carry one. */
  readonly latencyMs: number | null;
  readonly firstByteLatencyMs?: number;
  readonly usageSource: UsageSource;
  readonly flags: readonly ExtractionFlag[];
}

/** Bedrock answered with an exception (HTTP error, or an exception event inside a stream). */
export interface ErrorExtraction {
  /** The exception name, e.g. `ThrottlingException`. */
  readonly error: string;
  readonly retryable: boolean;
  readonly statusCode: number;
}

/** The usage could not be read; `reason` names the field. */
export interface RejectedExtraction {
  readonly rejected: true;
  readonly reason: string;
}

export type ExtractionResult = UsageExtraction | ErrorExtraction | RejectedExtraction;

/** The head of a streamed call, known before its first event. */
export interface StreamStart {
  readonly api: 'InvokeModelWithResponseStream' | 'ConverseStream';
  readonly modelId: string;
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Accounts a stream event by event, keeping only counters (never the text), so a stream is never buffered whole.
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
