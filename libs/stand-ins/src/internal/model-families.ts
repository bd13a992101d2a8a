/** Model-family request/response shapes for the default responder (the public model docs' field names). */

export type ModelFamily = 'anthropic' | 'nova' | 'titan-text' | 'titan-embed' | 'llama' | 'mistral' | 'generic';

/** What one simulated completion amounts to. */
export interface SimulatedCompletion {
  readonly modelId: string;
  readonly id: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadInputTokens: number;
  readonly cacheWriteInputTokens: number;
  readonly text: string;
  /** The completion split into the deltas a stream sends. */
  readonly deltas: readonly string[];
  readonly truncated: boolean;
  readonly invocationLatency: number;
  readonly firstByteLatency: number;
}

const GEO_PREFIX = /^(us|eu|apac|jp|au|ca|us-gov|global)\./;

/** The base model id of a model id, system profile id or foundation-model ARN. */
export function baseModelId(modelId: string): string {
  const afterSlash = modelId.startsWith('arn:') ? modelId.slice(modelId.lastIndexOf('/') + 1) : modelId;
  return afterSlash.replace(GEO_PREFIX, '');
}

export function modelFamily(modelId: string): ModelFamily {
  const base = baseModelId(modelId);
  if (base.startsWith('anthropic.')) return 'anthropic';
  if (base.startsWith('amazon.nova')) return 'nova';
  if (base.startsWith('amazon.titan-embed')) return 'titan-embed';
  if (base.startsWith('amazon.titan')) return 'titan-text';
  if (base.startsWith('meta.')) return 'llama';
  if (base.startsWith('mistral.')) return 'mistral';
  return 'generic';
}

function invocationMetrics(c: SimulatedCompletion): Record<string, number> {
  const metrics: Record<string, number> = {
    inputTokenCount: c.inputTokens,
    outputTokenCount: c.outputTokens,
    invocationLatency: c.invocationLatency,
    firstByteLatency: c.firstByteLatency,
  };
  if (c.cacheReadInputTokens > 0) metrics['cacheReadInputTokenCount'] = c.cacheReadInputTokens;
  if (c.cacheWriteInputTokens > 0) metrics['cacheWriteInputTokenCount'] = c.cacheWriteInputTokens;
  return metrics;
}

/** The InvokeModel response body of `family`. */
export function invokeBody(family: ModelFamily, c: SimulatedCompletion): object {
  switch (family) {
    case 'anthropic':
      return {
        id: c.id,
        type: 'message',
        role: 'assistant',
        model: baseModelId(c.modelId).replace(/^anthropic\./, '').replace(/-v\d+(:\d+)?$/, ''),
        content: [{ type: 'text', text: c.text }],
        stop_reason: c.truncated ? 'max_tokens' : 'end_turn',
        stop_sequence: null,
        usage: {
          input_tokens: c.inputTokens,
          output_tokens: c.outputTokens,
          cache_creation_input_tokens: c.cacheWriteInputTokens,
          cache_read_input_tokens: c.cacheReadInputTokens,
        },
      };
    case 'nova':
      return {
        output: { message: { role: 'assistant', content: [{ text: c.text }] } },
        stopReason: c.truncated ? 'max_tokens' : 'end_turn',
        usage: {
          inputTokens: c.inputTokens,
          outputTokens: c.outputTokens,
          totalTokens: c.inputTokens + c.outputTokens + c.cacheReadInputTokens + c.cacheWriteInputTokens,
          cacheReadInputTokenCount: c.cacheReadInputTokens,
          cacheWriteInputTokenCount: c.cacheWriteInputTokens,
        },
      };
    case 'titan-text':
      return {
        inputTextTokenCount: c.inputTokens,
        results: [{ tokenCount: c.outputTokens, outputText: c.text, completionReason: c.truncated ? 'LENGTH' : 'FINISH' }],
      };
    case 'titan-embed':
      return { embedding: [0.0125, -0.0311, 0.0442, 0.0071, -0.0208, 0.0159, 0.0093, -0.0017], inputTextTokenCount: c.inputTokens };
    case 'llama':
      return {
        generation: c.text,
        prompt_token_count: c.inputTokens,
        generation_token_count: c.outputTokens,
        stop_reason: c.truncated ? 'length' : 'stop',
      };
    case 'mistral':
    case 'generic':
      return { outputs: [{ text: c.text, stop_reason: c.truncated ? 'length' : 'stop' }] };
  }
}

/** Output tokens sent so far after delta `index` (cumulative, never above the total). */
function outputSoFar(c: SimulatedCompletion, index: number): number {
  return Math.min(c.outputTokens, Math.ceil(((index + 1) * c.outputTokens) / c.deltas.length));
}

/** The InvokeModelWithResponseStream chunks of `family`; the last carries `amazon-bedrock-invocationMetrics`. */
export function invokeStreamChunks(family: ModelFamily, c: SimulatedCompletion): object[] {
  const metrics = { 'amazon-bedrock-invocationMetrics': invocationMetrics(c) };
  const last = c.deltas.length - 1;
  switch (family) {
    case 'anthropic':
      return [
        {
          type: 'message_start',
          message: {
            id: c.id,
            type: 'message',
            role: 'assistant',
            model: baseModelId(c.modelId).replace(/^anthropic\./, '').replace(/-v\d+(:\d+)?$/, ''),
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: {
              input_tokens: c.inputTokens,
              output_tokens: 1,
              cache_creation_input_tokens: c.cacheWriteInputTokens,
              cache_read_input_tokens: c.cacheReadInputTokens,
            },
          },
        },
        { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
        ...c.deltas.map((text) => ({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } })),
        { type: 'content_block_stop', index: 0 },
        {
          type: 'message_delta',
          delta: { stop_reason: c.truncated ? 'max_tokens' : 'end_turn', stop_sequence: null },
          usage: { output_tokens: c.outputTokens },
        },
        { type: 'message_stop', ...metrics },
      ];
    case 'nova':
      return [
        { messageStart: { role: 'assistant' } },
        ...c.deltas.map((text) => ({ contentBlockDelta: { delta: { text }, contentBlockIndex: 0 } })),
        { contentBlockStop: { contentBlockIndex: 0 } },
        { messageStop: { stopReason: c.truncated ? 'max_tokens' : 'end_turn' } },
        {
          metadata: {
            usage: {
              inputTokens: c.inputTokens,
              outputTokens: c.outputTokens,
              cacheReadInputTokenCount: c.cacheReadInputTokens,
              cacheWriteInputTokenCount: c.cacheWriteInputTokens,
            },
            metrics: {},
            trace: {},
          },
          ...metrics,
        },
      ];
    case 'titan-text':
    case 'titan-embed':
      return c.deltas.map((outputText, i) => ({
        outputText,
        index: 0,
        totalOutputTextTokenCount: outputSoFar(c, i),
        completionReason: i === last ? (c.truncated ? 'LENGTH' : 'FINISH') : null,
        inputTextTokenCount: c.inputTokens,
        ...(i === last ? metrics : {}),
      }));
    case 'llama':
      return c.deltas.map((generation, i) => ({
        generation,
        prompt_token_count: i === 0 ? c.inputTokens : null,
        generation_token_count: outputSoFar(c, i),
        stop_reason: i === last ? (c.truncated ? 'length' : 'stop') : null,
        ...(i === last ? metrics : {}),
      }));
    case 'mistral':
    case 'generic':
      return c.deltas.map((text, i) => ({
        outputs: [{ text, stop_reason: i === last ? (c.truncated ? 'length' : 'stop') : null }],
        ...(i === last ? metrics : {}),
      }));
  }
}

/** Converse's `usage` object. */
export function converseUsage(c: SimulatedCompletion): object {
  return {
    inputTokens: c.inputTokens,
    outputTokens: c.outputTokens,
    totalTokens: c.inputTokens + c.outputTokens + c.cacheReadInputTokens + c.cacheWriteInputTokens,
    cacheReadInputTokens: c.cacheReadInputTokens,
    cacheWriteInputTokens: c.cacheWriteInputTokens,
  };
}
