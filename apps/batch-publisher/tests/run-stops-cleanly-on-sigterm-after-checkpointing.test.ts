import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { generateUsage, startDynalite, type DynaliteServer } from '@bedrock-usage/testing';

import { publisherEnv, UsageTable } from './support/usage-table';

const ROOT = join(__dirname, '..', '..', '..');
const DAY = '2025-03-11';

/** Resolves once `done()` is true, checking every 100 ms (no deadline here: jest's timeout is the bound). */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 100));
}

function checkpointed(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((line) => line !== '') : [];
}

describe('batch-publisher run (the npm script)', () => {
  let dynamo: DynaliteServer;
  let dir: string;
  beforeAll(async () => {
    dynamo = await startDynalite();
    dir = mkdtempSync(join(tmpdir(), 'batch-publisher-run-'));
  });
  afterAll(async () => {
    await dynamo.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps publishing events written while it runs, and exits 0 on SIGTERM with everything checkpointed', async () => {
    // Prepare: a store with events, more written once the worker has caught up
    const checkpointFile = join(dir, 'run.ids');
    const env = publisherEnv(dynamo.endpoint, 'run', checkpointFile, { BEDROCK_USAGE_PUBLISHER_POLL_MS: '100' });
    const table = new UsageTable(env);
    const first = generateUsage({ count: 60, firstDay: DAY, days: 1, seed: 31 });
    const later = generateUsage({ count: 40, firstDay: '2025-03-09', days: 1, seed: 32, idPrefix: 'late' });
    await table.write(first);
    // The npm script's code with tsx as a loader in this one process: tsx's CLI relays a signal to its child and
    // SIGKILLs it when the child does not acknowledge within 30 ms — under load, a kill this test would not mean.
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/batch-publisher/src/main.ts', 'run'], {
      cwd: ROOT,
      env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.base.json', ...env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    try {
      // Act
      await until(() => checkpointed(checkpointFile).length >= 60);
      await table.write(later);
      await until(() => checkpointed(checkpointFile).length >= 100);
      child.kill('SIGTERM');
      const code = await exited;

      // Assess
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      expect(stdout).toMatch(/^publishing new events of table run \(polling every 100 ms; metrics by the agents \(EMF\); checkpoint /);
      expect(stdout.trim().split('\n').at(-1)).toBe('stopped');
      expect(checkpointed(checkpointFile).sort()).toEqual([...first, ...later].map((event) => event.eventId).sort());
      expect((await table.aggregatesOfDay('2025-03-09')).reduce((sum, aggregate) => sum + aggregate.requests, 0)).toBe(40);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await table.close();
    }
  }, 120_000);
});
