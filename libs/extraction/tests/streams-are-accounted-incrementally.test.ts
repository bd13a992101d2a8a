import type { RawBedrockCall, StreamStart } from '../src';
import { extractUsage, startStreamExtraction } from '../src';

const start: StreamStart = {
  api: 'InvokeModelWithResponseStream',
  modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
  statusCode: 200,
  headers: { 'Content-Type': 'application/vnd.amazon.eventstream' },
};

const messageStart = {
  type: 'message_start',
  message: { id: 'msg', type: 'message', role: 'assistant', content: [], usage: { input_tokens: 23, output_tokens: 1 } },
};

describe('streams are accounted event by event, with the final metrics winning', () => {
  it('a consumer that stops after message_start gets the message_start estimate, flagged truncated', () => {
    // Prepare
    const stream = startStreamExtraction(start);
    // Act
    stream.push(messageStart);
    stream.push({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Kube' } });
    const result = stream.finish({ complete: false });
    // Assess
    expect(result).toMatchObject({ inputTokens: 23, outputTokens: 1, totalTokens: 24, flags: ['truncated'], usageSource: 'stream-events' });
  });

  it('a stream with only text and no usage: zeros flagged truncated and usage_missing', () => {
    // Prepare: Mistral chunks cut before the metrics chunk
    const stream = startStreamExtraction({ ...start, modelId: 'mistral.mistral-large-2402-v1:0' });
    // Act
    stream.push({ outputs: [{ text: 'Par', stop_reason: null }] });
    const result = stream.finish({ complete: false });
    // Assess
    expect(result).toMatchObject({ totalTokens: 0, usageSource: 'none', flags: ['truncated', 'usage_missing'] });
  });

  it('the final metrics win over provider events, field by field, and their cache counts are read', () => {
    // Prepare: metrics give input/output/cache read; the provider events give cache write
    const stream = startStreamExtraction(start);
    // Act
    stream.push({ type: 'message_start', message: { usage: { input_tokens: 99, output_tokens: 1, cache_creation_input_tokens: 2210 } } });
    stream.push({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 38 } });
    stream.push({
      type: 'message_stop',
      'amazon-bedrock-invocationMetrics': {
        inputTokenCount: 14,
        outputTokenCount: 38,
        cacheReadInputTokenCount: 5000,
        invocationLatency: 734,
        firstByteLatency: 288,
      },
    });
    const result = stream.finish({ complete: true });
    // Assess
    expect(result).toEqual({
      inputTokens: 14,
      outputTokens: 38,
      cacheReadInputTokens: 5000,
      cacheWriteInputTokens: 2210,
      totalTokens: 7262,
      latencyMs: 734,
      firstByteLatencyMs: 288,
      usageSource: 'stream-metrics',
      flags: [],
    });
  });

  it('an invalid metric falls back to the provider events; invalid in both is rejected naming both', () => {
    // Prepare
    const fallsBack = startStreamExtraction(start);
    const rejected = startStreamExtraction(start);
    // Act
    fallsBack.push(messageStart);
    fallsBack.push({ type: 'message_stop', 'amazon-bedrock-invocationMetrics': { inputTokenCount: -3, outputTokenCount: 4 } });
    rejected.push({ type: 'message_stop', 'amazon-bedrock-invocationMetrics': { inputTokenCount: 'x', outputTokenCount: 4 } });
    // Assess
    expect(fallsBack.finish({ complete: true })).toMatchObject({ inputTokens: 23, outputTokens: 4 });
    expect(rejected.finish({ complete: true })).toEqual({
      rejected: true,
      reason:
        'amazon-bedrock-invocationMetrics.inputTokenCount "x" is not a non-negative integer and stream events input count is missing',
    });
  });

  it.each([
    ['throttlingException', 'ThrottlingException', true],
    ['ThrottlingException', 'ThrottlingException', true],
    ['internalServerException', 'InternalServerException', true],
    ['serviceUnavailableException', 'ServiceUnavailableException', true],
    ['modelTimeoutException', 'ModelTimeoutException', true],
    ['validationException', 'ValidationException', false],
  ])('an in-stream %s event gives %s (retryable %p) with the call status 200', (event, error, retryable) => {
    // Prepare: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ResponseStream.html
    const call: RawBedrockCall = { ...start, body: [messageStart, { [event]: { message: 'Too many tokens, please wait.' } }] };
    // Act / Assess
    expect(extractUsage(call)).toEqual({ error, retryable, statusCode: 200 });
  });

  it('a modelStreamErrorException keeps its originalStatusCode', () => {
    // Prepare: botocore ModelStreamErrorException {message, originalStatusCode, originalMessage}
    const call: RawBedrockCall = {
      ...start,
      body: [messageStart, { modelStreamErrorException: { message: 'x', originalStatusCode: 502, originalMessage: 'bad gateway' } }],
    };
    // Act / Assess
    expect(extractUsage(call)).toEqual({ error: 'ModelStreamErrorException', retryable: true, statusCode: 502 });
  });

  it('ConverseStream: the metadata event wins, padding p is ignored, cacheDetails gives the TTL split', () => {
    // Prepare: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStreamMetadataEvent.html
    const call: RawBedrockCall = {
      api: 'ConverseStream',
      modelId: 'us.anthropic.claude-3-7-sonnet-20250219-v1:0',
      statusCode: 200,
      headers: {},
      body: [
        { messageStart: { role: 'assistant', p: 'abcdef' } },
        { contentBlockDelta: { delta: { text: 'Hi' }, contentBlockIndex: 0, p: 'abc' } },
        { messageStop: { stopReason: 'end_turn', p: 'ab' } },
        {
          metadata: {
            usage: {
              inputTokens: 5,
              outputTokens: 7,
              totalTokens: 1,
              cacheWriteInputTokens: 60,
              cacheDetails: [{ ttl: '5m', inputTokens: 60 }],
            },
            metrics: { latencyMs: 400 },
            p: 'abcd',
          },
        },
      ],
    };
    // Act / Assess
    expect(extractUsage(call)).toEqual({
      inputTokens: 5,
      outputTokens: 7,
      cacheReadInputTokens: 0,
      cacheWriteInputTokens: 60,
      cacheWrite5mTokens: 60,
      cacheWrite1hTokens: 0,
      totalTokens: 72,
      latencyMs: 400,
      usageSource: 'converse',
      flags: [],
    });
  });

  it('ConverseStream cut before metadata: zeros flagged truncated and usage_missing', () => {
    // Prepare
    const stream = startStreamExtraction({ ...start, api: 'ConverseStream' });
    // Act
    stream.push({ messageStart: { role: 'assistant' } });
    // Assess
    expect(stream.finish({ complete: false })).toMatchObject({ totalTokens: 0, flags: ['truncated', 'usage_missing'] });
  });

  it('a stream that failed before its first event is the HTTP error', () => {
    // Prepare
    const stream = startStreamExtraction({
      ...start,
      statusCode: 429,
      headers: { 'X-Amzn-ErrorType': 'ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/' },
    });
    // Act / Assess
    expect(stream.finish({ complete: true })).toEqual({ error: 'ThrottlingException', retryable: true, statusCode: 429 });
  });

  it('the accumulator keeps counters, not events: a million deltas cost no memory growth', () => {
    // Prepare
    const stream = startStreamExtraction(start);
    const delta = { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'x'.repeat(100) } };
    // Act
    stream.push(messageStart);
    for (let i = 1; i <= 1_000_000; i++) {
      if (i % 100_000 === 0) stream.push({ type: 'message_delta', usage: { output_tokens: i } });
      else stream.push(delta);
    }
    const result = stream.finish({ complete: false });
    // Assess: the latest cumulative output, never a sum
    expect(result).toMatchObject({ inputTokens: 23, outputTokens: 1_000_000, flags: ['truncated'] });
  });
});
