import { formatUsd, tokenUsage, UsageError } from '@bedrock-usage/core';
import { parsePriceOverrides, PriceBook } from '../src';

const entry = {
  model: 'acme.custom-v1',
  from: '2025-06-01',
  regions: ['us-east-1'],
  input: '0.5',
  output: '1.5',
  source: 'contract ACME-42',
  asOf: '2025-06-01',
};
const usage = tokenUsage({ inputTokens: 1_000_000, outputTokens: 1_000_000 });

function errorOf(json: unknown): string {
  try {
    parsePriceOverrides(json);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).code).toBe('INVALID_PRICE_BOOK');
    return (error as Error).message;
  }
  throw new Error('expected parsePriceOverrides to throw');
}

describe('Overrides merge over the built-in book and explain their errors', () => {
  it('adds new models and replaces a built-in price for the same model, region and date', () => {
    // Prepare: a negotiated Nova Micro price replacing the built-in one in us-east-1 from 2024-12-03
    const overrides = parsePriceOverrides({
      version: 1,
      prices: [
        entry,
        { ...entry, model: 'amazon.nova-micro-v1:0', from: '2024-12-03', input: '0.03', output: '0.12', source: 'EDP 2025', note: 'private pricing' },
      ],
    });
    const book = PriceBook.builtIn({ overrides });
    const at = '2025-07-01T00:00:00Z';
    // Act
    const custom = book.price({ modelId: 'acme.custom-v1', region: 'us-east-1', at, usage });
    const micro = book.price({ modelId: 'amazon.nova-micro-v1:0', region: 'us-east-1', at, usage });
    const microWest = book.price({ modelId: 'amazon.nova-micro-v1:0', region: 'us-west-2', at, usage });
    // Assess: custom 0.5 + 1.5 = 2; micro override 0.03 + 0.12 = 0.15; us-west-2 keeps 0.035 + 0.14 = 0.175
    expect(custom.cost && formatUsd(custom.cost.total)).toBe('2');
    expect(custom.priceRef).toEqual({ model: 'acme.custom-v1', region: 'us-east-1', routing: 'in-region', from: '2025-06-01', source: 'contract ACME-42' });
    expect(micro.cost && formatUsd(micro.cost.total)).toBe('0.15');
    expect(micro.priceRef?.source).toBe('EDP 2025');
    expect(microWest.cost && formatUsd(microWest.cost.total)).toBe('0.175');
    const rows = book.list().filter((row) => row.model === 'amazon.nova-micro-v1:0' && row.region === 'us-east-1');
    expect(rows.map((row) => [row.routing, row.origin, row.input])).toEqual([
      ['geo', 'override', '0.03'],
      ['global', 'override', '0.03'],
      ['in-region', 'override', '0.03'],
    ]);
  });

  it('adds a dated price change over a built-in price', () => {
    // Prepare: Claude 3 Haiku gets a later price in us-east-1 from 2026-01-01
    const overrides = parsePriceOverrides({ prices: [{ ...entry, model: 'anthropic.claude-3-haiku-20240307-v1:0', from: '2026-01-01', input: '0.2', output: '1' }] });
    const book = PriceBook.builtIn({ overrides });
    const k = tokenUsage({ inputTokens: 1000, outputTokens: 1000 });
    // Act
    const before = book.price({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', region: 'us-east-1', at: '2025-12-31T23:00:00Z', usage: k });
    const after = book.price({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', region: 'us-east-1', at: '2026-01-01T00:00:00Z', usage: k });
    // Assess: before 0.00025 + 0.00125 = 0.0015; after 0.0002 + 0.001 = 0.0012
    expect(before.cost && formatUsd(before.cost.total)).toBe('0.0015');
    expect(after.cost && formatUsd(after.cost.total)).toBe('0.0012');
  });

  it.each([
    [
      'a negative amount',
      { prices: [{ ...entry, input: '-3' }] },
      'price override "acme.custom-v1" field "input": "-3" is not a non-negative decimal USD amount per 1M tokens (e.g. "3" or "0.25")',
    ],
    ['a number instead of a string', { prices: [{ ...entry, output: 1.5 }] }, 'price override "acme.custom-v1" field "output": 1.5 must be a string (write "1.5") so the decimal stays exact'],
    [
      'more than 9 decimal places',
      { prices: [{ ...entry, cacheRead: '0.0000000001' }] },
      'price override "acme.custom-v1" field "cacheRead": "0.0000000001" has 10 decimal places — at most 9 are allowed per 1M tokens',
    ],
    ['an impossible date', { prices: [{ ...entry, from: '2025-02-30' }] }, 'price override "acme.custom-v1" field "from": "2025-02-30" is not a calendar date written YYYY-MM-DD'],
    ['a badly written date', { prices: [{ ...entry, asOf: '01/06/2025' }] }, 'field "asOf": "01/06/2025" is not a calendar date'],
    ['unknown fields', { prices: [{ ...entry, inputPrice: '3', colour: 'red' }] }, 'price override "acme.custom-v1": unknown fields "inputPrice", "colour" — allowed: model, name, from, regions'],
    ['a missing field', { prices: [{ ...entry, source: undefined }] }, 'price override "acme.custom-v1" field "source": is required'],
    ['a bad region', { prices: [{ ...entry, regions: ['us-east-1', 'mars-1'] }] }, 'field "regions": "mars-1" is not an AWS region like "us-east-1"'],
    ['empty regions', { prices: [{ ...entry, regions: [] }] }, 'field "regions": [] must be a non-empty array of AWS regions'],
    ['a bad routing', { prices: [{ ...entry, routing: ['regional'] }] }, 'field "routing": "regional" is not one of "in-region", "geo", "global"'],
    ['a profile id as model', { prices: [{ ...entry, model: 'us.acme.custom-v1' }] }, 'is an inference-profile id — use the base model id ("acme.custom-v1") and set "routing"'],
    ['a model that is not an id', { prices: [{ ...entry, model: 'My Model' }] }, 'price override "My Model" field "model": "My Model" is not a Bedrock model id'],
    ['an entry that is not an object', { prices: ['acme'] }, 'price override #1: must be an object with "model", "from", "regions"'],
    ['a duplicate cell', { prices: [entry, { ...entry, input: '0.6' }] }, 'price override "acme.custom-v1": region "us-east-1", routing "in-region", from "2025-06-01" is already priced by entry #1'],
    ['no prices array', { price: [] }, 'price overrides: unknown fields "price" — allowed: version, prices'],
    ['a document that is not an object', 'prices', 'price overrides: must be a JSON object like { "prices": [ … ] }, got "prices"'],
    ['an unsupported version', { version: 2, prices: [] }, 'price overrides field "version": 2 is not supported'],
  ])('rejects %s, saying what is allowed', (_case, json, expected) => {
    // Act
    const message = errorOf(json);
    // Assess
    expect(message).toContain(expected);
  });

  it('lists every problem of a document at once', () => {
    // Act
    const message = errorOf({ prices: [{ ...entry, input: '-1' }, { ...entry, model: 'acme.other-v1', output: 'x' }] });
    // Assess
    expect(message).toMatch(/^2 problems:/);
    expect(message).toContain('"acme.custom-v1" field "input"');
    expect(message).toContain('"acme.other-v1" field "output"');
  });

  it('validates entries given to the constructor too', () => {
    // Act & Assess
    expect(() => new PriceBook([{ ...entry, input: '1e-6' }])).toThrow(/built-in price "acme.custom-v1" field "input": "1e-6" is not a non-negative decimal/);
  });
});
