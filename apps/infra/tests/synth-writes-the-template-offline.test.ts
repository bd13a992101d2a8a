import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { synth } from '../src/main';

describe('npm run synth', () => {
  let outdir: string;

  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'bedrock-usage-synth-'));
  });

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('writes the CloudFormation template offline, the Lambda code bundled with the local esbuild, and passes cdk-nag', () => {
    // Prepare
    const lines: string[] = [];
    // Act
    const code = synth({ CDK_OUTDIR: outdir }, (line) => lines.push(line));
    // Assess
    expect(code).toBe(0);
    expect(lines).toEqual([`synthesized BedrockUsage: ${join(outdir, 'BedrockUsage.template.json')}`]);
    const template = JSON.parse(readFileSync(join(outdir, 'BedrockUsage.template.json'), 'utf8')) as { Resources: Record<string, { Type: string }> };
    expect(Object.values(template.Resources).filter((resource) => resource.Type === 'AWS::Lambda::Function').length).toBeGreaterThanOrEqual(2);
    const bundles = readdirSync(outdir).filter((name) => name.startsWith('asset.')).map((name) => readFileSync(join(outdir, name, 'index.js'), 'utf8'));
    expect(bundles.length).toBeGreaterThanOrEqual(2);
    // Each bundle is self-contained — our libraries and the pinned SDK clients inlined (only the SDK's optional CRT
    // signer, for SigV4a, stays a guarded require) — and exports the handler.
    for (const bundle of bundles) {
      expect(bundle).toMatch(/handler/);
      expect(bundle.match(/require\("@(aws-sdk\/client-|smithy\/|bedrock-usage\/)[^"]*"\)/g)).toBeNull();
    }
  }, 300_000);

  it('stops with exit 2 on a bad context value, naming it', () => {
    // Prepare
    const lines: string[] = [];
    // Act
    const code = synth({ CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify({ logRetentionDays: 10 }) }, (line) => lines.push(line));
    // Assess
    expect(code).toBe(2);
    expect(lines.join('\n')).toContain('logRetentionDays=10 is not allowed');
  });
});
