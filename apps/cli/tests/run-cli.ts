import { execFile } from 'node:child_process';
import { join } from 'node:path';

import { runCli } from '../src/main';

export const ROOT = join(__dirname, '..', '..', '..');

/** Runs a synchronous command (extract, price, help) in-process with buffered output. */
export function cli(argv: string[], env: NodeJS.ProcessEnv = {}): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const code = runCli(argv, env, { out: (line) => out.push(line), err: (line) => err.push(line) });
  if (typeof code !== 'number') throw new Error(`"${argv[0]}" is a store command — use storeCli()`);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Runs a store command (seed-demo, report, top-agents, trends, incident) in-process with buffered output. */
export async function storeCli(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, env, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Runs `npm run -s cli -- ...` from the repo root as a real process, the way the README says. */
export function npmCli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile('npm', ['run', '-s', 'cli', '--', ...argv], { cwd: ROOT, env: { ...process.env, BEDROCK_USAGE_REGION: '', AWS_REGION: '' } }, (error, out, err) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, out, err }),
    );
  });
}
