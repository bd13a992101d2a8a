import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { cli, npmCli } from './run-cli';

describe('cli price', () => {
  it('prices a cache-read call through a us. profile exactly, as one JSON line (real npm script)', async () => {
    // Claude 3.7 Sonnet, us-east-1: $3 in, $15 out, $0.30 cache read per 1M (aws.amazon.com/bedrock/pricing).
    // 27 × 3/1e6 = 0.000081; 412 × 15/1e6 = 0.00618; 5318 × 0.3/1e6 = 0.0015954; total 0.0078564
    const { code, out } = await npmCli(['price', '--model', 'us.anthropic.claude-3-7-sonnet-20250219-v1:0', '--input', '27', '--output', '412', '--cache-read', '5318', '--at', '2025-05-06', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({
      modelId: 'us.anthropic.claude-3-7-sonnet-20250219-v1:0',
      resolvedModel: 'anthropic.claude-3-7-sonnet-20250219-v1:0',
      region: 'us-east-1',
      costUsd: '0.0078564',
      breakdown: { input: '0.000081', output: '0.00618', cacheRead: '0.0015954', cacheWrite: '0', cacheWrite1h: '0' },
      flags: [],
    });
  }, 60_000);

  it('prices Nova Micro cache reads below a nano-dollar per token without rounding', () => {
    // Nova Micro, us-east-1: $0.035 in, $0.14 out, $0.00875 cache read per 1M.
    // 7 × 0.035/1e6 = 0.000000245; 3 × 0.14/1e6 = 0.00000042; 1 × 0.00875/1e6 = 0.00000000875
    const { code, out } = cli(['price', '--model', 'amazon.nova-micro-v1:0', '--region', 'us-east-1', '--input', '7', '--output', '3', '--cache-read', '1', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ costUsd: '0.00000067375', breakdown: { input: '0.000000245', output: '0.00000042', cacheRead: '0.00000000875' } });
  });

  it('never prices an unknown model at $0', () => {
    const { code, out } = cli(['price', '--model', 'acme.unknown-model-v1:0', '--input', '100', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ costUsd: null, breakdown: null, flags: ['unpriced'] });
    expect(cli(['price', '--model', 'acme.unknown-model-v1:0', '--input', '100']).out).toMatch(/cost: none — unpriced/);
  });

  it('prints a readable table by default', () => {
    const { code, out } = cli(['price', '--model', 'anthropic.claude-3-5-sonnet-20241022-v2:0', '--input', '1000', '--output', '500'], { AWS_REGION: 'us-west-2' });
    // 1000 × 3/1e6 + 500 × 15/1e6 = 0.003 + 0.0075
    expect(code).toBe(0);
    expect(out).toMatch(/region\s+us-west-2/);
    expect(out).toMatch(/input\s+1000\s+0\.003\n/);
    expect(out).toMatch(/total\s+1500\s+0\.0105/);
  });

  it('uses a price-overrides file from BEDROCK_USAGE_PRICING_FILE and reports a bad one by variable, model and field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'price-'));
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ prices: [{ model: 'acme.custom-v1', from: '2025-01-01', regions: ['us-east-1'], input: '2', output: '4', source: 'contract ACME-42', asOf: '2025-01-01' }] }));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ prices: [{ model: 'acme.custom-v1', from: '2025-01-01', regions: ['us-east-1'], input: '-3', output: '4', source: 'x', asOf: '2025-01-01' }] }));

    const priced = cli(['price', '--model', 'acme.custom-v1', '--input', '1000000', '--output', '1', '--json'], { BEDROCK_USAGE_PRICING_FILE: good });
    expect(JSON.parse(priced.out)).toMatchObject({ costUsd: '2.000004', flags: [] });

    const rejected = cli(['price', '--model', 'acme.custom-v1', '--input', '1'], { BEDROCK_USAGE_PRICING_FILE: bad });
    expect(rejected.code).toBe(2);
    expect(rejected.err).toMatch(/acme\.custom-v1/);
    expect(rejected.err).toMatch(/input/);

    const missing = cli(['price', '--model', 'x', '--input', '1'], { BEDROCK_USAGE_PRICING_FILE: join(dir, 'nope.json') });
    expect(missing).toMatchObject({ code: 2, err: expect.stringContaining(`BEDROCK_USAGE_PRICING_FILE="${join(dir, 'nope.json')}" cannot be read (ENOENT)`) });
  });

  it('rejects bad options naming the option and what is allowed', () => {
    expect(cli(['price', '--model', 'x', '--input=-5']).err).toBe('--input "-5" is not a token count — use a whole number from 0 to 2147483647');
    expect(cli(['price', '--model', 'x', '--at', 'yesterday']).err).toMatch(/--at "yesterday" is not an ISO-8601 date/);
    expect(cli(['price', '--model', 'x', '--region', 'mars']).err).toMatch(/--region "mars" is not an AWS region/);
    expect(cli(['price', '--input', '5'])).toMatchObject({ code: 2, err: expect.stringContaining('price needs --model ID') });
    expect(cli(['price', '--model', 'x'], { AWS_REGION: 'moon' })).toMatchObject({ code: 2, err: 'AWS_REGION="moon" is not an AWS region — use one like us-east-1 or eu-central-1' });
  });

  it('lists the price book with sources', () => {
    const table = cli(['price', '--list', '--model', 'nova-micro']);
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/amazon\.nova-micro-v1:0\s+us-east-1/);
    const rows = cli(['price', '--list', '--json']).out.split('\n').map((line) => JSON.parse(line));
    expect(rows.length).toBeGreaterThan(30);
    for (const row of rows) expect(row.source).toMatch(/^https:\/\//);
  });
});
