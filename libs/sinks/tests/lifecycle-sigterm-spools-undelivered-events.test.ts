import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = resolve(__dirname, '../../..');

describe('installShutdownHandlers in a real process', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lifecycle-sigterm-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('on SIGTERM spools every undelivered event to the file spool and exits 0', async () => {
    // Prepare
    const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), ['--tsconfig', 'tsconfig.base.json', 'libs/sinks/tests/fixtures/lifecycle-sigterm-app.ts', dir, '250'], {
      cwd: ROOT,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const firstLine = await new Promise<string>((done) => createInterface({ input: child.stdout }).once('line', done));
    const { ids } = JSON.parse(firstLine) as { ids: string[] };

    // Act
    child.kill('SIGTERM');
    const code = await exited;

    // Assess
    expect(code).toBe(0);
    const lines = (await readFile(join(dir, 'DynamoDB.jsonl'), 'utf8')).trim().split('\n');
    const spooled = lines.map((line) => (JSON.parse(line) as { eventId: string }).eventId);
    expect(spooled.sort()).toEqual([...ids].sort());
    expect(JSON.parse(stderr.trim().split('\n').pop() ?? '{}')).toEqual({ signal: 'SIGTERM', flushed: false, spooled: 250, dropped: 0 });
  }, 30_000);
});
