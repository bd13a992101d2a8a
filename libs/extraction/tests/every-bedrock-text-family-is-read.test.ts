import type { RawBedrockCall } from '../src';
import { extractUsage } from '../src';

const invoke = (modelId: string, body: unknown, headers: Record<string, string> = {}): RawBedrockCall => ({
  api: 'InvokeModel',
  modelId,
  statusCode: 200,
  headers: { 'Content-Type': 'application/json', ...headers },
  body,
});

const stream = (modelId: string, events: unknown[]): RawBedrockCall => ({
  api: 'InvokeModelWithResponseStream',
  modelId,
  statusCode: 200,
  headers: { 'Content-Type': 'application/vnd.amazon.eventstream' },
  body: events,
});

const metrics = (input: number, output: number, latency = 900, firstByte = 120) => ({
  'amazon-bedrock-invocationMetrics': {
    inputTokenCount: input,
    outputTokenCount: output,
    invocationLatency: latency,
    firstByteLatency: firstByte,
  },
});

describe('every Bedrock text family is read from its own body shape', () => {
  describe('Anthropic Claude Messages', () => {
    // https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-anthropic-claude-messages-request-response.html
    // https://docs.anthropic.com/en/api/messages (usage.cache_creation TTL split)
    it('InvokeModel body: cache read and write kept out of input, TTL split kept', () => {
      // Prepare
      const call = invoke('global.anthropic.claude-sonnet-4-20250514-v1:0', {
        type: 'message',
        content: [{ type: 'text', text: 'ok' }],
        usage: {
          input_tokens: 12,
          output_tokens: 80,
          cache_read_input_tokens: 3000,
          cache_creation_input_tokens: 1500,
          cache_creation: { ephemeral_5m_input_tokens: 500, ephemeral_1h_input_tokens: 1000 },
        },
      });
      // Act
      const result = extractUsage(call);
      // Assess
      expect(result).toEqual({
        inputTokens: 12,
        outputTokens: 80,
        cacheReadInputTokens: 3000,
        cacheWriteInputTokens: 1500,
        cacheWrite5mTokens: 500,
        cacheWrite1hTokens: 1000,
        totalTokens: 4592,
        latencyMs: null,
        usageSource: 'body',
        flags: [],
      });
    });

    it('InvokeModelWithResponseStream: message_delta output replaces message_start output, metrics absent', () => {
      // Prepare: complete stream whose metrics chunk is missing (a proxy dropped it)
      const call = stream('anthropic.claude-3-haiku-20240307-v1:0', [
        { type: 'message_start', message: { usage: { input_tokens: 23, output_tokens: 1, cache_read_input_tokens: 7 } } },
        { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' } },
        { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 38 } },
        { type: 'message_stop' },
      ]);
      // Act
      const result = extractUsage(call);
      // Assess: 38, not 39; the estimate is flagged because the final metrics never came
      expect(result).toMatchObject({
        inputTokens: 23,
        outputTokens: 38,
        cacheReadInputTokens: 7,
        totalTokens: 68,
        usageSource: 'stream-events',
        flags: ['truncated'],
      });
    });
  });

  describe('Amazon Nova', () => {
    // https://docs.aws.amazon.com/nova/latest/userguide/complete-request-schema-response.html ;
    // awslabs swift-fm-playground NovaResponseBody.swift (cacheReadInputTokenCount / cacheWriteInputTokenCount)
    it('native InvokeModel body: cacheRead/WriteInputTokenCount names', () => {
      // Prepare
      const call = invoke('us.amazon.nova-pro-v1:0', {
        output: { message: { role: 'assistant', content: [{ text: 'ok' }] } },
        stopReason: 'end_turn',
        usage: { inputTokens: 40, outputTokens: 9, totalTokens: 1049, cacheReadInputTokenCount: 1000, cacheWriteInputTokenCount: 0 },
      });
      // Act
      const result = extractUsage(call);
      // Assess: totalTokens recomputed (49 + 1000 = 1049 here, it agrees)
      expect(result).toMatchObject({ inputTokens: 40, outputTokens: 9, cacheReadInputTokens: 1000, cacheWriteInputTokens: 0, totalTokens: 1049 });
    });

    it('a usage that repeats a cache count under both names counts it once', () => {
      // Prepare
      const call = invoke('amazon.nova-lite-v1:0', {
        output: { message: { content: [] } },
        usage: { inputTokens: 5, outputTokens: 5, cacheReadInputTokens: 100, cacheReadInputTokenCount: 100 },
      });
      // Act
      const result = extractUsage(call);
      // Assess
      expect(result).toMatchObject({ cacheReadInputTokens: 100, totalTokens: 110 });
    });

    it('InvokeModelWithResponseStream: metadata chunk is the fallback, invocation metrics win', () => {
      // Prepare: https://docs.aws.amazon.com/nova/latest/userguide/using-invoke-api.html (streamed chunks)
      const call = stream('us.amazon.nova-micro-v1:0', [
        { messageStart: { role: 'assistant' } },
        { contentBlockDelta: { delta: { text: 'Hello' }, contentBlockIndex: 0 } },
        { contentBlockStop: { contentBlockIndex: 0 } },
        { messageStop: { stopReason: 'end_turn' } },
        { metadata: { usage: { inputTokens: 11, outputTokens: 4 } }, ...metrics(12, 4, 310, 90) },
      ]);
      // Act
      const result = extractUsage(call);
      // Assess
      expect(result).toMatchObject({
        inputTokens: 12,
        outputTokens: 4,
        latencyMs: 310,
        firstByteLatencyMs: 90,
        usageSource: 'stream-metrics',
        flags: [],
      });
    });

    it('Converse: usage.cacheDetails gives the TTL split', () => {
      // Prepare: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_TokenUsage.html ;
      // https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_CacheDetail.html
      const call: RawBedrockCall = {
        api: 'Converse',
        modelId: 'us.amazon.nova-pro-v1:0',
        statusCode: 200,
        headers: {},
        body: {
          output: { message: { role: 'assistant', content: [{ text: 'ok' }] } },
          usage: {
            inputTokens: 20,
            outputTokens: 10,
            totalTokens: 999999,
            cacheReadInputTokens: 0,
            cacheWriteInputTokens: 300,
            cacheDetails: [
              { ttl: '1h', inputTokens: 200 },
              { ttl: '5m', inputTokens: 100 },
            ],
          },
          metrics: { latencyMs: 640 },
        },
      };
      // Act
      const result = extractUsage(call);
      // Assess: the response's totalTokens is ignored
      expect(result).toMatchObject({
        inputTokens: 20,
        cacheWriteInputTokens: 300,
        cacheWrite5mTokens: 100,
        cacheWrite1hTokens: 200,
        totalTokens: 330,
        latencyMs: 640,
        usageSource: 'converse',
      });
    });
  });

  describe('Amazon Titan', () => {
    // https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-text.html
    it('Titan Text InvokeModel: output is the sum of results[].tokenCount', () => {
      // Prepare
      const call = invoke('amazon.titan-text-express-v1', {
        inputTextTokenCount: 9,
        results: [
          { tokenCount: 5, outputText: 'a', completionReason: 'FINISH' },
          { tokenCount: 7, outputText: 'b', completionReason: 'FINISH' },
        ],
      });
      // Act / Assess
      expect(extractUsage(call)).toMatchObject({ inputTokens: 9, outputTokens: 12, totalTokens: 21 });
    });

    it('Titan Embeddings InvokeModel: input only, output is 0 (not rejected)', () => {
      // Prepare: https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-embed-text.html
      const call = invoke('amazon.titan-embed-text-v2:0', { embedding: [0.1, -0.2], inputTextTokenCount: 8 });
      // Act / Assess
      expect(extractUsage(call)).toMatchObject({ inputTokens: 8, outputTokens: 0, totalTokens: 8, usageSource: 'body' });
    });

    it('Titan Text stream: totalOutputTextTokenCount is cumulative', () => {
      // Prepare: chunks as read by traceloop/openllmetry span_utils.py (totalOutputTextTokenCount)
      const call = stream('amazon.titan-text-lite-v1', [
        { outputText: 'A', index: 0, totalOutputTextTokenCount: 3, completionReason: null, inputTextTokenCount: 14 },
        { outputText: 'B', index: 0, totalOutputTextTokenCount: 9, completionReason: 'FINISH', ...metrics(14, 9) },
      ]);
      // Act / Assess
      expect(extractUsage(call)).toMatchObject({ inputTokens: 14, outputTokens: 9, flags: [] });
    });
  });

  describe('Meta Llama', () => {
    // https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-meta.html ;
    // vercel/ai packages/core/tests/snapshots/aws-bedrock.ts (bedrockLlama2Chunks)
    it('stream without metrics: prompt_token_count once, cumulative generation_token_count, estimate flagged', () => {
      // Prepare
      const call = stream('meta.llama3-1-8b-instruct-v1:0', [
        { generation: '', prompt_token_count: 10, generation_token_count: 1, stop_reason: null },
        { generation: ' Hello', prompt_token_count: null, generation_token_count: 2, stop_reason: null },
        { generation: '.', prompt_token_count: null, generation_token_count: 3, stop_reason: 'stop' },
      ]);
      // Act / Assess: 3, not 1 + 2 + 3
      expect(extractUsage(call)).toMatchObject({ inputTokens: 10, outputTokens: 3, totalTokens: 13, flags: ['truncated'] });
    });

    it('stream with the final metrics: metrics win', () => {
      // Prepare
      const call = stream('us.meta.llama3-2-3b-instruct-v1:0', [
        { generation: 'Hi', prompt_token_count: 10, generation_token_count: 1, stop_reason: null },
        { generation: '', prompt_token_count: null, generation_token_count: 2, stop_reason: 'stop', ...metrics(10, 2, 450, 80) },
      ]);
      // Act / Assess
      expect(extractUsage(call)).toMatchObject({ inputTokens: 10, outputTokens: 2, latencyMs: 450, usageSource: 'stream-metrics' });
    });
  });

  describe('Mistral (no usage in the body)', () => {
    // https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-mistral-text-completion.html ;
    // https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-mistral-chat-completion.html
    it('text completion InvokeModel: counts come from the headers only', () => {
      // Prepare
      const call = invoke(
        'mistral.mistral-7b-instruct-v0:2',
        { outputs: [{ text: 'Paris.', stop_reason: 'stop' }] },
        { 'x-amzn-bedrock-input-token-count': '21', 'x-amzn-bedrock-output-token-count': '3', 'x-amzn-bedrock-invocation-latency': '210' },
      );
      // Act / Assess
      expect(extractUsage(call)).toMatchObject({ inputTokens: 21, outputTokens: 3, latencyMs: 210, usageSource: 'headers' });
    });

    it('chat completion InvokeModel without headers: zeros flagged usage_missing', () => {
      // Prepare
      const call = invoke('mistral.mistral-large-2407-v1:0', {
        choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
      });
      // Act / Assess
      expect(extractUsage(call)).toEqual({
        inputTokens: 0,
        outputTokens: 0,
        cacheReadInputTokens: 0,
        cacheWriteInputTokens: 0,
        totalTokens: 0,
        latencyMs: null,
        usageSource: 'none',
        flags: ['usage_missing'],
      });
    });

    it('only the input header: rejected, naming the output header and the body', () => {
      // Prepare
      const call = invoke('mistral.mixtral-8x7b-instruct-v0:1', { outputs: [{ text: 'x' }] }, { 'X-Amzn-Bedrock-Input-Token-Count': '5' });
      // Act / Assess
      expect(extractUsage(call)).toEqual({
        rejected: true,
        reason: 'X-Amzn-Bedrock-Output-Token-Count is missing and the mistral body carries no token counts',
      });
    });

    it('InvokeModelWithResponseStream: outputs chunks then the metrics', () => {
      // Prepare
      const call = stream('mistral.mistral-large-2402-v1:0', [
        { outputs: [{ text: 'Par', stop_reason: null }] },
        { outputs: [{ text: 'is', stop_reason: 'stop' }], ...metrics(16, 2) },
      ]);
      // Act / Assess
      expect(extractUsage(call)).toMatchObject({ inputTokens: 16, outputTokens: 2, usageSource: 'stream-metrics' });
    });
  });

  describe('Cohere Command R / R+', () => {
    // https://docs.cohere.com/reference/chat (meta.billed_units, meta.tokens) ;
    // traceloop/openllmetry .../bedrock/span_utils.py (_set_cohere_span_attributes reads meta.billed_units)
    it('InvokeModel body: meta.billed_units, not meta.tokens', () => {
      // Prepare
      const call = invoke('cohere.command-r-plus-v1:0', {
        response_id: 'r',
        text: 'ok',
        generation_id: 'g',
        finish_reason: 'COMPLETE',
        meta: { billed_units: { input_tokens: 17, output_tokens: 12 }, tokens: { input_tokens: 215, output_tokens: 12 } },
      });
      // Act / Assess
      expect(extractUsage(call)).toMatchObject({ inputTokens: 17, outputTokens: 12, totalTokens: 29 });
    });

    it('InvokeModel body without billed_units: meta.tokens is the fallback', () => {
      // Prepare
      const call = invoke('cohere.command-r-v1:0', { text: 'ok', meta: { tokens: { input_tokens: 30, output_tokens: 4 } } });
      // Act / Assess
      expect(extractUsage(call)).toMatchObject({ inputTokens: 30, outputTokens: 4 });
    });

    it('stream: the stream-end chunk response.meta is the fallback when metrics are missing', () => {
      // Prepare
      const call = stream('cohere.command-r-v1:0', [
        { is_finished: false, event_type: 'text-generation', text: 'Hi' },
        { is_finished: true, event_type: 'stream-end', finish_reason: 'COMPLETE', response: { text: 'Hi', meta: { billed_units: { input_tokens: 8, output_tokens: 1 } } } },
      ]);
      // Act / Assess
      expect(extractUsage(call)).toMatchObject({ inputTokens: 8, outputTokens: 1, flags: ['truncated'] });
    });
  });

  describe('AI21 Jamba', () => {
    // https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-jamba.html
    it('InvokeModel body: OpenAI-like usage.prompt_tokens / completion_tokens', () => {
      // Prepare
      const call = invoke('ai21.jamba-1-5-mini-v1:0', {
        id: 'chatcmpl-1',
        choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 44, completion_tokens: 6, total_tokens: 50 },
      });
      // Act / Assess
      expect(extractUsage(call)).toMatchObject({ inputTokens: 44, outputTokens: 6, totalTokens: 50 });
    });
  });

  describe('DeepSeek R1 (no usage in the body)', () => {
    // https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-deepseek.html ({"choices":[{"text","stop_reason"}]})
    it('InvokeModel: counts from the headers only', () => {
      // Prepare
      const call = invoke(
        'us.deepseek.r1-v1:0',
        { choices: [{ text: '<think>…</think>42', stop_reason: 'stop' }] },
        { 'X-Amzn-Bedrock-Input-Token-Count': '15', 'X-Amzn-Bedrock-Output-Token-Count': '640' },
      );
      // Act / Assess
      expect(extractUsage(call)).toMatchObject({ inputTokens: 15, outputTokens: 640, usageSource: 'headers' });
    });
  });

  describe('OpenAI gpt-oss', () => {
    // https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-openai.html (chat completion object) ;
    // https://platform.openai.com/docs/api-reference/chat/object (prompt_tokens includes prompt_tokens_details.cached_tokens)
    it('InvokeModel body: cached tokens are taken out of prompt_tokens, not added', () => {
      // Prepare
      const call = invoke('openai.gpt-oss-120b-1:0', {
        object: 'chat.completion',
        choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 1200, completion_tokens: 30, total_tokens: 1230, prompt_tokens_details: { cached_tokens: 1000 } },
      });
      // Act
      const result = extractUsage(call);
      // Assess: 200 uncached + 1000 cached + 30 output = 1230, nothing counted twice
      expect(result).toMatchObject({ inputTokens: 200, cacheReadInputTokens: 1000, outputTokens: 30, totalTokens: 1230 });
    });

    it('stream: the chunk that carries usage is the fallback', () => {
      // Prepare
      const call = stream('openai.gpt-oss-20b-1:0', [
        { object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: 'o' } }] },
        { object: 'chat.completion.chunk', choices: [], usage: { prompt_tokens: 50, completion_tokens: 2, total_tokens: 52 } },
      ]);
      // Act / Assess
      expect(extractUsage(call)).toMatchObject({ inputTokens: 50, outputTokens: 2, flags: ['truncated'] });
    });
  });

  describe('model id forms', () => {
    it('an inference-profile ARN still names the Anthropic field that is missing', () => {
      // Prepare
      const call = invoke(
        'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0',
        { type: 'message', content: [] },
        { 'X-Amzn-Bedrock-Input-Token-Count': '-1', 'X-Amzn-Bedrock-Output-Token-Count': '7' },
      );
      // Act / Assess
      expect(extractUsage(call)).toEqual({
        rejected: true,
        reason: 'X-Amzn-Bedrock-Input-Token-Count "-1" is not a non-negative integer and body usage.input_tokens is missing',
      });
    });

    it('an application inference profile (opaque id) is read from the body shape', () => {
      // Prepare
      const call = invoke('arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3', {
        generation: 'x',
        prompt_token_count: 4,
        generation_token_count: 2,
      });
      // Act / Assess
      expect(extractUsage(call)).toMatchObject({ inputTokens: 4, outputTokens: 2 });
    });
  });
});
