import { createHash } from 'node:crypto';

import type { StandInJsonResponse, StandInRequest, StandInResponder, StandInResponse } from './bedrock-stand-in.types';
import { PromptCache, cachePrefix } from './internal/prompt-cache';
import {
  converseUsage,
  invokeBody,
  invokeStreamChunks,
  modelFamily,
  type SimulatedCompletion,
} from './internal/model-families';

/**
 * Options of {@link createDefaultBedrockResponder}.
 *
 * @example
 * createDefaultBedrockResponder({ completion: 'COMPLETION-MARKER', cache: 'write' });
 * createDefaultBedrockResponder({ now: () => clock.now() }); // cache TTLs on a test clock
 */
export interface DefaultBedrockResponderOptions {
  /** The completion every call answers with (cut to the request's max-tokens setting). @default a fixed sentence */
  readonly completion?: string;
  /**
   * What a request that marks a cache point (Anthropic `cache_control`, Converse/Nova `cachePoint`) reports for its
   * prefix (tools, system, messages up to the last cache point; ≈ its JSON length / 4 tokens):
   * - `'auto'`: the first call with a given prefix (per model) writes the cache, calls within the TTL (5 min, or
   *   1 h for `ttl: '1h'`) read it and refresh the TTL; after it, the next call writes again;
   * - `'read'` / `'write'`: always a read / always a write.
   * @default 'auto'
   */
  readonly cache?: 'auto' | 'read' | 'write';
  /** The clock cache TTLs are measured on (ms since the epoch). @default Date.now */
  readonly now?: () => number;
}

const DEFAULT_COMPLETION =
  'The deployment failed because the health check on port 8080 timed out; roll back to the previous task definition and raise the grace period to 60 seconds.';

const STATUS_BY_EXCEPTION: Readonly<Record<string, number>> = {
  AccessDeniedException: 403,
  InternalServerException: 500,
  ModelErrorException: 424,
  ModelNotReadyException: 429,
  ModelStreamErrorException: 424,
  ModelTimeoutException: 408,
  ResourceNotFoundException: 404,
  ServiceQuotaExceededException: 400,
  ServiceUnavailableException: 503,
  ThrottlingException: 429,
  ValidationException: 400,
};

/**
 * A Bedrock error response: the status Bedrock uses for `name`, `x-amzn-ErrorType: <name>:<namespace>` and `{message}`.
 *
 * @example
 * standIn.respondWith(() => bedrockErrorResponse('ThrottlingException', 'Too many requests'));
 */
export function bedrockErrorResponse(name: string, message = `${name} from the Bedrock stand-in`, status?: number): StandInJsonResponse {
  return {
    status: status ?? STATUS_BY_EXCEPTION[name] ?? 400,
    headers: { 'x-amzn-ErrorType': `${name}:http://internal.amazon.com/coral/com.amazon.bedrock/` },
    body: { message },
  };
}

function maxTokens(body: unknown): number | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as Record<string, Record<string, unknown> | undefined>;
  const candidates = [
    b['max_tokens'],
    b['max_gen_len'],
    b['inferenceConfig']?.['maxTokens'],
    b['inferenceConfig']?.['max_new_tokens'],
    b['textGenerationConfig']?.['maxTokenCount'],
  ];
  const found = candidates.find((value) => typeof value === 'number' && Number.isInteger(value) && value > 0);
  return found as number | undefined;
}

function splitDeltas(text: string): string[] {
  const words = text.split(/(?<= )/);
  const deltas: string[] = [];
  for (let i = 0; i < words.length; i += 4) deltas.push(words.slice(i, i + 4).join(''));
  return deltas.length > 0 ? deltas : [''];
}

function simulate(request: StandInRequest, options: DefaultBedrockResponderOptions, cache: PromptCache): SimulatedCompletion {
  const json = typeof request.body === 'string' ? request.body : JSON.stringify(request.body ?? '');
  const promptTokens = Math.max(1, Math.ceil(json.length / 4));
  const prefix = cachePrefix(request.foundationModelId, request.body);
  const cached = prefix === undefined ? 0 : Math.min(prefix.tokens, promptTokens - 1);
  const mode = options.cache ?? 'auto';
  const cacheWrite = cached > 0 && prefix !== undefined && (mode === 'auto' ? cache.use(prefix, (options.now ?? Date.now)()) === 'write' : mode === 'write');
  let text = options.completion ?? DEFAULT_COMPLETION;
  let outputTokens = Math.max(1, Math.ceil(text.length / 4));
  const limit = maxTokens(request.body);
  const truncated = limit !== undefined && outputTokens > limit;
  if (truncated) {
    text = text.slice(0, limit * 4);
    outputTokens = limit;
  }
  if (modelFamily(request.foundationModelId) === 'titan-embed') {
    text = '';
    outputTokens = 0;
  }
  const inputTokens = promptTokens - cached;
  return {
    modelId: request.foundationModelId,
    id: `msg_bdrk_${createHash('sha256').update(json).digest('hex').slice(0, 24)}`,
    inputTokens,
    outputTokens,
    cacheReadInputTokens: cacheWrite ? 0 : cached,
    cacheWriteInputTokens: cacheWrite ? cached : 0,
    text,
    deltas: splitDeltas(text),
    truncated,
    invocationLatency: 180 + 9 * outputTokens + Math.floor(promptTokens / 50),
    firstByteLatency: 120 + Math.floor(promptTokens / 50),
  };
}

/**
 * A responder answering every API with a plausible, model-family-appropriate body (Anthropic, Nova, Titan, Llama,
 * Mistral shapes) and deterministic usage derived from the request size: input ≈ request JSON length / 4 tokens,
 * output ≈ completion length / 4 (cut to the request's max tokens); InvokeModel carries the
 * `X-Amzn-Bedrock-*` headers, streams end with `amazon-bedrock-invocationMetrics` / a Converse `metadata` event.
 * A request marking a cache point writes, then (within the TTL) reads its prefix from the responder's own cache,
 * reported in the family's fields (Anthropic `cache_creation_input_tokens` / `cache_read_input_tokens`, Nova
 * `cache{Read,Write}InputTokenCount`, Converse `cache{Read,Write}InputTokens`, the cache headers and stream metrics).
 *
 * @example
 * const standIn = await startBedrockStandIn({ responder: createDefaultBedrockResponder({ completion: 'MARKER-42' }) });
 */
export function createDefaultBedrockResponder(options: DefaultBedrockResponderOptions = {}): StandInResponder {
  const cache = new PromptCache();
  return (request: StandInRequest): StandInResponse => {
    const c = simulate(request, options, cache);
    const family = modelFamily(request.foundationModelId);
    switch (request.api) {
      case 'InvokeModel':
        return {
          status: 200,
          headers: {
            'X-Amzn-Bedrock-Input-Token-Count': String(c.inputTokens),
            'X-Amzn-Bedrock-Output-Token-Count': String(c.outputTokens),
            'X-Amzn-Bedrock-Cache-Read-Input-Token-Count': String(c.cacheReadInputTokens),
            'X-Amzn-Bedrock-Cache-Write-Input-Token-Count': String(c.cacheWriteInputTokens),
            'X-Amzn-Bedrock-Invocation-Latency': String(c.invocationLatency),
          },
          body: invokeBody(family, c),
        };
      case 'InvokeModelWithResponseStream':
        return { stream: invokeStreamChunks(family, c).map((chunk) => ({ chunk })) };
      case 'Converse':
        return {
          status: 200,
          body: {
            output: { message: { role: 'assistant', content: [{ text: c.text }] } },
            stopReason: c.truncated ? 'max_tokens' : 'end_turn',
            usage: converseUsage(c),
            metrics: { latencyMs: c.invocationLatency },
          },
        };
      case 'ConverseStream':
        return {
          stream: [
            { event: 'messageStart', payload: { role: 'assistant' } },
            ...c.deltas.map((text) => ({ event: 'contentBlockDelta' as const, payload: { delta: { text }, contentBlockIndex: 0 } })),
            { event: 'contentBlockStop', payload: { contentBlockIndex: 0 } },
            { event: 'messageStop', payload: { stopReason: c.truncated ? 'max_tokens' : 'end_turn' } },
            { event: 'metadata', payload: { usage: converseUsage(c), metrics: { latencyMs: c.invocationLatency } } },
          ],
        };
    }
  };
}

/**
 * {@link createDefaultBedrockResponder} with its defaults, one instance for the whole process (so one prompt cache:
 * a stand-in started without a responder gets a fresh one of its own instead).
 *
 * @example
 * standIn.respondWith(defaultBedrockResponder);
 */
export const defaultBedrockResponder: StandInResponder = createDefaultBedrockResponder();
