import { MAX_TOKEN_COUNT } from '@bedrock-usage/core';

import {
  absentReading,
  type FieldReading,
  firstUsable,
  invalidReading,
  knownReading,
  reading,
} from './field-reading';
import { field, hasField, isArray, isRecord } from './json-value';
import type { ModelVendor } from './model-id';
import { isAbsent, parseTokenCount } from './token-count';

/** The body shapes whose token counts extraction knows. */
export type BodyFamily = 'anthropic' | 'openai-chat' | 'amazon-camel' | 'titan' | 'llama' | 'cohere' | 'none';

/** Cache writes split by TTL, when the response gives the split. */
export interface CacheWriteSplit {
  readonly fiveMinutes: number;
  readonly oneHour: number;
}

/** What a provider body (or one stream chunk) says about the four counters. */
export interface ProviderUsage {
  readonly family: BodyFamily;
  readonly inputTokens: FieldReading;
  readonly outputTokens: FieldReading;
  readonly cacheReadInputTokens: FieldReading;
  readonly cacheWriteInputTokens: FieldReading;
  readonly cacheWriteSplit: CacheWriteSplit | undefined;
}

const NO_CACHE_READ = absentReading('body cache read count');
const NO_CACHE_WRITE = absentReading('body cache write count');

function none(text: string): ProviderUsage {
  const missing = absentReading('body', text);
  return {
    family: 'none',
    inputTokens: missing,
    outputTokens: missing,
    cacheReadInputTokens: NO_CACHE_READ,
    cacheWriteInputTokens: NO_CACHE_WRITE,
    cacheWriteSplit: undefined,
  };
}

const NOT_JSON = none('the body is not JSON');
const NOT_OBJECT = none('the body is not a JSON object');
const NO_USAGE = none('the body carries no token counts');

/**
 * The family of a body from its shape alone, or `none`. The shape decides, not the model id, so that inference
 * profiles (`us.`, `global.`), ARNs and application inference profiles work.
 */
export function detectFamily(body: unknown): BodyFamily {
  const usage = field(body, 'usage');
  if (isRecord(usage)) {
    if (
      hasField(usage, 'input_tokens') ||
      hasField(usage, 'output_tokens') ||
      hasField(usage, 'cache_read_input_tokens') ||
      hasField(usage, 'cache_creation_input_tokens')
    ) {
      return 'anthropic';
    }
    if (hasField(usage, 'prompt_tokens') || hasField(usage, 'completion_tokens')) return 'openai-chat';
    if (hasField(usage, 'inputTokens') || hasField(usage, 'outputTokens')) return 'amazon-camel';
  }
  if (
    hasField(body, 'inputTextTokenCount') ||
    hasField(body, 'totalOutputTextTokenCount') ||
    isArray(field(body, 'results'))
  ) {
    return 'titan';
  }
  if (hasField(body, 'prompt_token_count') || hasField(body, 'generation_token_count')) return 'llama';
  const meta = field(body, 'meta');
  if (isRecord(field(meta, 'billed_units')) || isRecord(field(meta, 'tokens'))) return 'cohere';
  return 'none';
}

function familyFromVendor(vendor: ModelVendor): BodyFamily {
  switch (vendor) {
    case 'anthropic':
      return 'anthropic';
    case 'amazon-nova':
      return 'amazon-camel';
    case 'amazon-titan':
    case 'amazon-titan-embed':
      return 'titan';
    case 'meta':
      return 'llama';
    case 'cohere':
      return 'cohere';
    case 'ai21':
    case 'openai':
      return 'openai-chat';
    default:
      return 'none';
  }
}

/**
 * Reads the provider usage of an InvokeModel body (or of one decoded stream chunk). The family is detected from
 * the body's shape; when the shape shows none, the model id's vendor names the fields that were expected, so a
 * rejection can say which one is missing.
 *
 * @param prefix - how labels start, e.g. `body ` or `chunk `
 */
export function readProviderUsage(body: unknown, vendor: ModelVendor, prefix = 'body '): ProviderUsage {
  if (typeof body === 'string') return NOT_JSON;
  if (!isRecord(body)) return NOT_OBJECT;
  let family = detectFamily(body);
  if (family === 'none') family = familyFromVendor(vendor);
  switch (family) {
    case 'anthropic':
      return readAnthropic(body, prefix);
    case 'openai-chat':
      return readOpenAiChat(body, prefix);
    case 'amazon-camel':
      return readAmazonCamel(field(body, 'usage'), prefix);
    case 'titan':
      return readTitan(body, prefix, vendor === 'amazon-titan-embed');
    case 'llama':
      return readLlama(body, prefix);
    case 'cohere':
      return readCohere(body, prefix);
    default:
      return vendor === 'mistral' || vendor === 'deepseek'
        ? none(`the ${vendor} body carries no token counts`)
        : NO_USAGE;
  }
}

/**
 * Anthropic Claude Messages API body, and the `message` of a `message_start` / the `message_delta` stream events.
 * Source: https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-anthropic-claude-messages-request-response.html
 * (usage.input_tokens, output_tokens, cache_read_input_tokens, cache_creation_input_tokens) and
 * https://docs.anthropic.com/en/api/messages (usage.cache_creation.ephemeral_5m_input_tokens /
 * ephemeral_1h_input_tokens: the TTL split of cache_creation_input_tokens).
 */
function readAnthropic(body: Readonly<Record<string, unknown>>, prefix: string): ProviderUsage {
  const usage = field(body, 'usage');
  const p = `${prefix}usage.`;
  const cacheCreation = field(usage, 'cache_creation');
  return {
    family: 'anthropic',
    inputTokens: reading(`${p}input_tokens`, field(usage, 'input_tokens')),
    outputTokens: reading(`${p}output_tokens`, field(usage, 'output_tokens')),
    cacheReadInputTokens: reading(`${p}cache_read_input_tokens`, field(usage, 'cache_read_input_tokens')),
    cacheWriteInputTokens: reading(`${p}cache_creation_input_tokens`, field(usage, 'cache_creation_input_tokens')),
    cacheWriteSplit: isRecord(cacheCreation)
      ? splitOf(field(cacheCreation, 'ephemeral_5m_input_tokens'), field(cacheCreation, 'ephemeral_1h_input_tokens'))
      : undefined,
  };
}

/**
 * OpenAI chat-completions usage: OpenAI gpt-oss (https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-openai.html,
 * "the response body follows the OpenAI chat completion object"), AI21 Jamba
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-jamba.html) and any Mistral chat body
 * that carries usage. In OpenAI's definition `prompt_tokens` INCLUDES `prompt_tokens_details.cached_tokens`
 * (https://platform.openai.com/docs/api-reference/chat/object), so input = prompt_tokens − cached_tokens and the
 * cached part is the cache read: nothing is counted twice.
 */
function readOpenAiChat(body: Readonly<Record<string, unknown>>, prefix: string): ProviderUsage {
  const usage = field(body, 'usage');
  const p = `${prefix}usage.`;
  const prompt = reading(`${p}prompt_tokens`, field(usage, 'prompt_tokens'));
  const cached = reading(`${p}prompt_tokens_details.cached_tokens`, field(field(usage, 'prompt_tokens_details'), 'cached_tokens'));
  let inputTokens = prompt;
  if (prompt.state === 'valid' && cached.state === 'valid') {
    inputTokens =
      cached.value <= prompt.value
        ? knownReading(`${p}prompt_tokens minus cached_tokens`, prompt.value - cached.value)
        : invalidReading(
            prompt.label,
            `${p}prompt_tokens ${prompt.value} is less than its cached_tokens ${cached.value}`,
          );
  }
  return {
    family: 'openai-chat',
    inputTokens,
    outputTokens: reading(`${p}completion_tokens`, field(usage, 'completion_tokens')),
    cacheReadInputTokens: cached.state === 'absent' ? NO_CACHE_READ : cached,
    cacheWriteInputTokens: NO_CACHE_WRITE,
    cacheWriteSplit: undefined,
  };
}

/**
 * The camelCase usage object of Amazon Nova's native InvokeModel body, of Converse / ConverseStream `metadata`, and
 * of Nova's `metadata` stream chunk. Nova's native body names the cache counts `cacheReadInputTokenCount` /
 * `cacheWriteInputTokenCount` (https://docs.aws.amazon.com/nova/latest/userguide/complete-request-schema-response.html ;
 * awslabs swift-fm-playground NovaResponseBody.swift) while Converse names them `cacheReadInputTokens` /
 * `cacheWriteInputTokens` (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_TokenUsage.html).
 * Both names are read as aliases of one field (first valid wins, never summed). `cacheDetails` is the TTL split
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_CacheDetail.html: `{ttl: '5m'|'1h', inputTokens}`).
 */
export function readAmazonCamel(usage: unknown, prefix: string): ProviderUsage {
  const p = `${prefix}usage.`;
  return {
    family: 'amazon-camel',
    inputTokens: reading(`${p}inputTokens`, field(usage, 'inputTokens')),
    outputTokens: reading(`${p}outputTokens`, field(usage, 'outputTokens')),
    cacheReadInputTokens: firstUsable([
      reading(`${p}cacheReadInputTokens`, field(usage, 'cacheReadInputTokens')),
      reading(`${p}cacheReadInputTokenCount`, field(usage, 'cacheReadInputTokenCount')),
    ]),
    cacheWriteInputTokens: firstUsable([
      reading(`${p}cacheWriteInputTokens`, field(usage, 'cacheWriteInputTokens')),
      reading(`${p}cacheWriteInputTokenCount`, field(usage, 'cacheWriteInputTokenCount')),
    ]),
    cacheWriteSplit: cacheDetailsSplit(field(usage, 'cacheDetails')),
  };
}

/**
 * Amazon Titan Text (`inputTextTokenCount`, sum of `results[].tokenCount`;
 * https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-text.html), its stream chunks
 * (`inputTextTokenCount` on the first, cumulative `totalOutputTextTokenCount`; traceloop/openllmetry
 * packages/opentelemetry-instrumentation-bedrock/opentelemetry/instrumentation/bedrock/span_utils.py,
 * `_set_amazon_span_attributes`) and Titan Embeddings (`inputTextTokenCount` and `embedding`, no output;
 * https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-embed-text.html, not re-checked).
 */
function readTitan(body: Readonly<Record<string, unknown>>, prefix: string, embedModel: boolean): ProviderUsage {
  const inputTokens = reading(`${prefix}inputTextTokenCount`, field(body, 'inputTextTokenCount'));
  let outputTokens: FieldReading;
  const results = field(body, 'results');
  if (hasField(body, 'totalOutputTextTokenCount')) {
    outputTokens = reading(`${prefix}totalOutputTextTokenCount`, field(body, 'totalOutputTextTokenCount'));
  } else if (isArray(results)) {
    outputTokens = sumTokenCounts(results, prefix);
  } else if (embedModel || hasField(body, 'embedding') || hasField(body, 'embeddingsByType')) {
    outputTokens = knownReading(`${prefix}embedding (embeddings have no output tokens)`, 0);
  } else {
    outputTokens = absentReading(`${prefix}results[].tokenCount`);
  }
  return {
    family: 'titan',
    inputTokens,
    outputTokens,
    cacheReadInputTokens: NO_CACHE_READ,
    cacheWriteInputTokens: NO_CACHE_WRITE,
    cacheWriteSplit: undefined,
  };
}

function sumTokenCounts(results: readonly unknown[], prefix: string): FieldReading {
  let total = 0;
  for (let i = 0; i < results.length; i++) {
    const raw = field(results[i], 'tokenCount');
    const count = parseTokenCount(raw);
    if (count === undefined) {
      const label = `${prefix}results[${i}].tokenCount`;
      return isAbsent(raw) ? invalidReading(label, `${label} is missing`) : reading(label, raw);
    }
    total += count;
  }
  if (total > MAX_TOKEN_COUNT) {
    return invalidReading(`${prefix}results[].tokenCount`, `the sum of ${prefix}results[].tokenCount exceeds ${MAX_TOKEN_COUNT}`);
  }
  return knownReading(`${prefix}results[].tokenCount`, total);
}

/**
 * Meta Llama: `prompt_token_count`, `generation_token_count`
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-meta.html). In stream chunks
 * `prompt_token_count` is set on the first chunk and null after, and `generation_token_count` is cumulative
 * (vercel/ai packages/core/tests/snapshots/aws-bedrock.ts, bedrockLlama2Chunks).
 */
function readLlama(body: Readonly<Record<string, unknown>>, prefix: string): ProviderUsage {
  return {
    family: 'llama',
    inputTokens: reading(`${prefix}prompt_token_count`, field(body, 'prompt_token_count')),
    outputTokens: reading(`${prefix}generation_token_count`, field(body, 'generation_token_count')),
    cacheReadInputTokens: NO_CACHE_READ,
    cacheWriteInputTokens: NO_CACHE_WRITE,
    cacheWriteSplit: undefined,
  };
}

/**
 * Cohere Command R / R+: `meta.billed_units.{input_tokens, output_tokens}` (the billed counts), falling back to
 * `meta.tokens.{input_tokens, output_tokens}` (all tokens processed). Sources:
 * https://docs.cohere.com/reference/chat (response `meta.billed_units`, `meta.tokens`) and traceloop/openllmetry
 * packages/opentelemetry-instrumentation-bedrock/opentelemetry/instrumentation/bedrock/span_utils.py
 * (`_set_cohere_span_attributes` reads `meta.billed_units` of Bedrock Cohere responses).
 */
function readCohere(body: Readonly<Record<string, unknown>>, prefix: string): ProviderUsage {
  const meta = field(body, 'meta');
  const billed = field(meta, 'billed_units');
  const tokens = field(meta, 'tokens');
  return {
    family: 'cohere',
    inputTokens: firstUsable([
      reading(`${prefix}meta.billed_units.input_tokens`, field(billed, 'input_tokens')),
      reading(`${prefix}meta.tokens.input_tokens`, field(tokens, 'input_tokens')),
    ]),
    outputTokens: firstUsable([
      reading(`${prefix}meta.billed_units.output_tokens`, field(billed, 'output_tokens')),
      reading(`${prefix}meta.tokens.output_tokens`, field(tokens, 'output_tokens')),
    ]),
    cacheReadInputTokens: NO_CACHE_READ,
    cacheWriteInputTokens: NO_CACHE_WRITE,
    cacheWriteSplit: undefined,
  };
}

function splitOf(fiveMinutesRaw: unknown, oneHourRaw: unknown): CacheWriteSplit | undefined {
  if (isAbsent(fiveMinutesRaw) && isAbsent(oneHourRaw)) return undefined;
  const fiveMinutes = isAbsent(fiveMinutesRaw) ? 0 : parseTokenCount(fiveMinutesRaw);
  const oneHour = isAbsent(oneHourRaw) ? 0 : parseTokenCount(oneHourRaw);
  if (fiveMinutes === undefined || oneHour === undefined) return undefined;
  return { fiveMinutes, oneHour };
}

function cacheDetailsSplit(details: unknown): CacheWriteSplit | undefined {
  if (!isArray(details) || details.length === 0) return undefined;
  let fiveMinutes = 0;
  let oneHour = 0;
  for (const detail of details) {
    const tokens = parseTokenCount(field(detail, 'inputTokens'));
    if (tokens === undefined) return undefined;
    const ttl = field(detail, 'ttl');
    if (ttl === '5m') fiveMinutes += tokens;
    else if (ttl === '1h') oneHour += tokens;
    else return undefined; // an unknown TTL: the split would be incomplete, so it is not given
  }
  return { fiveMinutes, oneHour };
}
