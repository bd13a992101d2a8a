import { formatUsd, tokenUsage, UsageError } from '@bedrock-usage/core';
import { ConfigInferenceProfileResolver, PriceBook } from '../src';
import type { InferenceProfileResolver } from '../src';

const ARN = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/k3ab9cdx0z1y';
const request = {
  modelId: ARN,
  region: 'us-east-1',
  at: '2025-03-01T10:00:00Z',
  usage: tokenUsage({ inputTokens: 1000, outputTokens: 500 }),
};

describe('Application inference profiles are pending until resolved, then priced', () => {
  it('flags pricing_pending with the ARN and asks the resolver, then prices once it has learnt the model', () => {
    // Prepare
    const resolver = new ConfigInferenceProfileResolver();
    const book = PriceBook.builtIn({ resolver });
    // Act
    const pending = book.price(request);
    resolver.learn(ARN, 'us.anthropic.claude-3-5-haiku-20241022-v1:0');
    const priced = PriceBook.builtIn({ resolver }).price({ ...request, at: '2025-08-01T10:00:00Z' });
    const samebook = book.price({ ...request, at: '2025-08-01T10:00:00Z' });
    // Assess
    expect(pending).toMatchObject({ resolvedModel: null, cost: null, priceRef: null, flags: ['pricing_pending'], pendingProfileArn: ARN });
    expect(resolver.pending()).toEqual([]);
    // 3.5 Haiku: 1,000 × 0.8/1e6 + 500 × 4/1e6 = 0.0008 + 0.002 = 0.0028
    expect(priced.cost && formatUsd(priced.cost.total)).toBe('0.0028');
    expect(samebook.resolvedModel).toBe('anthropic.claude-3-5-haiku-20241022-v1:0');
    expect(samebook.priceRef?.routing).toBe('geo');
    expect(samebook.cost && formatUsd(samebook.cost.total)).toBe('0.0028');
  });

  it('records requested ARNs the config does not map', () => {
    // Prepare
    const resolver = new ConfigInferenceProfileResolver({ [ARN]: 'anthropic.claude-3-haiku-20240307-v1:0' });
    const other = 'arn:aws:bedrock:us-west-2:123456789012:application-inference-profile/zz99';
    const book = PriceBook.builtIn({ resolver });
    // Act
    const mapped = book.price(request);
    const unmapped = book.price({ ...request, modelId: other });
    // Assess: 3 Haiku 1,000 × 0.25/1e6 + 500 × 1.25/1e6 = 0.00025 + 0.000625 = 0.000875
    expect(mapped.cost && formatUsd(mapped.cost.total)).toBe('0.000875');
    expect(unmapped.flags).toEqual(['pricing_pending']);
    expect(resolver.pending()).toEqual([other]);
  });

  it('stays pending (never throws) without a resolver or with a failing one', () => {
    // Prepare
    const failing: InferenceProfileResolver = {
      lookup: () => {
        throw new Error('boom');
      },
      request: () => {
        throw new Error('boom');
      },
    };
    // Act
    const noResolver = PriceBook.builtIn().price(request);
    const broken = PriceBook.builtIn({ resolver: failing }).price(request);
    // Assess
    expect(noResolver).toMatchObject({ cost: null, flags: ['pricing_pending'], pendingProfileArn: ARN });
    expect(noResolver.reason).toMatch(/no InferenceProfileResolver/);
    expect(broken).toMatchObject({ cost: null, flags: ['pricing_pending'], pendingProfileArn: ARN });
  });

  it('flags a profile mapped to an unknown model as unpriced', () => {
    // Prepare
    const resolver = new ConfigInferenceProfileResolver({ [ARN]: 'acme.secret-v9:0' });
    // Act
    const result = PriceBook.builtIn({ resolver }).price(request);
    // Assess
    expect(result).toMatchObject({ resolvedModel: null, cost: null, flags: ['unpriced'] });
    expect(result.reason).toMatch(/Unknown model "acme.secret-v9:0" \(from application inference profile/);
  });

  it('rejects config keys that are not application-profile ARNs, naming them', () => {
    // Act & Assess
    expect(() => new ConfigInferenceProfileResolver({ 'us.anthropic.claude-3-haiku-20240307-v1:0': 'x' })).toThrow(UsageError);
    expect(() => new ConfigInferenceProfileResolver({ 'us.anthropic.claude-3-haiku-20240307-v1:0': 'x' })).toThrow(
      /"us.anthropic.claude-3-haiku-20240307-v1:0" is not an application inference-profile ARN/,
    );
    expect(() => new ConfigInferenceProfileResolver({ [ARN]: '' })).toThrow(/give the model id/);
  });
});
