import type { RawBedrockCall } from '../src';
import { extractUsage } from '../src';

const claude = (headers: Record<string, string>, usage: Record<string, unknown> | undefined): RawBedrockCall => ({
  api: 'InvokeModel',
  modelId: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
  statusCode: 200,
  headers,
  body: usage === undefined ? { type: 'message', content: [] } : { type: 'message', content: [], usage },
});

describe('headers win field by field, invalid values fall back, and what cannot be read is rejected', () => {
  it('each field takes the header when valid and the body otherwise', () => {
    // Prepare: input and cache read in headers; output and cache write only in the body
    const call = claude(
      { 'x-AMZN-bedrock-input-token-count': '100', 'X-Amzn-Bedrock-Cache-Read-Input-Token-Count': '50' },
      { input_tokens: 999, output_tokens: 20, cache_read_input_tokens: 999, cache_creation_input_tokens: 30 },
    );
    // Act
    const result = extractUsage(call);
    // Assess
    expect(result).toMatchObject({
      inputTokens: 100,
      outputTokens: 20,
      cacheReadInputTokens: 50,
      cacheWriteInputTokens: 30,
      totalTokens: 200,
      usageSource: 'headers+body',
    });
  });

  it.each([
    ['negative', '-5'],
    ['fractional', '12.5'],
    ['too large', '2147483648'],
    ['not numeric', 'abc'],
    ['empty', ''],
    ['signed', '+7'],
    ['exponent', '1e3'],
  ])('a %s header (%p) falls back to the body', (_kind, value) => {
    // Prepare
    const call = claude({ 'X-Amzn-Bedrock-Output-Token-Count': value, 'X-Amzn-Bedrock-Input-Token-Count': '3' }, {
      input_tokens: 3,
      output_tokens: 44,
    });
    // Act / Assess
    expect(extractUsage(call)).toMatchObject({ outputTokens: 44, totalTokens: 47 });
  });

  it.each([
    ['padded digits', ' 42 ', 42],
    ['leading zeros', '0042', 42],
    ['the largest count', '2147483647', 2147483647],
  ])('a header with %s is accepted', (_kind, value, expected) => {
    // Prepare
    const call = claude({ 'X-Amzn-Bedrock-Input-Token-Count': value, 'X-Amzn-Bedrock-Output-Token-Count': '0' }, undefined);
    // Act / Assess
    expect(extractUsage(call)).toMatchObject({ inputTokens: expected, usageSource: 'headers' });
  });

  it('a whole float in the body is accepted, a fractional one is not', () => {
    // Prepare
    const whole = claude({}, { input_tokens: 128.0, output_tokens: 2 });
    const fractional = claude({}, { input_tokens: 128.5, output_tokens: 2 });
    // Act / Assess
    expect(extractUsage(whole)).toMatchObject({ inputTokens: 128 });
    expect(extractUsage(fractional)).toEqual({
      rejected: true,
      reason: 'X-Amzn-Bedrock-Input-Token-Count is missing and body usage.input_tokens 128.5 is not a non-negative integer',
    });
  });

  it('invalid in both places is rejected, naming the header and the body field', () => {
    // Prepare
    const call = claude({ 'X-Amzn-Bedrock-Input-Token-Count': '-1', 'X-Amzn-Bedrock-Output-Token-Count': '9' }, { output_tokens: 9 });
    // Act / Assess
    expect(extractUsage(call)).toEqual({
      rejected: true,
      reason: 'X-Amzn-Bedrock-Input-Token-Count "-1" is not a non-negative integer and body usage.input_tokens is missing',
    });
  });

  it('an invalid cache count with no valid fallback is rejected too (it is billed)', () => {
    // Prepare
    const call = claude({ 'X-Amzn-Bedrock-Cache-Write-Input-Token-Count': 'lots' }, { input_tokens: 1, output_tokens: 1 });
    // Act / Assess
    expect(extractUsage(call)).toEqual({
      rejected: true,
      reason:
        'X-Amzn-Bedrock-Cache-Write-Input-Token-Count "lots" is not a non-negative integer and body usage.cache_creation_input_tokens is missing',
    });
  });

  it('a successful response with no usage anywhere gives zeros flagged usage_missing, latency kept', () => {
    // Prepare
    const call = claude({ 'X-Amzn-Bedrock-Invocation-Latency': '812' }, undefined);
    // Act / Assess
    expect(extractUsage(call)).toEqual({
      inputTokens: 0,
      outputTokens: 0,
      cacheReadInputTokens: 0,
      cacheWriteInputTokens: 0,
      totalTokens: 0,
      latencyMs: 812,
      usageSource: 'none',
      flags: ['usage_missing'],
    });
  });

  it('an invalid latency is null, not a rejection', () => {
    // Prepare
    const call = claude({ 'X-Amzn-Bedrock-Invocation-Latency': 'soon' }, { input_tokens: 1, output_tokens: 2 });
    // Act / Assess
    expect(extractUsage(call)).toMatchObject({ inputTokens: 1, outputTokens: 2, latencyMs: null });
  });

  it('totalTokens in the response is ignored and recomputed', () => {
    // Prepare
    const call: RawBedrockCall = {
      api: 'Converse',
      modelId: 'amazon.nova-micro-v1:0',
      statusCode: 200,
      headers: {},
      body: { usage: { inputTokens: 10, outputTokens: 5, totalTokens: 7, cacheReadInputTokens: 100 }, metrics: { latencyMs: 50 } },
    };
    // Act / Assess
    expect(extractUsage(call)).toMatchObject({ totalTokens: 115 });
  });

  it('a TTL split that disagrees with the cache-write count is dropped, the count kept', () => {
    // Prepare: header says 40 written, the body split sums to 30
    const call = claude(
      { 'X-Amzn-Bedrock-Cache-Write-Input-Token-Count': '40' },
      {
        input_tokens: 1,
        output_tokens: 1,
        cache_creation_input_tokens: 30,
        cache_creation: { ephemeral_5m_input_tokens: 10, ephemeral_1h_input_tokens: 20 },
      },
    );
    // Act
    const result = extractUsage(call);
    // Assess
    expect(result).toMatchObject({ cacheWriteInputTokens: 40 });
    expect(result).not.toHaveProperty('cacheWrite5mTokens');
    expect(result).not.toHaveProperty('cacheWrite1hTokens');
  });

  it('a header name repeated in another case: the first one wins', () => {
    // Prepare
    const call = claude({ 'X-Amzn-Bedrock-Input-Token-Count': '5', 'x-amzn-bedrock-input-token-count': '6', 'X-Amzn-Bedrock-Output-Token-Count': '1' }, undefined);
    // Act / Assess
    expect(extractUsage(call)).toMatchObject({ inputTokens: 5 });
  });

  it('prototype-named keys in the body are read as plain data', () => {
    // Prepare
    const body = JSON.parse('{"__proto__": {"usage": {"input_tokens": 9}}, "constructor": 1, "usage": {"input_tokens": 2, "output_tokens": 3}}') as unknown;
    const call: RawBedrockCall = { api: 'InvokeModel', modelId: 'anthropic.claude-3-haiku-20240307-v1:0', statusCode: 200, headers: {}, body };
    // Act / Assess
    expect(extractUsage(call)).toMatchObject({ inputTokens: 2, outputTokens: 3 });
  });
});
