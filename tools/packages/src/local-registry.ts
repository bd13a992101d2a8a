import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

import { REPO_ROOT } from './published-packages';

/** A running verdaccio (see {@link startLocalRegistry}). */
export interface LocalRegistry {
  /** `http://127.0.0.1:PORT/` */
  readonly url: string;
  /** An npm userconfig that may publish to it (a token verdaccio accepts for anonymous publishing). */
  readonly npmrc: string;
  close(): Promise<void>;
}

/**
 * Starts verdaccio (the workspace's pinned 6.8.0) on 127.0.0.1 with its storage in `dir`: `@bedrock-usage/*` is
 * served from what is published to it only (never proxied); every other package is proxied to npmjs, so a consumer
 * can install from this registry alone.
 *
 * @example
 * const registry = await startLocalRegistry(mkdtempSync(join(tmpdir(), 'registry-')));
 */
export async function startLocalRegistry(dir: string): Promise<LocalRegistry> {
  const port = await freePort();
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'config.yaml');
  writeFileSync(
    config,
    [
      `storage: ${join(dir, 'storage')}`,
      'auth:',
      `  htpasswd: { file: ${join(dir, 'htpasswd')}, max_users: -1 }`,
      'uplinks:',
      '  npmjs: { url: https://registry.npmjs.org/, timeout: 60s }',
      'packages:',
      "  '@bedrock-usage/*': { access: $all, publish: $anonymous }",
      "  '**': { access: $all, publish: $authenticated, proxy: npmjs }",
      'log: { type: stdout, format: json, level: error }',
      '',
    ].join('\n'),
  );
  const url = `http://127.0.0.1:${port}/`;
  const child: ChildProcess = spawn(process.execPath, [join(REPO_ROOT, 'node_modules', 'verdaccio', 'bin', 'verdaccio'), '--config', config, '--listen', `127.0.0.1:${port}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`verdaccio exited (${child.exitCode}) before answering:\n${output}`);
    const ready = await fetch(`${url}-/ping`).then((response) => response.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`verdaccio did not answer on ${url} within 60 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const npmrc = join(dir, 'npmrc');
  writeFileSync(npmrc, `registry=${url}\n//127.0.0.1:${port}/:_authToken=anonymous\n`);
  return {
    url,
    npmrc,
    async close() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
