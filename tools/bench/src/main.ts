process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { formatJson, formatMarkdown } from './bench-report';
import { runBench } from './bench-run';
import { REPO_ROOT } from './repo-root';

/**
 * `npm run bench [-- --quick | --full] [--out DIR]`: runs P1–P6, prints the Markdown table and writes
 * `latest.md` and `latest.json` to `--out` (default bench/results; a `--quick` run writes nothing unless `--out` is given).
 */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      full: { type: 'boolean', default: false },
      out: { type: 'string' },
    },
  });
  if (values.quick && values.full) throw new Error('--quick and --full exclude each other — pick one');
  const mode = values.quick ? 'quick' : values.full ? 'full' : 'standard';
  const args = process.argv.slice(2);
  const command = `npm run bench${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`;
  process.stderr.write(`bench: ${mode} run\n`);
  const result = await runBench({ mode, command, log: (line) => process.stderr.write(`${line}\n`) });
  const markdown = formatMarkdown(result);
  process.stdout.write(markdown);
  const out = values.out ?? (mode === 'quick' ? undefined : join(REPO_ROOT, 'bench', 'results'));
  if (out !== undefined) {
    const dir = resolve(out);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'latest.md'), markdown);
    writeFileSync(join(dir, 'latest.json'), formatJson(result));
    process.stderr.write(`bench: wrote ${join(dir, 'latest.md')} and latest.json\n`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
