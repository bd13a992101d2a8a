import type { ErrorExtraction, ExtractionResult, StreamExtraction, StreamStart } from './extraction.types';
import { type BedrockHeaders, readBedrockHeaders } from './internal/bedrock-headers';
import { streamException } from './internal/exception-names';
import { absentReading, type FieldReading, latest, reading } from './internal/field-reading';
import { badStatus, httpError, internalFailure, isHttpStatus, isSuccessStatus } from './internal/http-error';
import { field, isRecord } from './internal/json-value';
import { type CacheWriteSplit, type ProviderUsage, readAmazonCamel, readProviderUsage } from './internal/provider-usage';
import { parseLatency, parseTokenCount } from './internal/token-count';
import { estimateUsage, resolveUsage, type UsageReadings } from './internal/usage-resolution';
import { isRetryableBedrockError } from './retryable-errors';

const METRICS_KEY = 'amazon-bedrock-invocationMetrics';

// InvokeModelWithResponseStream: the last chunk's `amazon-bedrock-invocationMetrics`
// {inputTokenCount, outputTokenCount, invocationLatency, firstByteLatency} and, with prompt caching,
// {cacheReadInputTokenCount, cacheWriteInputTokenCount}. Sources:
// https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_InvokeModelWithResponseStream.html ;
// run-llama/LlamaIndexTS packages/community/src/llm/bedrock/types.ts (InvocationMetrics) ;
// langchain-ai/langchain-aws unit test of _get_invocation_metrics_chunk (cacheRead/WriteInputTokenCount).
const METRIC_LABELS = {
  input: `${METRICS_KEY}.inputTokenCount`,
  output: `${METRICS_KEY}.outputTokenCount`,
  cacheRead: `${METRICS_KEY}.cacheReadInputTokenCount`,
  cacheWrite: `${METRICS_KEY}.cacheWriteInputTokenCount`,
} as const;

// ConverseStream: the final `metadata` event {usage: TokenUsage, metrics: {latencyMs}}.
// https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStreamMetadataEvent.html
const METADATA_LABELS = {
  input: 'metadata usage.inputTokens',
  output: 'metadata usage.outputTokens',
  cacheRead: 'metadata usage.cacheReadInputTokens',
  cacheWrite: 'metadata usage.cacheWriteInputTokens',
} as const;

const PROVIDER_LABELS = {
  input: 'stream events input count',
  output: 'stream events output count',
  cacheRead: 'stream events cache read count',
  cacheWrite: 'stream events cache write count',
} as const;

/**
 * The incremental accumulator. It keeps a few counters and short descriptions, never an event or its text, so
 * memory stays constant whatever the length of the stream.
 */
class StreamAccumulator implements StreamExtraction {
  #converse = false;
  #statusCode: unknown;
  #headers: BedrockHeaders = readBedrockHeaders(undefined);
  #error: ErrorExtraction | undefined;
  #failure: unknown;
  /** The final metrics (InvokeModelWithResponseStream) or the `metadata` usage (ConverseStream) arrived. */
  #final = false;
  #finalInput: FieldReading = absentReading(METRIC_LABELS.input);
  #finalOutput: FieldReading = absentReading(METRIC_LABELS.output);
  #finalCacheRead: FieldReading = absentReading(METRIC_LABELS.cacheRead);
  #finalCacheWrite: FieldReading = absentReading(METRIC_LABELS.cacheWrite);
  #eventsInput: FieldReading = absentReading(PROVIDER_LABELS.input);
  #eventsOutput: FieldReading = absentReading(PROVIDER_LABELS.output);
  #eventsCacheRead: FieldReading = absentReading(PROVIDER_LABELS.cacheRead);
  #eventsCacheWrite: FieldReading = absentReading(PROVIDER_LABELS.cacheWrite);
  #finalSplit: CacheWriteSplit | undefined;
  #eventsSplit: CacheWriteSplit | undefined;
  #latencyMs: number | null = null;
  #firstByteLatencyMs: number | undefined;

  constructor(start: unknown) {
    try {
      this.#converse = field(start, 'api') === 'ConverseStream';
      this.#statusCode = field(start, 'statusCode');
      this.#headers = readBedrockHeaders(field(start, 'headers'));
      if (this.#converse) {
        this.#finalInput = absentReading(METADATA_LABELS.input);
        this.#finalOutput = absentReading(METADATA_LABELS.output);
        this.#finalCacheRead = absentReading(METADATA_LABELS.cacheRead);
        this.#finalCacheWrite = absentReading(METADATA_LABELS.cacheWrite);
      }
    } catch (error) {
      this.#failure = error; // e.g. a getter that throws: reported by finish(), never thrown
    }
  }

  push(event: unknown): void {
    if (this.#error !== undefined || this.#failure !== undefined) return;
    try {
      this.#push(event);
    } catch (error) {
      this.#failure = error;
    }
  }

  finish(_options: { readonly complete: boolean }): ExtractionResult {
    try {
      return this.#finish();
    } catch (error) {
      return internalFailure(error);
    }
  }

  #push(event: unknown): void {
    const exception = streamException(event);
    if (exception !== undefined) {
      const original = field(exception.payload, 'originalStatusCode');
      // The status is the one the SDK reported for the call (200 for an exception inside a stream) unless the
      // event carries the model's originalStatusCode (ModelStreamErrorException).
      const statusCode = isHttpStatus(original) ? original : isHttpStatus(this.#statusCode) ? this.#statusCode : 200;
      this.#error = { error: exception.name, retryable: isRetryableBedrockError(exception.name, statusCode), statusCode };
      return;
    }
    if (!isRecord(event)) return;
    if (this.#converse) {
      this.#pushConverse(event);
      return;
    }
    const metrics = field(event, METRICS_KEY);
    if (isRecord(metrics)) this.#pushMetrics(metrics);
    // Provider events, fallback and truncation estimate: the chunk itself (Llama, Titan, Anthropic message_delta,
    // OpenAI-style usage), message_start.message (Anthropic), metadata (Nova), response (Cohere stream-end).
    this.#absorb(readProviderUsage(event, 'unknown', 'chunk '));
    const message = field(event, 'message');
    if (isRecord(message)) this.#absorb(readProviderUsage(message, 'unknown', 'chunk message.'));
    const metadata = field(event, 'metadata');
    if (isRecord(metadata)) this.#absorb(readAmazonCamel(field(metadata, 'usage'), 'chunk metadata.'));
    const response = field(event, 'response');
    if (isRecord(response)) this.#absorb(readProviderUsage(response, 'unknown', 'chunk response.'));
  }

  #pushMetrics(metrics: Readonly<Record<string, unknown>>): void {
    this.#final = true;
    this.#finalInput = latest(this.#finalInput, reading(METRIC_LABELS.input, field(metrics, 'inputTokenCount')));
    this.#finalOutput = latest(this.#finalOutput, reading(METRIC_LABELS.output, field(metrics, 'outputTokenCount')));
    this.#finalCacheRead = latest(
      this.#finalCacheRead,
      reading(METRIC_LABELS.cacheRead, field(metrics, 'cacheReadInputTokenCount')),
    );
    this.#finalCacheWrite = latest(
      this.#finalCacheWrite,
      reading(METRIC_LABELS.cacheWrite, field(metrics, 'cacheWriteInputTokenCount')),
    );
    const latency = parseLatency(field(metrics, 'invocationLatency'));
    if (latency !== null) this.#latencyMs = latency;
    const firstByte = parseTokenCount(field(metrics, 'firstByteLatency'));
    if (firstByte !== undefined) this.#firstByteLatencyMs = firstByte;
  }

  #pushConverse(event: Readonly<Record<string, unknown>>): void {
    const metadata = field(event, 'metadata');
    if (!isRecord(metadata)) return; // messageStart, contentBlock*, messageStop carry no usage; `p` is padding
    const usage = field(metadata, 'usage');
    if (isRecord(usage)) {
      this.#final = true;
      const read = readAmazonCamel(usage, 'metadata ');
      this.#finalInput = latest(this.#finalInput, read.inputTokens);
      this.#finalOutput = latest(this.#finalOutput, read.outputTokens);
      this.#finalCacheRead = latest(this.#finalCacheRead, read.cacheReadInputTokens);
      this.#finalCacheWrite = latest(this.#finalCacheWrite, read.cacheWriteInputTokens);
      if (read.cacheWriteSplit !== undefined) this.#finalSplit = read.cacheWriteSplit;
    }
    const latency = parseLatency(field(field(metadata, 'metrics'), 'latencyMs'));
    if (latency !== null) this.#latencyMs = latency;
  }

  /** Cumulative counters: a later valid value replaces the earlier one, never adds to it. */
  #absorb(usage: ProviderUsage): void {
    if (usage.family === 'none') return;
    this.#eventsInput = latest(this.#eventsInput, usage.inputTokens);
    this.#eventsOutput = latest(this.#eventsOutput, usage.outputTokens);
    this.#eventsCacheRead = latest(this.#eventsCacheRead, usage.cacheReadInputTokens);
    this.#eventsCacheWrite = latest(this.#eventsCacheWrite, usage.cacheWriteInputTokens);
    if (usage.cacheWriteSplit !== undefined) this.#eventsSplit = usage.cacheWriteSplit;
  }

  #finish(): ExtractionResult {
    if (this.#failure !== undefined && this.#statusCode === undefined) return internalFailure(this.#failure);
    if (!isHttpStatus(this.#statusCode)) return badStatus(this.#statusCode);
    if (!isSuccessStatus(this.#statusCode)) return httpError(this.#statusCode, this.#headers, undefined);
    if (this.#error !== undefined) return this.#error;
    if (this.#failure !== undefined) return internalFailure(this.#failure);
    const source = this.#converse ? 'converse' : 'stream-metrics';
    if (!this.#final) {
      return estimateUsage({
        inputTokens: [this.#eventsInput],
        outputTokens: [this.#eventsOutput],
        cacheReadInputTokens: [this.#eventsCacheRead],
        cacheWriteInputTokens: [this.#eventsCacheWrite],
        cacheWriteSplit: this.#eventsSplit,
        latencyMs: this.#latencyMs,
        firstByteLatencyMs: this.#firstByteLatencyMs,
        sources: ['stream-events'],
        mixedSource: 'stream-events',
      });
    }
    const readings: UsageReadings = {
      inputTokens: [this.#finalInput, this.#eventsInput],
      outputTokens: [this.#finalOutput, this.#eventsOutput],
      cacheReadInputTokens: [this.#finalCacheRead, this.#eventsCacheRead],
      cacheWriteInputTokens: [this.#finalCacheWrite, this.#eventsCacheWrite],
      cacheWriteSplit: this.#finalSplit ?? this.#eventsSplit,
      latencyMs: this.#latencyMs,
      firstByteLatencyMs: this.#firstByteLatencyMs,
      sources: [source, 'stream-events'],
      mixedSource: source,
    };
    return resolveUsage(readings);
  }
}

/**
 * Starts accounting one live stream (InvokeModelWithResponseStream or ConverseStream), event by event, in constant
 * memory. Feed each decoded event to `push` (in the fixture format) and call `finish` once the stream ends or the
 * consumer stops. Neither method throws, whatever the events are.
 *
 * - The final metrics win (`amazon-bedrock-invocationMetrics`, or ConverseStream's `metadata`), field by field;
 *   the provider's own stream events are the fallback. Cumulative counters are replaced, never summed (Anthropic
 *   `message_delta.usage.output_tokens` replaces `message_start`'s).
 * - Without the final metrics, the best estimate from what arrived is returned, flagged `truncated`
 *   (and also `usage_missing` when no count arrived at all).
 * - An exception event (`{"throttlingException": {…}}`) gives `{ error: 'ThrottlingException', retryable, statusCode }`.
 *
 * @example
 * const stream = startStreamExtraction({ api: 'InvokeModelWithResponseStream', modelId, statusCode: 200, headers });
 * for await (const chunk of body) stream.push(JSON.parse(decode(chunk.chunk.bytes)));
 * const result = stream.finish({ complete: true }); // { inputTokens: 23, outputTokens: 38, …, usageSource: 'stream-metrics' }
 */
export function startStreamExtraction(start: StreamStart): StreamExtraction {
  return new StreamAccumulator(start);
}
