import { MAX_TOKEN_COUNT } from '@bedrock-usage/core';
import { loadBedrockFixtures } from '@bedrock-usage/testing';
import fc from 'fast-check';

import type { ExtractionResult, RawBedrockCall, StreamStart } from '../src';
import { extractUsage, startStreamExtraction } from '../src';

// Fixed seed so a failure replays; fast-check also prints the seed and the shrunk counterexample on failure.
const SEED = 20250611;
const FLAGS = new Set(['usage_missing', 'truncated']);
const SOURCES = new Set(['headers', 'body', 'headers+body', 'stream-metrics', 'stream-events', 'converse', 'none']);

function isCount(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_TOKEN_COUNT;
}

/** Throws unless `result` is exactly one of the three documented shapes, with sound values. */
function assertWellFormed(result: ExtractionResult): void {
  const fail = (why: string): never => {
    throw new Error(`${why}: ${JSON.stringify(result)}`);
  };
  if (typeof result !== 'object' || result === null) fail('not an object');
  const shapes = Number('inputTokens' in result) + Number('error' in result) + Number('rejected' in result);
  if (shapes !== 1) fail('not exactly one shape');
  if ('rejected' in result) {
    if (result.rejected !== true || typeof result.reason !== 'string' || result.reason.length === 0) fail('bad rejection');
    return;
  }
  if ('error' in result) {
    if (typeof result.error !== 'string' || result.error.length === 0) fail('bad error name');
    if (typeof result.retryable !== 'boolean') fail('bad retryable');
    if (!Number.isInteger(result.statusCode)) fail('bad status');
    return;
  }
  const { inputTokens, outputTokens, cacheReadInputTokens, cacheWriteInputTokens, totalTokens } = result;
  for (const count of [inputTokens, outputTokens, cacheReadInputTokens, cacheWriteInputTokens]) {
    if (!isCount(count)) fail('count out of range');
  }
  if (totalTokens !== inputTokens + outputTokens + cacheReadInputTokens + cacheWriteInputTokens) fail('total is not the sum');
  if (result.latencyMs !== null && !isCount(result.latencyMs)) fail('bad latency');
  if (result.firstByteLatencyMs !== undefined && !isCount(result.firstByteLatencyMs)) fail('bad first-byte latency');
  if (!SOURCES.has(result.usageSource)) fail('bad usage source');
  if (!Array.isArray(result.flags) || !result.flags.every((f) => FLAGS.has(f))) fail('bad flags');
  if (result.flags.includes('usage_missing') && totalTokens !== 0) fail('usage_missing with tokens');
  const { cacheWrite5mTokens: m5, cacheWrite1hTokens: h1 } = result;
  if ((m5 === undefined) !== (h1 === undefined)) fail('half a TTL split');
  if (m5 !== undefined && h1 !== undefined && (!isCount(m5) || !isCount(h1) || m5 + h1 !== cacheWriteInputTokens)) {
    fail('TTL split does not add up');
  }
}

function replaceAt(root: unknown, path: readonly number[], replacement: unknown): unknown {
  if (path.length === 0 || typeof root !== 'object' || root === null) return replacement;
  const keys = Object.keys(root);
  if (keys.length === 0) return replacement;
  const key = keys[(path[0] ?? 0) % keys.length] as string;
  const copy: Record<string, unknown> = Array.isArray(root) ? ([...root] as unknown as Record<string, unknown>) : { ...root };
  copy[key] = replaceAt((root as Record<string, unknown>)[key], path.slice(1), replacement);
  return copy;
}

const fixtures = loadBedrockFixtures();

const HEADER_NAMES = [
  'X-Amzn-Bedrock-Input-Token-Count',
  'X-Amzn-Bedrock-Output-Token-Count',
  'X-Amzn-Bedrock-Cache-Read-Input-Token-Count',
  'X-Amzn-Bedrock-Cache-Write-Input-Token-Count',
  'X-Amzn-Bedrock-Invocation-Latency',
  'x-amzn-ErrorType',
];
const headerName = fc.oneof(
  fc.constantFrom(...HEADER_NAMES, ...HEADER_NAMES.map((n) => n.toLowerCase()), ...HEADER_NAMES.map((n) => n.toUpperCase())),
  fc.string({ maxLength: 40 }),
  fc.constantFrom('__proto__', 'constructor', 'toString'),
);
const headerValue = fc.oneof(
  fc.nat().map(String),
  fc.integer().map(String),
  fc.constantFrom('-1', '', ' 7 ', '2147483647', '2147483648', '1e3', '12.5', '0x10', 'NaN', 'ThrottlingException:x', ':', '#'),
  fc.string({ maxLength: 20 }),
  fc.double().map(String),
  fc.bigInt().map(String),
);
const countLike = fc.oneof(
  fc.nat(5000),
  fc.integer(),
  fc.double(),
  fc.constantFrom(-1, -0, 2147483647, 2147483648, 1.5, 128.0, Number.NaN, Infinity, '12', ' 3 ', 'x', null, true, [], {}),
);
const anything = fc.anything({ maxDepth: 3, maxKeys: 5, withBigInt: true, withNullPrototype: true, withObjectString: true });
const replacement = fc.oneof(countLike, anything, fc.constant(undefined), fc.constant(null), fc.string({ maxLength: 10 }));
const api = fc.oneof(
  fc.constantFrom('InvokeModel', 'InvokeModelWithResponseStream', 'Converse', 'ConverseStream'),
  fc.constantFrom('invokemodel', '', 'Invoke'),
  anything,
);
const statusCode = fc.oneof(fc.constantFrom(200, 200, 200, 400, 403, 408, 424, 429, 500, 503), fc.integer(), fc.double(), anything);

const event = fc.oneof(
  fc.record({ type: fc.constant('message_start'), message: fc.record({ usage: fc.record({ input_tokens: countLike, output_tokens: countLike, cache_read_input_tokens: countLike, cache_creation_input_tokens: countLike }, { requiredKeys: [] }) }) }),
  fc.record({ type: fc.constant('message_delta'), usage: fc.record({ output_tokens: countLike }, { requiredKeys: [] }) }),
  fc.record({ type: fc.constant('content_block_delta'), delta: fc.record({ text: fc.string({ maxLength: 10 }) }) }),
  fc.record({
    type: fc.constant('message_stop'),
    'amazon-bedrock-invocationMetrics': fc.record(
      { inputTokenCount: countLike, outputTokenCount: countLike, cacheReadInputTokenCount: countLike, cacheWriteInputTokenCount: countLike, invocationLatency: countLike, firstByteLatency: countLike },
      { requiredKeys: [] },
    ),
  }),
  fc.record({ generation: fc.string({ maxLength: 5 }), prompt_token_count: countLike, generation_token_count: countLike }, { requiredKeys: [] }),
  fc.record({ outputText: fc.string({ maxLength: 5 }), inputTextTokenCount: countLike, totalOutputTextTokenCount: countLike }, { requiredKeys: [] }),
  fc.record({ metadata: fc.record({ usage: fc.record({ inputTokens: countLike, outputTokens: countLike, cacheWriteInputTokens: countLike, cacheDetails: fc.array(fc.record({ ttl: fc.constantFrom('5m', '1h', 'x'), inputTokens: countLike }), { maxLength: 3 }) }, { requiredKeys: [] }), metrics: fc.record({ latencyMs: countLike }), p: fc.string({ maxLength: 5 }) }, { requiredKeys: [] }) }),
  fc.record({ usage: fc.record({ prompt_tokens: countLike, completion_tokens: countLike, prompt_tokens_details: fc.record({ cached_tokens: countLike }) }, { requiredKeys: [] }) }),
  fc.tuple(fc.constantFrom('throttlingException', 'ThrottlingException', 'modelStreamErrorException', 'internalServerException', 'fooException', 'Exception'), fc.record({ message: fc.string({ maxLength: 5 }), originalStatusCode: countLike }, { requiredKeys: [] })).map(([name, payload]) => ({ [name]: payload })),
  anything,
);

describe('extraction never throws and always returns one well-formed result', () => {
  it('on the 12 fixtures with mutated headers, body subtrees, apis and statuses (50,000 runs)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...fixtures),
        fc.dictionary(headerName, headerValue, { maxKeys: 4 }),
        fc.boolean(),
        fc.array(fc.tuple(fc.array(fc.nat(20), { maxLength: 6 }), replacement), { maxLength: 3 }),
        fc.option(api, { freq: 4 }),
        fc.option(statusCode, { freq: 3 }),
        (fixture, headers, replaceHeaders, bodyMutations, newApi, newStatus) => {
          let body: unknown = fixture.body;
          for (const [path, value] of bodyMutations) body = replaceAt(body, path, value);
          const call = {
            api: newApi ?? fixture.api,
            modelId: fixture.modelId,
            statusCode: newStatus ?? fixture.statusCode,
            headers: replaceHeaders ? headers : { ...fixture.headers, ...headers },
            body,
          } as RawBedrockCall;
          assertWellFormed(extractUsage(call));
        },
      ),
      { numRuns: 50_000, seed: SEED },
    );
  });

  it('on random stream event sequences fed to the accumulator (25,000 runs)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<StreamStart['api']>('InvokeModelWithResponseStream', 'ConverseStream'),
        fc.oneof(fc.constant(200), statusCode),
        fc.dictionary(headerName, headerValue, { maxKeys: 3 }),
        fc.array(event, { maxLength: 12 }),
        fc.boolean(),
        (streamApi, status, headers, events, complete) => {
          const stream = startStreamExtraction({ api: streamApi, modelId: 'anthropic.claude-3-haiku-20240307-v1:0', statusCode: status as number, headers });
          for (const e of events) stream.push(e);
          assertWellFormed(stream.finish({ complete }));
          stream.push(events[0]);
          assertWellFormed(stream.finish({ complete: !complete }));
        },
      ),
      { numRuns: 25_000, seed: SEED },
    );
  });

  it('on calls with random api, status, headers and body (15,000 runs)', () => {
    fc.assert(
      fc.property(api, statusCode, fc.oneof(fc.dictionary(headerName, headerValue, { maxKeys: 6 }), anything), fc.oneof(anything, fc.array(event, { maxLength: 6 }), event), fc.oneof(fc.string({ maxLength: 60 }), anything), (a, s, headers, body, modelId) => {
        assertWellFormed(extractUsage({ api: a, statusCode: s, headers, body, modelId } as RawBedrockCall));
      }),
      { numRuns: 15_000, seed: SEED },
    );
  });

  it('on fully arbitrary values (15,000 runs)', () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 4, withBigInt: true, withNullPrototype: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true }), (value) => {
        assertWellFormed(extractUsage(value as RawBedrockCall));
        const stream = startStreamExtraction(value as StreamStart);
        stream.push(value);
        assertWellFormed(stream.finish({ complete: true }));
      }),
      { numRuns: 15_000, seed: SEED },
    );
  });

  it('the well-formedness check itself rejects malformed results', () => {
    // Prepare
    const good = { inputTokens: 1, outputTokens: 2, cacheReadInputTokens: 0, cacheWriteInputTokens: 0, totalTokens: 3, latencyMs: null, usageSource: 'body', flags: [] };
    // Act / Assess
    expect(() => assertWellFormed(good as ExtractionResult)).not.toThrow();
    expect(() => assertWellFormed({ ...good, totalTokens: 4 } as ExtractionResult)).toThrow(/sum/);
    expect(() => assertWellFormed({ ...good, inputTokens: -1, totalTokens: 1 } as ExtractionResult)).toThrow(/range/);
    expect(() => assertWellFormed({ ...good, error: 'X', retryable: true, statusCode: 200 } as ExtractionResult)).toThrow(/one shape/);
    expect(() => assertWellFormed({ rejected: true, reason: '' })).toThrow(/rejection/);
  });

  it('on a call whose getters throw', () => {
    // Prepare
    const hostile = new Proxy({}, { get: () => { throw new Error('boom'); }, ownKeys: () => { throw new Error('boom'); } });
    const call = { api: 'InvokeModel', modelId: 'x', statusCode: 200, headers: hostile, body: hostile } as unknown as RawBedrockCall;
    // Act
    const result = extractUsage(call);
    const stream = startStreamExtraction(hostile as StreamStart);
    stream.push(hostile);
    // Assess
    expect(result).toMatchObject({ rejected: true });
    expect(stream.finish({ complete: true })).toMatchObject({ rejected: true });
  });
});
