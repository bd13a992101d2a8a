import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

import { REPO_ROOT } from './repo-root';

/**
 * Starts `node --import tsx <entry>` (a file of this folder) from the repository root, with the workspace's tsconfig
 * paths, the given extra environment, and piped stdin, stdout and stderr (text).
 *
 * @example
 * const child = spawnTsxChild('overload-child.ts', { BENCH_OVERLOAD: JSON.stringify(config) });
 */
export function spawnTsxChild(entry: string, env: Readonly<Record<string, string>>): ChildProcessByStdio<Writable, Readable, Readable> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, entry)], {
    cwd: REPO_ROOT,
    env: { ...process.env, TSX_TSCONFIG_PATH: join(REPO_ROOT, 'tsconfig.base.json'), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  return child;
}
