import { execFile } from 'node:child_process';
import { join } from 'node:path';

/**
 * The layer rules of ARCHITECTURE.md are lint errors. Planted code is linted as if it were a file inside a
 * project (the file need not exist) with the workspace's real eslint.config.mjs, in a real eslint process;
 * the violations must fail and the allowed directions must pass. `tools/workspace/planted-domain` is a
 * throwaway type:domain project (see lint-planted.mjs) so that the tag rule, not a cycle, is what fails.
 */
const root = join(__dirname, '..', '..', '..');
const importOf = (name: string, from: string) => `import { ${name} } from '${from}';\nexport const planted = ${name};\n`;
const importAll = (from: string) => `import * as planted from '${from}';\nexport { planted };\n`;

const cases = {
  domainImportsAdapter: { file: 'tools/workspace/planted-domain/src/planted.ts', code: importOf('trackBedrockClient', '@bedrock-usage/bedrock') },
  domainImportsDi: { file: 'tools/workspace/planted-domain/src/planted.ts', code: importOf('TOKENS', '@bedrock-usage/di') },
  domainImportsSdk: { file: 'libs/pricing/src/planted.ts', code: importAll('@aws-sdk/client-bedrock-runtime') },
  domainImportsSmithy: { file: 'libs/core/src/planted.ts', code: importAll('@smithy/eventstream-codec') },
  domainImportsOpossum: { file: 'libs/extraction/src/planted.ts', code: importAll('opossum') },
  domainImportsInversify: { file: 'libs/extraction/src/planted.ts', code: importAll('inversify') },
  domainImportsFs: { file: 'libs/extraction/src/planted.ts', code: importAll('node:fs') },
  domainImportsNet: { file: 'libs/core/src/planted.ts', code: importAll('net') },
  appImportsAdapter: { file: 'apps/cli/src/planted.ts', code: importOf('trackBedrockClient', '@bedrock-usage/bedrock') },
  productionImportsTesting: { file: 'libs/bedrock/src/planted.ts', code: importOf('loadBedrockFixtures', '@bedrock-usage/testing') },
  productionImportsAppTesting: { file: 'apps/agents/jira/src/planted.ts', code: importOf('describeAgentApp', '@bedrock-usage/agent-testing') },
  appTestImportsAppTesting: { file: 'apps/agents/jira/tests/planted.test.ts', code: importOf('describeAgentApp', '@bedrock-usage/agent-testing') },
  adapterImportsDomain: { file: 'libs/bedrock/src/planted.ts', code: importOf('extractUsage', '@bedrock-usage/extraction') },
  domainImportsDomain: { file: 'libs/pricing/src/planted.ts', code: importOf('parseUsd', '@bedrock-usage/core') },
  testImportsTesting: { file: 'libs/bedrock/tests/planted.test.ts', code: importOf('loadBedrockFixtures', '@bedrock-usage/testing') },
  appImportsDi: { file: 'apps/cli/src/planted.ts', code: importOf('TOKENS', '@bedrock-usage/di') },
  libraryImportsLocal: { file: 'libs/di/src/planted.ts', code: importOf('startBedrockStandIn', '@bedrock-usage/stand-ins') },
  appImportsLocal: { file: 'apps/cli/src/planted.ts', code: importOf('startBedrockStandIn', '@bedrock-usage/stand-ins') },
  libraryTestImportsLocal: { file: 'libs/bedrock/tests/planted.test.ts', code: importOf('startBedrockStandIn', '@bedrock-usage/stand-ins') },
};
type Case = keyof typeof cases;

let messages: Record<Case, string>;

beforeAll(async () => {
  const names = Object.keys(cases) as Case[];
  const stdout = await new Promise<string>((resolve, reject) => {
    const child = execFile(process.execPath, [join(root, 'tools/workspace/lint-planted.mjs')], { cwd: root }, (error, out, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(out),
    );
    child.stdin?.end(JSON.stringify(names.map((name) => cases[name])));
  });
  const results = JSON.parse(stdout) as string[][];
  messages = Object.fromEntries(names.map((name, i) => [name, results[i].join('\n')])) as Record<Case, string>;
}, 120_000);

describe('module boundaries fail the lint', () => {
  it.each<Case>(['domainImportsAdapter', 'domainImportsDi'])('%s', (name) => {
    expect(messages[name]).toMatch(/@nx\/enforce-module-boundaries: A project tagged with "type:domain" can only depend on libs tagged with/);
  });

  it.each<Case>(['domainImportsSdk', 'domainImportsSmithy', 'domainImportsOpossum', 'domainImportsInversify'])('%s', (name) => {
    expect(messages[name]).toMatch(/@nx\/enforce-module-boundaries: A project tagged with "type:domain" is not allowed to import/);
  });

  it.each<Case>(['domainImportsFs', 'domainImportsNet'])('%s', (name) => {
    expect(messages[name]).toMatch(/no-restricted-imports: .*type:domain code does no I\/O/);
  });

  it('appImportsAdapter: apps go through di', () => {
    expect(messages.appImportsAdapter).toMatch(/A project tagged with "type:app" can only depend on libs tagged with/);
  });

  it.each<Case>(['productionImportsTesting', 'productionImportsAppTesting'])('%s: the test-only libs stay out of production code', (name) => {
    expect(messages[name]).toMatch(/no-restricted-imports: .*type:testing and type:app-testing libs are for tests only/);
  });
});

describe('allowed directions pass the lint', () => {
  it('libraryImportsLocal: only apps, tools and tests start the local servers', () => {
    expect(messages.libraryImportsLocal).toMatch(/no-restricted-imports: .*type:local servers run in apps, tools and tests only/);
  });

  it.each<Case>(['adapterImportsDomain', 'domainImportsDomain', 'testImportsTesting', 'appImportsDi', 'appTestImportsAppTesting', 'appImportsLocal', 'libraryTestImportsLocal'])('%s', (name) => {
    expect(messages[name]).toBe('');
  });
});
