import { formatUsd, tokenUsage } from '@bedrock-usage/core';
import type { TokenUsage } from '@bedrock-usage/core';
import { PriceBook } from '../src';

const book = PriceBook.builtIn();
const AT = '2025-12-01T12:00:00Z';

function costOf(modelId: string, usage: TokenUsage, region = 'us-east-1', mode: 'on-demand' | 'batch' = 'on-demand') {
  const result = book.price({ modelId, region, at: AT, usage, mode });
  return {
    result,
    total: result.cost ? formatUsd(result.cost.total) : null,
    parts: result.cost && {
      input: formatUsd(result.cost.input),
      output: formatUsd(result.cost.output),
      cacheRead: formatUsd(result.cost.cacheRead),
      cacheWrite: formatUsd(result.cost.cacheWrite),
      cacheWrite1h: formatUsd(result.cost.cacheWrite1h),
    },
  };
}

describe('Costs are exact decimals, computed by hand per family', () => {
  it('prices Claude 3.5 Sonnet v2 input and output', () => {
    // Prepare: 1,000 input + 500 output = 1000×3/1e6 + 500×15/1e6 = 0.003 + 0.0075 = 0.0105
    const usage = tokenUsage({ inputTokens: 1000, outputTokens: 500 });
    // Act
    const { total, parts, result } = costOf('anthropic.claude-3-5-sonnet-20241022-v2:0', usage);
    // Assess
    expect(total).toBe('0.0105');
    expect(parts).toEqual({ input: '0.003', output: '0.0075', cacheRead: '0', cacheWrite: '0', cacheWrite1h: '0' });
    expect(result.flags).toEqual([]);
    expect(result.priceRef).toEqual({
      model: 'anthropic.claude-3-5-sonnet-20241022-v2:0',
      region: 'us-east-1',
      routing: 'in-region',
      from: '2024-10-22',
      source: 'https://aws.amazon.com/bedrock/pricing/',
    });
  });

  it('prices Claude 3.7 Sonnet cache reads and writes through the us. profile', () => {
    // Prepare: 200 in ×3 + 300 out ×15 + 10,000 read ×0.3 + 2,000 write ×3.75 (per 1M)
    //   = 0.0006 + 0.0045 + 0.003 + 0.0075 = 0.0156
    const usage = tokenUsage({ inputTokens: 200, outputTokens: 300, cacheReadInputTokens: 10_000, cacheWriteInputTokens: 2_000 });
    // Act
    const { total, parts, result } = costOf('us.anthropic.claude-3-7-sonnet-20250219-v1:0', usage, 'us-west-2');
    // Assess
    expect(parts).toEqual({ input: '0.0006', output: '0.0045', cacheRead: '0.003', cacheWrite: '0.0075', cacheWrite1h: '0' });
    expect(total).toBe('0.0156');
    expect(result.priceRef?.routing).toBe('geo');
  });

  it('prices Claude 3 Haiku and 3.5 Haiku', () => {
    // 3 Haiku: 4,000 in ×0.25 + 1,000 out ×1.25 = 0.001 + 0.00125 = 0.00225
    expect(costOf('anthropic.claude-3-haiku-20240307-v1:0', tokenUsage({ inputTokens: 4000, outputTokens: 1000 })).total).toBe('0.00225');
    // 3.5 Haiku: 1,000 in ×0.8 + 500 out ×4 + 1,000 read ×0.08 = 0.0008 + 0.002 + 0.00008 = 0.00288
    expect(
      costOf('anthropic.claude-3-5-haiku-20241022-v1:0', tokenUsage({ inputTokens: 1000, outputTokens: 500, cacheReadInputTokens: 1000 })).total,
    ).toBe('0.00288');
  });

  it('prices Claude Opus 4 with a cache write', () => {
    // 100 in ×15 + 100 out ×75 + 1,000 write ×18.75 = 0.0015 + 0.0075 + 0.01875 = 0.02775
    const usage = tokenUsage({ inputTokens: 100, outputTokens: 100, cacheWriteInputTokens: 1000 });
    expect(costOf('anthropic.claude-opus-4-20250514-v1:0', usage).total).toBe('0.02775');
  });

  it('prices Claude Sonnet 4.5 global 10% below geo and in-region', () => {
    // Prepare: 1,000,000 in + 100,000 out
    //   global: 1e6×3/1e6 + 1e5×15/1e6 = 3 + 1.5 = 4.5
    //   geo / in-region: 1e6×3.3/1e6 + 1e5×16.5/1e6 = 3.3 + 1.65 = 4.95
    const usage = tokenUsage({ inputTokens: 1_000_000, outputTokens: 100_000 });
    // Act
    const global = costOf('global.anthropic.claude-sonnet-4-5-20250929-v1:0', usage);
    const geo = costOf('eu.anthropic.claude-sonnet-4-5-20250929-v1:0', usage, 'eu-central-1');
    const inRegion = costOf('anthropic.claude-sonnet-4-5-20250929-v1:0', usage);
    // Assess
    expect(global.total).toBe('4.5');
    expect(geo.total).toBe('4.95');
    expect(inRegion.total).toBe('4.95');
    expect([global.result.priceRef?.routing, geo.result.priceRef?.routing, inRegion.result.priceRef?.routing]).toEqual(['global', 'geo', 'in-region']);
  });

  it('prices Amazon Nova Micro, Lite, Pro and Premier', () => {
    // Micro: 1,000 in ×0.035 + 1,000 out ×0.14 + 1,000 read ×0.00875 = 0.000035 + 0.00014 + 0.00000875 = 0.00018375
    expect(
      costOf('amazon.nova-micro-v1:0', tokenUsage({ inputTokens: 1000, outputTokens: 1000, cacheReadInputTokens: 1000 })).total,
    ).toBe('0.00018375');
    // Lite: 10,000 in ×0.06 + 2,000 out ×0.24 = 0.0006 + 0.00048 = 0.00108
    expect(costOf('us.amazon.nova-lite-v1:0', tokenUsage({ inputTokens: 10_000, outputTokens: 2000 })).total).toBe('0.00108');
    // Pro: 1,000 in ×0.8 + 1,000 out ×3.2 = 0.0008 + 0.0032 = 0.004
    expect(costOf('amazon.nova-pro-v1:0', tokenUsage({ inputTokens: 1000, outputTokens: 1000 })).total).toBe('0.004');
    // Premier: 1,000 in ×2.5 + 1,000 out ×12.5 = 0.0025 + 0.0125 = 0.015
    expect(costOf('us.amazon.nova-premier-v1:0', tokenUsage({ inputTokens: 1000, outputTokens: 1000 })).total).toBe('0.015');
  });

  it('prices Meta Llama by region', () => {
    // Llama 3 70B us-east-1: 1,000 in ×2.65 + 1,000 out ×3.5 = 0.00265 + 0.0035 = 0.00615
    expect(costOf('meta.llama3-70b-instruct-v1:0', tokenUsage({ inputTokens: 1000, outputTokens: 1000 })).total).toBe('0.00615');
    // Llama 3 70B eu-west-2: 1,000 in ×3.45 + 1,000 out ×4.55 = 0.00345 + 0.00455 = 0.008
    expect(costOf('meta.llama3-70b-instruct-v1:0', tokenUsage({ inputTokens: 1000, outputTokens: 1000 }), 'eu-west-2').total).toBe('0.008');
    // Llama 3.3 70B: 5,000 in ×0.72 + 500 out ×0.72 = 0.0036 + 0.00036 = 0.00396
    expect(costOf('us.meta.llama3-3-70b-instruct-v1:0', tokenUsage({ inputTokens: 5000, outputTokens: 500 })).total).toBe('0.00396');
    // Llama 3.2 1B: 1,000 in ×0.1 + 1,000 out ×0.1 = 0.0002
    expect(costOf('us.meta.llama3-2-1b-instruct-v1:0', tokenUsage({ inputTokens: 1000, outputTokens: 1000 })).total).toBe('0.0002');
    // Llama 4 Maverick: 1,000 in ×0.24 + 1,000 out ×0.97 = 0.00024 + 0.00097 = 0.00121
    expect(costOf('us.meta.llama4-maverick-17b-instruct-v1:0', tokenUsage({ inputTokens: 1000, outputTokens: 1000 })).total).toBe('0.00121');
  });

  it('prices Mistral, Titan, Cohere, AI21, DeepSeek and OpenAI models', () => {
    const k = tokenUsage({ inputTokens: 1000, outputTokens: 1000 });
    // Mistral 7B: 0.00015 + 0.0002 = 0.00035; in eu-west-3: 0.0002 + 0.00026 = 0.00046
    expect(costOf('mistral.mistral-7b-instruct-v0:2', k).total).toBe('0.00035');
    expect(costOf('mistral.mistral-7b-instruct-v0:2', k, 'eu-west-3').total).toBe('0.00046');
    // Mistral Large 2402: 0.004 + 0.012 = 0.016
    expect(costOf('mistral.mistral-large-2402-v1:0', k).total).toBe('0.016');
    // Titan Text Express: 0.0002 + 0.0006 = 0.0008
    expect(costOf('amazon.titan-text-express-v1', k).total).toBe('0.0008');
    // Titan Embeddings V2: 10,000 in ×0.02 = 0.0002, input only
    expect(costOf('amazon.titan-embed-text-v2:0', tokenUsage({ inputTokens: 10_000 })).total).toBe('0.0002');
    // Command R+: 0.003 + 0.015 = 0.018
    expect(costOf('cohere.command-r-plus-v1:0', k).total).toBe('0.018');
    // Jamba 1.5 Large: 0.002 + 0.008 = 0.01
    expect(costOf('ai21.jamba-1-5-large-v1:0', k).total).toBe('0.01');
    // DeepSeek-R1: 0.00135 + 0.0054 = 0.00675
    expect(costOf('us.deepseek.r1-v1:0', k).total).toBe('0.00675');
    // gpt-oss-120b: 0.00015 + 0.0006 = 0.00075
    expect(costOf('openai.gpt-oss-120b-1:0', k, 'us-west-2').total).toBe('0.00075');
  });

  it('splits 1-hour cache writes from 5-minute ones and prices each at its rate', () => {
    // Prepare: a custom model with a 1 h rate: 1,000 writes of which 400 are 1 h
    //   5 m: 600 × 3.75/1e6 = 0.00225; 1 h: 400 × 6/1e6 = 0.0024; total 0.00465
    const custom = new PriceBook([
      { model: 'acme.cached-v1', from: '2025-01-01', regions: ['us-east-1'], input: '3', output: '15', cacheRead: '0.3', cacheWrite: '3.75', cacheWrite1h: '6', source: 'contract ACME-7', asOf: '2025-01-01' },
    ]);
    const usage = tokenUsage({ cacheWriteInputTokens: 1000, cacheWrite5mTokens: 600, cacheWrite1hTokens: 400 });
    // Act
    const result = custom.price({ modelId: 'acme.cached-v1', region: 'us-east-1', at: AT, usage });
    // Assess
    expect(result.cost && formatUsd(result.cost.cacheWrite)).toBe('0.00225');
    expect(result.cost && formatUsd(result.cost.cacheWrite1h)).toBe('0.0024');
    expect(result.cost && formatUsd(result.cost.total)).toBe('0.00465');
  });

  it('leaves 1-hour writes unpriced where the book has no 1-hour rate, never at the 5-minute rate', () => {
    // Prepare
    const usage = tokenUsage({ inputTokens: 10, cacheWriteInputTokens: 100, cacheWrite1hTokens: 100 });
    // Act
    const { result } = costOf('anthropic.claude-sonnet-4-20250514-v1:0', usage);
    // Assess
    expect(result.cost).toBeNull();
    expect(result.flags).toEqual(['unpriced']);
    expect(result.reason).toMatch(/cache write \(1 h\)/);
  });

  it('uses batch rates for batch calls and refuses a batch price the book does not have', () => {
    // Claude 3 Haiku batch: 1,000 in ×0.125 + 1,000 out ×0.625 = 0.000125 + 0.000625 = 0.00075
    const k = tokenUsage({ inputTokens: 1000, outputTokens: 1000 });
    expect(costOf('anthropic.claude-3-haiku-20240307-v1:0', k, 'us-east-1', 'batch').total).toBe('0.00075');
    const noBatch = costOf('anthropic.claude-3-7-sonnet-20250219-v1:0', k, 'us-east-1', 'batch');
    expect(noBatch.result.cost).toBeNull();
    expect(noBatch.result.flags).toEqual(['unpriced']);
  });

  it('rejects usage that is not token counts without throwing', () => {
    // Prepare
    const usage = { ...tokenUsage({ inputTokens: 1 }), outputTokens: -5 };
    // Act
    const result = book.price({ modelId: 'amazon.nova-micro-v1:0', region: 'us-east-1', at: AT, usage });
    // Assess
    expect(result.cost).toBeNull();
    expect(result.flags).toEqual(['unpriced']);
    expect(result.reason).toMatch(/outputTokens/);
  });
});
