import { tokenUsage } from '@bedrock-usage/core';
import { PriceBook } from '../src';

const usage = tokenUsage({ inputTokens: 1000, outputTokens: 1000 });

describe('Unknown models and provisioned throughput are flagged, never priced at $0', () => {
  const book = PriceBook.builtIn();

  it('flags an unknown model unpriced with cost null and a hint', () => {
    // Act
    const result = book.price({ modelId: 'acme.mystery-v1:0', region: 'us-east-1', at: Date.UTC(2025, 0, 1), usage });
    // Assess
    expect(result).toEqual({
      resolvedModel: null,
      cost: null,
      priceRef: null,
      flags: ['unpriced'],
      reason: 'Unknown model "acme.mystery-v1:0" — add it to pricing overrides (BEDROCK_USAGE_PRICING_FILE) or run "cli price --list"',
    });
  });

  it('flags a provisioned-throughput ARN provisioned with cost null', () => {
    // Act
    const result = book.price({
      modelId: 'arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abcd1234efgh',
      region: 'us-east-1',
      at: Date.UTC(2025, 0, 1),
      usage,
    });
    // Assess
    expect(result).toMatchObject({ resolvedModel: null, cost: null, priceRef: null, flags: ['provisioned'] });
  });

  it('never throws, even for a request that is not one', () => {
    // Act
    const result = book.price(null as never);
    // Assess
    expect(result.cost).toBeNull();
    expect(result.flags).toEqual(['tracking_error', 'unpriced']);
  });
});
