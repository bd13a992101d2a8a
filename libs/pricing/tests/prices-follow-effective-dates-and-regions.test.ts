import { formatUsd, tokenUsage } from '@bedrock-usage/core';
import { PriceBook } from '../src';
import type { PriceEntry } from '../src';

const base = { regions: ['us-east-1'], source: 'contract ACME-1', asOf: '2025-01-01' };
const ENTRIES: PriceEntry[] = [
  { ...base, model: 'acme.dated-v1', from: '2025-01-01', input: '2', output: '8' },
  { ...base, model: 'acme.dated-v1', from: '2025-06-01', input: '1', output: '4' },
];
const usage = tokenUsage({ inputTokens: 1_000_000, outputTokens: 1_000_000 });

describe('Prices follow effective dates, regions and routing', () => {
  const book = new PriceBook(ENTRIES);
  const priceAt = (at: string | number) => book.price({ modelId: 'acme.dated-v1', region: 'us-east-1', at, usage });

  it('uses the old price before the change date and the new one at and after it', () => {
    // Act: 1M in + 1M out: old 2 + 8 = 10 USD, new 1 + 4 = 5 USD
    const before = priceAt('2025-05-31T23:59:59.999Z');
    const atChange = priceAt('2025-06-01T00:00:00.000Z');
    const after = priceAt(Date.UTC(2025, 10, 1));
    // Assess
    expect(before.cost && formatUsd(before.cost.total)).toBe('10');
    expect(before.priceRef?.from).toBe('2025-01-01');
    expect(atChange.cost && formatUsd(atChange.cost.total)).toBe('5');
    expect(atChange.priceRef?.from).toBe('2025-06-01');
    expect(after.cost && formatUsd(after.cost.total)).toBe('5');
  });

  it('leaves events before the first price unpriced', () => {
    // Act
    const early = priceAt('2024-12-31T23:59:59Z');
    // Assess
    expect(early).toMatchObject({ resolvedModel: 'acme.dated-v1', cost: null, priceRef: null, flags: ['unpriced'] });
    expect(early.reason).toMatch(/before 2025-01-01/);
  });

  it('leaves an unreadable time unpriced instead of throwing', () => {
    // Act
    const result = priceAt('yesterday-ish');
    // Assess
    expect(result.cost).toBeNull();
    expect(result.flags).toEqual(['unpriced']);
  });

  it('never borrows a price from another region', () => {
    // Prepare: Claude 3.5 Sonnet v2 is priced for us-east-1 and us-west-2 only
    const builtIn = PriceBook.builtIn();
    // Act
    const result = builtIn.price({
      modelId: 'eu.anthropic.claude-3-5-sonnet-20241022-v2:0',
      region: 'eu-central-1',
      at: '2025-03-01T00:00:00Z',
      usage,
    });
    // Assess
    expect(result).toMatchObject({ resolvedModel: 'anthropic.claude-3-5-sonnet-20241022-v2:0', cost: null, flags: ['unpriced'] });
    expect(result.reason).toMatch(/No price for "anthropic.claude-3-5-sonnet-20241022-v2:0" in region "eu-central-1"/);
  });

  it('prices global, geo and in-region routing from their own rows', () => {
    // Prepare: Haiku 4.5, 1M in: global 1 USD, geo and in-region 1.1 USD
    const builtIn = PriceBook.builtIn();
    const input = tokenUsage({ inputTokens: 1_000_000 });
    const at = '2025-12-01T00:00:00Z';
    // Act
    const [global, geo, inRegion] = [
      'global.anthropic.claude-haiku-4-5-20251001-v1:0',
      'us.anthropic.claude-haiku-4-5-20251001-v1:0',
      'anthropic.claude-haiku-4-5-20251001-v1:0',
    ].map((modelId) => builtIn.price({ modelId, region: 'us-west-2', at, usage: input }));
    // Assess
    expect(global?.cost && formatUsd(global.cost.total)).toBe('1');
    expect(geo?.cost && formatUsd(geo.cost.total)).toBe('1.1');
    expect(inRegion?.cost && formatUsd(inRegion.cost.total)).toBe('1.1');
  });

  it('leaves a routing class without a price unpriced', () => {
    // Prepare: a model priced for in-region calls only
    const onlyInRegion = new PriceBook([{ ...base, model: 'acme.local-v1', from: '2025-01-01', routing: ['in-region'], input: '1', output: '1' }]);
    // Act
    const result = onlyInRegion.price({ modelId: 'global.acme.local-v1', region: 'us-east-1', at: '2025-02-01T00:00:00Z', usage });
    // Assess
    expect(result.cost).toBeNull();
    expect(result.reason).toMatch(/global routing/);
  });
});
