import { formatUsd, tokenUsage } from '@bedrock-usage/core';
import { PriceBook } from '../src';

describe('A million small costs sum to the exact decimal', () => {
  it('adds 1,000,000 one-token Nova Micro cache reads to exactly 0.00875 USD', () => {
    // Prepare: one cache-read token at 0.00875 per 1M = 8.75e-9 USD = 8,750,000 femto-USD
    const book = PriceBook.builtIn();
    const request = {
      modelId: 'us.amazon.nova-micro-v1:0',
      region: 'us-east-1',
      at: Date.UTC(2025, 5, 1),
      usage: tokenUsage({ cacheReadInputTokens: 1 }),
    };
    // Act
    let total = 0n;
    for (let i = 0; i < 1_000_000; i++) total += book.price(request).cost?.total ?? 0n;
    // Assess: 1,000,000 × 8.75e-9 = 0.00875, exactly
    expect(book.price(request).cost?.cacheRead).toBe(8_750_000n);
    expect(formatUsd(total)).toBe('0.00875');
  });
});
