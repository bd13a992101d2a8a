import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';

import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';

import { USAGE_EVENT_JSON_SCHEMA } from '@bedrock-usage/core';
import { createUsageTable } from '@bedrock-usage/sinks';
import { startBedrockStandIn, type BedrockStandIn } from '@bedrock-usage/stand-ins';
import { localDynamoDbClientConfig, startDynalite, type DynaliteServer } from '@bedrock-usage/testing';

import { startLocalRegistry, type LocalRegistry } from '../src/local-registry';
import { buildPackages, publishPackages, REPO_ROOT, type BuiltPackage } from '../src/published-packages';

/** The README's first TypeScript block of "Use it from agent code", verbatim. */
function readmeExample(): string {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Use it from agent code'));
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (block === undefined) throw new Error('README.md has no ts block under "Use it from agent code"');
  return block;
}

function run(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, [...args], { cwd: options.cwd, env: { ...process.env, ...options.env }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('the published packages, outside the workspace', () => {
  let work: string;
  let built: BuiltPackage[];
  let registry: LocalRegistry;
  let standIn: BedrockStandIn;
  let dynamo: DynaliteServer;
  let consumer: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'bedrock-usage-packages-'));
    built = buildPackages(join(work, 'packages'));
    registry = await startLocalRegistry(join(work, 'registry'));
    standIn = await startBedrockStandIn();
    dynamo = await startDynalite();
  }, 300_000);

  afterAll(async () => {
    await registry?.close();
    await standIn?.close();
    await dynamo?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('build with types, an exports map, declared dependencies (the SDK clients as peers) and no path aliases', () => {
    // Assess
    expect(built.map((pkg) => pkg.name)).toEqual(expect.arrayContaining(['@bedrock-usage/core', '@bedrock-usage/bedrock', '@bedrock-usage/sinks', '@bedrock-usage/agent-kit']));
    for (const { dir, manifest } of built) {
      expect(manifest.exports['.']).toEqual({ types: './index.d.ts', default: './index.js' });
      if (manifest.name === '@bedrock-usage/core') {
        // The usage event's JSON Schema ships with core, generated from the one definition the codec validates with.
        expect(manifest.exports['./usage-event.schema.json']).toBe('./usage-event.schema.json');
        expect(JSON.parse(readFileSync(join(dir, 'usage-event.schema.json'), 'utf8'))).toEqual(USAGE_EVENT_JSON_SCHEMA);
      }
      const js = readdirSync(dir, { recursive: true }).map(String).filter((file) => file.endsWith('.js'));
      const required = new Set(js.flatMap((file) => [...readFileSync(join(dir, file), 'utf8').matchAll(/require\("([^".][^"]*)"\)/g)].map((match) => match[1] as string)));
      const packages = [...required].filter((specifier) => !specifier.startsWith('node:')).map((specifier) => (specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : (specifier.split('/')[0] as string)));
      // Every package the output requires is declared; nothing points into a source tree.
      expect(packages.filter((name) => !(name in manifest.dependencies) && !(name in manifest.peerDependencies))).toEqual([]);
      expect([...required].filter((specifier) => specifier.includes('/src/') || specifier.startsWith('libs/'))).toEqual([]);
      expect(Object.keys(manifest.dependencies).filter((name) => name.startsWith('@aws-sdk/'))).toEqual([]);
    }
  });

  it('pack every file their code requires (a relative require that would be left out of the tarball fails here)', async () => {
    for (const { dir, name } of built) {
      // Act
      const pack = await run('npm', ['pack', '--dry-run', '--json'], { cwd: dir });
      const packed = new Set((JSON.parse(pack.stdout) as [{ files: { path: string }[] }])[0].files.map((file) => file.path));
      // Assess
      const missing = [...packed]
        .filter((file) => file.endsWith('.js'))
        .flatMap((file) => [...readFileSync(join(dir, file), 'utf8').matchAll(/require\("(\.[^"]*)"\)/g)].map((match) => posix.join(posix.dirname(file), match[1] as string)))
        .filter((target) => ![`${target}.js`, target, `${target}/index.js`].some((candidate) => packed.has(candidate)));
      expect({ name, missing }).toEqual({ name, missing: [] });
    }
  }, 120_000);

  it('install from the local registry into an outside project, compile against the published types, and the README\'s first example runs: usage recorded, flushed, visible', async () => {
    // Prepare: publish, then an agent team's project with the README's example as its program
    publishPackages(built, registry.npmrc);
    consumer = join(work, 'consumer');
    cpSync(join(REPO_ROOT, 'examples', 'consumer'), consumer, { recursive: true });
    mkdirSync(join(consumer, 'src'));
    writeFileSync(join(consumer, 'src', 'main.ts'), readmeExample());
    writeFileSync(join(consumer, '.npmrc'), `registry=${registry.url}\n`);
    const store = new DynamoDBClient(localDynamoDbClientConfig(dynamo.endpoint));
    await createUsageTable(store, 'bedrock-usage');

    // Act
    const install = await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: consumer });
    const compile = await run('npm', ['run', '-s', 'build'], { cwd: consumer });
    const program = await run(process.execPath, ['dist/main.js'], {
      cwd: consumer,
      env: {
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_ENDPOINT_URL_BEDROCK_RUNTIME: standIn.endpoint,
        AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    });
    const { Items = [] } = await store.send(new ScanCommand({ TableName: 'bedrock-usage' }));
    store.destroy();

    // Assess
    expect(install.stderr).not.toMatch(/ERR!/);
    expect(install.code).toBe(0);
    // What was installed is the tarball the local registry holds (the scope is never proxied: it exists nowhere else).
    const lock = JSON.parse(readFileSync(join(consumer, 'package-lock.json'), 'utf8')) as { packages: Record<string, { integrity?: string }> };
    const tarball = readFileSync(join(work, 'registry', 'storage', '@bedrock-usage', 'agent-kit', 'agent-kit-0.1.0.tgz'));
    expect(lock.packages['node_modules/@bedrock-usage/agent-kit']?.integrity).toBe(`sha512-${createHash('sha512').update(tarball).digest('base64')}`);
    expect(compile).toMatchObject({ code: 0, stderr: '' });
    expect(program.stderr).toBe('');
    expect(program.code).toBe(0);
    const events = Items.filter((item) => item.sk?.S === 'EVENT');
    expect(events.map((item) => [item.agentId?.S, item.incidentId?.S, item.modelId?.S])).toEqual([['jira', 'INC-20250311-0042', 'us.amazon.nova-lite-v1:0']]);
    const emf = program.stdout.split('\n').filter((line) => line.includes('"EstimatedCost"')).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(emf).toHaveLength(1);
    expect(emf[0]?.event_id).toBe(events[0]?.eventId?.S);
    expect(emf[0]?.EstimatedCost).toBeGreaterThan(0);
  }, 600_000);
});
