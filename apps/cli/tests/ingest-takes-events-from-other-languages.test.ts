import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { storeCli } from './run-cli';

/** An event as a Python agent builds it by hand to the published schema, after bedrock.converse(...). */
const byHand = (eventId: string, cost: string | null): Record<string, unknown> => ({
  schemaVersion: 1,
  eventId,
  time: '2025-03-11T14:22:09Z',
  agentId: 'python-triage',
  incidentId: 'INC-20250311-0042',
  tags: { language: 'python' },
  api: 'Converse',
  modelId: 'amazon.nova-lite-v1:0',
  resolvedModel: cost === null ? null : 'amazon.nova-lite-v1:0',
  region: 'us-east-1',
  outcome: 'success',
  usage: { inputTokens: 812, outputTokens: 96, cacheReadInputTokens: 0, cacheWriteInputTokens: 0, totalTokens: 908 },
  cost: cost === null ? null : { total: cost, input: '0.00004872', output: '0.00002304', cacheRead: '0', cacheWrite: '0', cacheWrite1h: '0' },
  priceRef: null,
  latencyMs: 640,
  apiLatencyMs: 702.4,
  flags: cost === null ? ['unpriced'] : [],
});

describe('cli ingest: usage events from agents in other languages', () => {
  let dir: string;
  let file: string;
  let env: NodeJS.ProcessEnv;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bedrock-usage-ingest-'));
    env = { BEDROCK_USAGE_DATA_DIR: join(dir, 'data') };
    file = join(dir, 'python-agent.jsonl');
    const noUsage = byHand('bad-1', '0.00007176');
    delete noUsage.usage;
    writeFileSync(file, [JSON.stringify(byHand('py-1', '0.00007176')), JSON.stringify(byHand('py-2', null)), JSON.stringify(noUsage), '{not json', ''].join('\n'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('ingests the valid lines, names each refused one, and every report counts what was ingested', async () => {
    // Act
    const ingest = await storeCli(['ingest', file, '--json'], env);
    const report = await storeCli(['report', 'daily', '--date', '2025-03-11', '--json'], env);

    // Assess
    expect(ingest.code).toBe(1);
    expect(JSON.parse(ingest.out)).toMatchObject({
      ok: false,
      lines: 4,
      valid: 2,
      ingested: 2,
      refused: [
        { file, line: 3, error: 'usage event field "usage" is missing — expected an object' },
        { file, line: 4, error: expect.stringMatching(/^not JSON/) },
      ],
    });
    expect(JSON.parse(report.out)).toMatchObject({ requestCount: 2, totalCost: '0.00007176', unpriced: { requests: 1 } });
  });

  it('is idempotent by eventId: ingesting the same file again changes no figure', async () => {
    // Prepare
    await storeCli(['ingest', file], env);
    // Act
    const again = await storeCli(['ingest', file], env);
    const report = await storeCli(['report', 'daily', '--date', '2025-03-11', '--json'], env);
    // Assess
    expect(again.out).toContain('2 of 4 lines are valid usage events (schema v1); 2 ingested into the usage store');
    expect(again.err).toContain(`${file}:3: usage event field "usage" is missing`);
    expect(JSON.parse(report.out)).toMatchObject({ requestCount: 2, totalCost: '0.00007176' });
  });

  it('--check validates without writing', async () => {
    // Act
    const check = await storeCli(['ingest', file, '--check'], env);
    const report = await storeCli(['report', 'daily', '--date', '2025-03-11', '--json'], env);
    // Assess
    expect(check.out).toContain('2 of 4 lines are valid usage events (schema v1) — --check: nothing written.');
    expect(JSON.parse(report.out)).toMatchObject({ requestCount: 0 });
  });
});
