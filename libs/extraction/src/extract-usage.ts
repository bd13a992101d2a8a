import type { ExtractionResult, RawBedrockCall, UsageExtraction, RejectedExtraction } from './extraction.types';
import { HEADER_NAMES, readBedrockHeaders } from './internal/bedrock-headers';
import { reading } from './internal/field-reading';
import { badStatus, httpError, internalFailure, isHttpStatus, isSuccessStatus } from './internal/http-error';
import { describeValue, field, isArray, isRecord } from './internal/json-value';
import { modelVendor } from './internal/model-id';
import { readAmazonCamel, readProviderUsage } from './internal/provider-usage';
import { parseLatency } from './internal/token-count';
import { resolveUsage } from './internal/usage-resolution';
import { startStreamExtraction } from './stream-extraction';

/**
 * Reads the exact token usage of one Bedrock runtime call, or its exception, or says why it cannot.
 *
 * - InvokeModel: the `X-Amzn-Bedrock-*-Token-Count` headers win field by field; the provider body is the
 *   fallback (Anthropic, Nova, Titan Text/Embeddings, Llama, Cohere Command R, Jamba, gpt-oss; Mistral and
 *   DeepSeek bodies carry no counts). Latency from `X-Amzn-Bedrock-Invocation-Latency`, else null.
 * - Converse: `body.usage` and `body.metrics.latencyMs`.
 * - The two stream APIs: the body array is fed to {@link startStreamExtraction} and finished with `complete: true`.
 * - `inputTokens` never includes cache tokens; `totalTokens` is always recomputed.
 * - Never throws, on any input.
 *
 * @example
 * const result = extractUsage({
 *   api: 'InvokeModel',
 *   modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
 *   statusCode: 200,
 *   headers: { 'X-Amzn-Bedrock-Input-Token-Count': '56', 'X-Amzn-Bedrock-Output-Token-Count': '203' },
 *   body: { usage: { input_tokens: 56, output_tokens: 203 } },
 * });
 * // { inputTokens: 56, outputTokens: 203, cacheReadInputTokens: 0, cacheWriteInputTokens: 0, totalTokens: 259,
 * //   latencyMs: null, usageSource: 'headers', flags: [] }
 */
export function extractUsage(call: RawBedrockCall): ExtractionResult {
  try {
    return extract(call);
  } catch (error) {
    return internalFailure(error);
  }
}

function extract(call: unknown): ExtractionResult {
  if (!isRecord(call)) return { rejected: true, reason: `the call is ${describeValue(call)}, not an object` };
  const api = field(call, 'api');
  const statusCode = field(call, 'statusCode');
  switch (api) {
    case 'InvokeModel':
    case 'Converse': {
      if (!isHttpStatus(statusCode)) return badStatus(statusCode);
      const headers = readBedrockHeaders(field(call, 'headers'));
      const body = field(call, 'body');
      if (!isSuccessStatus(statusCode)) return httpError(statusCode, headers, body);
      return api === 'InvokeModel' ? invokeModelUsage(call, headers, body) : converseUsage(body);
    }
    case 'InvokeModelWithResponseStream':
    case 'ConverseStream': {
      const stream = startStreamExtraction({
        api,
        modelId: typeof field(call, 'modelId') === 'string' ? (field(call, 'modelId') as string) : '',
        statusCode: statusCode as number, // validated by finish()
        headers: field(call, 'headers') as Readonly<Record<string, string>>, // read defensively by the stream
      });
      const body = field(call, 'body');
      // A stream body is the array of decoded events; anything else carried no event.
      if (isArray(body)) for (const event of body) stream.push(event);
      return stream.finish({ complete: true });
    }
    default:
      return { rejected: true, reason: `api ${describeValue(api)} is not a Bedrock runtime API` };
  }
}

function invokeModelUsage(
  call: Readonly<Record<string, unknown>>,
  headers: ReturnType<typeof readBedrockHeaders>,
  body: unknown,
): UsageExtraction | RejectedExtraction {
  const provider = readProviderUsage(body, modelVendor(field(call, 'modelId')));
  return resolveUsage({
    inputTokens: [reading(HEADER_NAMES.inputTokens, headers.inputTokens), provider.inputTokens],
    outputTokens: [reading(HEADER_NAMES.outputTokens, headers.outputTokens), provider.outputTokens],
    cacheReadInputTokens: [
      reading(HEADER_NAMES.cacheReadInputTokens, headers.cacheReadInputTokens),
      provider.cacheReadInputTokens,
    ],
    cacheWriteInputTokens: [
      reading(HEADER_NAMES.cacheWriteInputTokens, headers.cacheWriteInputTokens),
      provider.cacheWriteInputTokens,
    ],
    cacheWriteSplit: provider.cacheWriteSplit,
    latencyMs: parseLatency(headers.invocationLatency),
    firstByteLatencyMs: undefined,
    sources: ['headers', 'body'],
    mixedSource: 'headers+body',
  });
}

// Converse: body.usage (TokenUsage) and body.metrics.latencyMs.
// https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html ;
// https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_TokenUsage.html
function converseUsage(body: unknown): UsageExtraction | RejectedExtraction {
  const usage = readAmazonCamel(field(body, 'usage'), 'body ');
  return resolveUsage({
    inputTokens: [usage.inputTokens],
    outputTokens: [usage.outputTokens],
    cacheReadInputTokens: [usage.cacheReadInputTokens],
    cacheWriteInputTokens: [usage.cacheWriteInputTokens],
    cacheWriteSplit: usage.cacheWriteSplit,
    latencyMs: parseLatency(field(field(body, 'metrics'), 'latencyMs')),
    firstByteLatencyMs: undefined,
    sources: ['converse'],
    mixedSource: 'converse',
  });
}
