import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { loadBedrockFixtures } from '@bedrock-usage/testing';

import { cli, npmCli } from './run-cli';

describe('cli extract', () => {
  const fixtures = loadBedrockFixtures();

  it('gives every shared fixture exactly its expected values, through the real npm script', async () => {
    // Act
    const { code, out, err } = await npmCli(['extract', ...fixtures.map((f) => f.file)]);
    // Assess
    expect(err).toBe('');
    expect(code).toBe(0);
    const lines = out.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(fixtures.length);
    lines.forEach((line, i) => {
      expect(line.id).toBe(fixtures[i].id);
      expect(line).toMatchObject(fixtures[i].expected);
    });
  }, 60_000);

  it('exits 2 naming the file and the field for a file that is not the fixture format, still printing the others', () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'extract-'));
    const badApi = join(dir, 'bad-api.json');
    writeFileSync(badApi, JSON.stringify({ api: 'Chat', modelId: 'x', statusCode: 200, headers: {}, body: {} }));
    const notJson = join(dir, 'not-json.json');
    writeFileSync(notJson, '{"api":');
    const missing = join(dir, 'missing.json');
    // Act
    const { code, out, err } = cli(['extract', fixtures[0].file, badApi, notJson, missing]);
    // Assess
    expect(code).toBe(2);
    expect(out.split('\n')).toHaveLength(1);
    expect(JSON.parse(out).id).toBe(fixtures[0].id);
    expect(err).toContain(`${badApi}: field "api" is "Chat" — allowed: InvokeModel, InvokeModelWithResponseStream, Converse, ConverseStream`);
    expect(err).toContain(`${notJson}: is not JSON`);
    expect(err).toContain(`${missing}: cannot be read (ENOENT)`);
  });

  it('takes the id from the file name when the file has none, and prints rejected responses with exit 0', () => {
    // Prepare: a success with an invalid header and no body fallback
    const dir = mkdtempSync(join(tmpdir(), 'extract-'));
    const file = join(dir, 'my-capture.json');
    writeFileSync(
      file,
      JSON.stringify({
        api: 'InvokeModel',
        modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
        statusCode: 200,
        headers: { 'X-Amzn-Bedrock-Input-Token-Count': 'abc', 'X-Amzn-Bedrock-Output-Token-Count': '5' },
        body: { type: 'message', content: [] },
      }),
    );
    // Act
    const { code, out } = cli(['extract', file]);
    // Assess
    expect(code).toBe(0);
    const line = JSON.parse(out);
    expect(line).toMatchObject({ id: 'my-capture', rejected: true });
    expect(line.reason).toMatch(/input/i);
  });

  it('explains usage', () => {
    expect(cli(['extract', '--help'])).toMatchObject({ code: 0, out: expect.stringContaining('Usage: npm run -s cli -- extract FILE...') });
    expect(cli(['extract'])).toMatchObject({ code: 2, err: expect.stringContaining('extract needs at least one FILE') });
    expect(cli(['extract', '--nope'])).toMatchObject({ code: 2, err: expect.stringContaining("Unknown option '--nope'") });
    expect(cli(['frobnicate'])).toMatchObject({ code: 2, err: expect.stringContaining('unknown command "frobnicate" — allowed: extract, price, start') });
  });
});
