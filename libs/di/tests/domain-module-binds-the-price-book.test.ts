import { Container } from 'inversify';

import { tokenUsage } from '@bedrock-usage/core';

import { domainModule, TOKENS } from '../src';

describe('domainModule', () => {
  it('binds one price book with the overrides and profile mappings merged in', () => {
    // Prepare
    const container = new Container();
    container.load(
      domainModule({
        priceOverrides: { prices: [{ model: 'acme.custom-v1', from: '2025-01-01', regions: ['us-east-1'], input: '2', output: '4', source: 'contract ACME-42', asOf: '2025-01-01' }] },
        inferenceProfiles: { 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123': 'acme.custom-v1' },
      }),
    );
    // Act
    const book = container.get(TOKENS.PriceBook);
    const result = book.price({
      modelId: 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123',
      region: 'us-east-1',
      at: '2025-06-01T00:00:00Z',
      usage: tokenUsage({ inputTokens: 500_000, outputTokens: 250_000 }),
    });
    // Assess: 0.5M × $2 + 0.25M × $4 = $2
    expect(container.get(TOKENS.PriceBook)).toBe(book);
    expect(result.resolvedModel).toBe('acme.custom-v1');
    expect(result.cost?.total).toBe(2_000_000_000_000_000n);
    expect(container.get(TOKENS.Clock).now()).toBeGreaterThan(0);
  });

  it('stops at start-up on a bad overrides document, naming the model and the field', () => {
    expect(() =>
      domainModule({ priceOverrides: { prices: [{ model: 'acme.custom-v1', from: '2025-01-01', regions: ['us-east-1'], input: 'cheap', output: '4', source: 'x', asOf: '2025-01-01' }] } }),
    ).toThrow(/acme\.custom-v1.*input/s);
  });
});
