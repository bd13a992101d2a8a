import { PriceBook } from '../src';
import type { PriceListing } from '../src';

/**
 * Every built-in price, typed here from its source (NOT read from the JSON), so an edit to the book that
 * does not match a source fails. Figures are USD per 1M tokens.
 * Sources: AWS = https://aws.amazon.com/bedrock/pricing/ (transcriptions dated 2025-07-20 by convo-lang, or
 * undated by Aditya-Poddar/bedrock-pricing); LITELLM = litellm model_prices_and_context_window.json;
 * GLOBAL = AWS docs "Global cross-Region inference" (geo ≈ 10% above global); ANTHROPIC = Anthropic's list price.
 */
type Row = {
  model: string;
  regions: string[];
  routing: 'all' | 'in-region+geo' | 'global';
  from: string;
  input: string;
  output: string;
  cacheRead?: string;
  cacheWrite?: string;
  batchInput?: string;
  batchOutput?: string;
  source: string;
};
const US = ['us-east-1', 'us-west-2'];
const S45 = ['us-east-1', 'us-west-2', 'eu-central-1', 'eu-west-1', 'ap-northeast-1'];

const EXPECTED: Row[] = [
  // Anthropic
  { model: 'anthropic.claude-3-haiku-20240307-v1:0', regions: US, routing: 'all', from: '2024-03-07', input: '0.25', output: '1.25', batchInput: '0.125', batchOutput: '0.625', source: 'AWS 2025-07-20' },
  { model: 'anthropic.claude-3-sonnet-20240229-v1:0', regions: US, routing: 'all', from: '2024-02-29', input: '3', output: '15', source: 'AWS (Aditya-Poddar)' },
  { model: 'anthropic.claude-3-opus-20240229-v1:0', regions: US, routing: 'all', from: '2024-02-29', input: '15', output: '75', source: 'AWS (Aditya-Poddar)' },
  { model: 'anthropic.claude-3-5-haiku-20241022-v1:0', regions: US, routing: 'all', from: '2025-07-20', input: '0.8', output: '4', cacheRead: '0.08', cacheWrite: '1', source: 'AWS 2025-07-20' },
  { model: 'anthropic.claude-3-5-sonnet-20240620-v1:0', regions: US, routing: 'all', from: '2024-06-20', input: '3', output: '15', batchInput: '1.5', batchOutput: '7.5', source: 'AWS 2025-07-20' },
  { model: 'anthropic.claude-3-5-sonnet-20241022-v2:0', regions: US, routing: 'all', from: '2024-10-22', input: '3', output: '15', cacheRead: '0.3', cacheWrite: '3.75', batchInput: '1.5', batchOutput: '7.5', source: 'AWS 2025-07-20' },
  { model: 'anthropic.claude-3-7-sonnet-20250219-v1:0', regions: US, routing: 'all', from: '2025-02-19', input: '3', output: '15', cacheRead: '0.3', cacheWrite: '3.75', source: 'AWS 2025-07-20' },
  { model: 'anthropic.claude-sonnet-4-20250514-v1:0', regions: US, routing: 'all', from: '2025-05-14', input: '3', output: '15', cacheRead: '0.3', cacheWrite: '3.75', source: 'AWS 2025-07-20' },
  { model: 'anthropic.claude-opus-4-20250514-v1:0', regions: US, routing: 'all', from: '2025-05-14', input: '15', output: '75', cacheRead: '1.5', cacheWrite: '18.75', source: 'AWS 2025-07-20' },
  { model: 'anthropic.claude-opus-4-1-20250805-v1:0', regions: US, routing: 'all', from: '2025-08-05', input: '15', output: '75', cacheRead: '1.5', cacheWrite: '18.75', source: 'AWS (Aditya-Poddar) + ANTHROPIC cache' },
  { model: 'anthropic.claude-sonnet-4-5-20250929-v1:0', regions: S45, routing: 'in-region+geo', from: '2025-09-29', input: '3.3', output: '16.5', cacheRead: '0.33', cacheWrite: '4.125', source: 'GLOBAL + LITELLM us./eu./jp.' },
  { model: 'anthropic.claude-sonnet-4-5-20250929-v1:0', regions: S45, routing: 'global', from: '2025-09-29', input: '3', output: '15', cacheRead: '0.3', cacheWrite: '3.75', source: 'GLOBAL + AWS (Aditya-Poddar)' },
  { model: 'anthropic.claude-haiku-4-5-20251001-v1:0', regions: US, routing: 'in-region+geo', from: '2025-10-01', input: '1.1', output: '5.5', cacheRead: '0.11', cacheWrite: '1.375', source: 'derived: global + 10% (GLOBAL)' },
  { model: 'anthropic.claude-haiku-4-5-20251001-v1:0', regions: US, routing: 'global', from: '2025-10-01', input: '1', output: '5', cacheRead: '0.1', cacheWrite: '1.25', source: 'AWS (Aditya-Poddar) + ANTHROPIC cache' },
  { model: 'anthropic.claude-opus-4-5-20251101-v1:0', regions: US, routing: 'in-region+geo', from: '2025-11-01', input: '5.5', output: '27.5', cacheRead: '0.55', cacheWrite: '6.875', source: 'derived: global + 10% (GLOBAL)' },
  { model: 'anthropic.claude-opus-4-5-20251101-v1:0', regions: US, routing: 'global', from: '2025-11-01', input: '5', output: '25', cacheRead: '0.5', cacheWrite: '6.25', source: 'AWS (Aditya-Poddar) + ANTHROPIC cache' },
  // Amazon Nova
  { model: 'amazon.nova-micro-v1:0', regions: US, routing: 'all', from: '2024-12-03', input: '0.035', output: '0.14', cacheRead: '0.00875', batchInput: '0.0175', batchOutput: '0.07', source: 'AWS 2025-07-20' },
  { model: 'amazon.nova-lite-v1:0', regions: US, routing: 'all', from: '2024-12-03', input: '0.06', output: '0.24', cacheRead: '0.015', batchInput: '0.03', batchOutput: '0.12', source: 'AWS 2025-07-20' },
  { model: 'amazon.nova-pro-v1:0', regions: US, routing: 'all', from: '2024-12-03', input: '0.8', output: '3.2', cacheRead: '0.2', batchInput: '0.4', batchOutput: '1.6', source: 'AWS 2025-07-20' },
  { model: 'amazon.nova-premier-v1:0', regions: US, routing: 'all', from: '2025-04-30', input: '2.5', output: '12.5', cacheRead: '0.625', batchInput: '1.25', batchOutput: '6.25', source: 'AWS 2025-07-20' },
  // Amazon Titan
  { model: 'amazon.titan-text-lite-v1', regions: US, routing: 'all', from: '2023-11-29', input: '0.15', output: '0.2', source: 'AWS (Aditya-Poddar)' },
  { model: 'amazon.titan-text-express-v1', regions: US, routing: 'all', from: '2023-11-29', input: '0.2', output: '0.6', source: 'AWS (Aditya-Poddar)' },
  { model: 'amazon.titan-text-premier-v1:0', regions: US, routing: 'all', from: '2024-05-07', input: '0.5', output: '1.5', source: 'AWS (Aditya-Poddar)' },
  { model: 'amazon.titan-embed-text-v1', regions: US, routing: 'all', from: '2023-09-28', input: '0.1', output: '0', source: 'Portkey / litellm' },
  { model: 'amazon.titan-embed-text-v2:0', regions: US, routing: 'all', from: '2024-04-30', input: '0.02', output: '0', source: 'inventivehq AWS table' },
  // Meta
  { model: 'meta.llama3-8b-instruct-v1:0', regions: [...US, 'us-west-1'], routing: 'all', from: '2024-04-23', input: '0.3', output: '0.6', source: 'AWS 2025-07-20 + LITELLM' },
  { model: 'meta.llama3-70b-instruct-v1:0', regions: [...US, 'us-west-1'], routing: 'all', from: '2024-04-23', input: '2.65', output: '3.5', source: 'AWS 2025-07-20 + LITELLM' },
  { model: 'meta.llama3-8b-instruct-v1:0', regions: ['eu-west-1'], routing: 'all', from: '2024-04-23', input: '0.32', output: '0.65', source: 'LITELLM' },
  { model: 'meta.llama3-70b-instruct-v1:0', regions: ['eu-west-1'], routing: 'all', from: '2024-04-23', input: '2.86', output: '3.78', source: 'LITELLM' },
  { model: 'meta.llama3-8b-instruct-v1:0', regions: ['eu-west-2'], routing: 'all', from: '2024-04-23', input: '0.39', output: '0.78', source: 'LITELLM' },
  { model: 'meta.llama3-70b-instruct-v1:0', regions: ['eu-west-2'], routing: 'all', from: '2024-04-23', input: '3.45', output: '4.55', source: 'LITELLM' },
  { model: 'meta.llama3-8b-instruct-v1:0', regions: ['ap-south-1'], routing: 'all', from: '2024-04-23', input: '0.36', output: '0.72', source: 'LITELLM' },
  { model: 'meta.llama3-70b-instruct-v1:0', regions: ['ap-south-1'], routing: 'all', from: '2024-04-23', input: '3.18', output: '4.2', source: 'LITELLM' },
  { model: 'meta.llama3-8b-instruct-v1:0', regions: ['ca-central-1'], routing: 'all', from: '2024-04-23', input: '0.35', output: '0.69', source: 'LITELLM' },
  { model: 'meta.llama3-70b-instruct-v1:0', regions: ['ca-central-1'], routing: 'all', from: '2024-04-23', input: '3.05', output: '4.03', source: 'LITELLM' },
  { model: 'meta.llama3-8b-instruct-v1:0', regions: ['sa-east-1'], routing: 'all', from: '2024-04-23', input: '0.5', output: '1.01', source: 'LITELLM' },
  { model: 'meta.llama3-70b-instruct-v1:0', regions: ['sa-east-1'], routing: 'all', from: '2024-04-23', input: '4.45', output: '5.88', source: 'LITELLM' },
  { model: 'meta.llama3-1-8b-instruct-v1:0', regions: US, routing: 'all', from: '2025-07-20', input: '0.22', output: '0.22', batchInput: '0.11', batchOutput: '0.11', source: 'AWS 2025-07-20' },
  { model: 'meta.llama3-1-70b-instruct-v1:0', regions: US, routing: 'all', from: '2025-07-20', input: '0.72', output: '0.72', batchInput: '0.36', batchOutput: '0.36', source: 'AWS 2025-07-20' },
  { model: 'meta.llama3-1-405b-instruct-v1:0', regions: US, routing: 'all', from: '2025-07-20', input: '2.4', output: '2.4', batchInput: '1.2', batchOutput: '1.2', source: 'AWS 2025-07-20' },
  { model: 'meta.llama3-2-1b-instruct-v1:0', regions: US, routing: 'all', from: '2024-09-25', input: '0.1', output: '0.1', source: 'AWS 2025-07-20' },
  { model: 'meta.llama3-2-3b-instruct-v1:0', regions: US, routing: 'all', from: '2024-09-25', input: '0.15', output: '0.15', source: 'AWS 2025-07-20' },
  { model: 'meta.llama3-2-11b-instruct-v1:0', regions: US, routing: 'all', from: '2025-07-20', input: '0.16', output: '0.16', source: 'AWS 2025-07-20' },
  { model: 'meta.llama3-2-90b-instruct-v1:0', regions: US, routing: 'all', from: '2025-07-20', input: '0.72', output: '0.72', source: 'AWS 2025-07-20' },
  { model: 'meta.llama3-3-70b-instruct-v1:0', regions: US, routing: 'all', from: '2024-12-19', input: '0.72', output: '0.72', batchInput: '0.36', batchOutput: '0.36', source: 'AWS 2025-07-20' },
  { model: 'meta.llama4-maverick-17b-instruct-v1:0', regions: US, routing: 'all', from: '2025-04-28', input: '0.24', output: '0.97', batchInput: '0.12', batchOutput: '0.485', source: 'AWS 2025-07-20' },
  { model: 'meta.llama4-scout-17b-instruct-v1:0', regions: US, routing: 'all', from: '2025-04-28', input: '0.17', output: '0.66', batchInput: '0.085', batchOutput: '0.33', source: 'AWS 2025-07-20' },
  // Mistral
  { model: 'mistral.mistral-7b-instruct-v0:2', regions: US, routing: 'all', from: '2024-03-01', input: '0.15', output: '0.2', source: 'AWS (Aditya-Poddar) + LITELLM' },
  { model: 'mistral.mistral-7b-instruct-v0:2', regions: ['eu-west-3'], routing: 'all', from: '2024-03-01', input: '0.2', output: '0.26', source: 'LITELLM' },
  { model: 'mistral.mixtral-8x7b-instruct-v0:1', regions: US, routing: 'all', from: '2024-03-01', input: '0.45', output: '0.7', source: 'AWS (Aditya-Poddar) + LITELLM' },
  { model: 'mistral.mixtral-8x7b-instruct-v0:1', regions: ['eu-west-3'], routing: 'all', from: '2024-03-01', input: '0.59', output: '0.91', source: 'LITELLM' },
  { model: 'mistral.mistral-small-2402-v1:0', regions: US, routing: 'all', from: '2024-05-23', input: '1', output: '3', source: 'AWS (Aditya-Poddar) + Portkey' },
  { model: 'mistral.mistral-large-2402-v1:0', regions: US, routing: 'all', from: '2024-04-02', input: '4', output: '12', source: 'Portkey + inventivehq' },
  { model: 'mistral.mistral-large-2407-v1:0', regions: ['us-west-2'], routing: 'all', from: '2024-07-24', input: '2', output: '6', source: 'Portkey + atonementlicensing' },
  { model: 'mistral.pixtral-large-2502-v1:0', regions: US, routing: 'all', from: '2025-04-08', input: '2', output: '6', source: 'AWS 2025-07-20' },
  // Cohere, AI21, DeepSeek, OpenAI
  { model: 'cohere.command-r-v1:0', regions: US, routing: 'all', from: '2024-04-30', input: '0.5', output: '1.5', source: 'AWS 2025-07-20' },
  { model: 'cohere.command-r-plus-v1:0', regions: US, routing: 'all', from: '2024-04-30', input: '3', output: '15', source: 'AWS 2025-07-20' },
  { model: 'ai21.jamba-1-5-mini-v1:0', regions: US, routing: 'all', from: '2024-08-22', input: '0.2', output: '0.4', source: 'AWS 2025-07-20' },
  { model: 'ai21.jamba-1-5-large-v1:0', regions: US, routing: 'all', from: '2024-08-22', input: '2', output: '8', source: 'AWS 2025-07-20' },
  { model: 'deepseek.r1-v1:0', regions: US, routing: 'all', from: '2025-03-10', input: '1.35', output: '5.4', source: 'AWS 2025-07-20' },
  { model: 'openai.gpt-oss-20b-1:0', regions: US, routing: 'all', from: '2025-08-05', input: '0.07', output: '0.3', source: 'AWS (Aditya-Poddar)' },
  { model: 'openai.gpt-oss-120b-1:0', regions: US, routing: 'all', from: '2025-08-05', input: '0.15', output: '0.6', source: 'AWS (Aditya-Poddar)' },
];

const ROUTINGS = { all: ['in-region', 'geo', 'global'], 'in-region+geo': ['in-region', 'geo'], global: ['global'] } as const;
const key = (r: Pick<PriceListing, 'model' | 'region' | 'routing' | 'from'>): string => `${r.model} ${r.region} ${r.routing} ${r.from}`;

describe('Built-in prices match the figures of their sources', () => {
  // Prepare
  const listed = new Map(PriceBook.builtIn().list().map((row) => [key(row), row]));
  const expectedCells = EXPECTED.flatMap((row) =>
    row.regions.flatMap((region) => ROUTINGS[row.routing].map((routing) => ({ row, cell: { model: row.model, region, routing, from: row.from } }))),
  );

  it.each(expectedCells.map(({ row, cell }) => [key(cell), row, cell] as const))('%s', (_name, row, cell) => {
    // Act
    const listing = listed.get(key(cell));
    // Assess
    expect(listing).toBeDefined();
    expect({
      input: listing?.input,
      output: listing?.output,
      cacheRead: listing?.cacheRead,
      cacheWrite: listing?.cacheWrite,
      batchInput: listing?.batchInput,
      batchOutput: listing?.batchOutput,
    }).toEqual({
      input: row.input,
      output: row.output,
      cacheRead: row.cacheRead,
      cacheWrite: row.cacheWrite,
      batchInput: row.batchInput,
      batchOutput: row.batchOutput,
    });
    expect(listing?.source).toMatch(/^https:\/\//);
    expect(listing?.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('has no price that this table does not check', () => {
    // Act
    const unchecked = [...listed.keys()].filter((k) => !expectedCells.some(({ cell }) => key(cell) === k));
    // Assess
    expect(unchecked).toEqual([]);
    expect(listed.size).toBe(expectedCells.length);
  });

  it('never lists a 1-hour cache-write price it could not source', () => {
    // Assess: no AWS figure for 1 h writes was found; calls that report them are unpriced (see README)
    expect([...listed.values()].filter((row) => row.cacheWrite1h !== undefined)).toEqual([]);
  });
});
