import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { buildPackages, publishPackages, REPO_ROOT, shown } from './published-packages';

export const HELP = `Usage: npm run -s packages -- build [--out DIR] | publish --userconfig NPMRC [--out DIR]

  build      builds the published libraries into DIR/<name>/ (default dist/packages): JS, .d.ts, package.json with
             an exports map, dependencies and the AWS SDK clients as peers, README
  publish    builds, then publishes them in dependency order to the registry of the npm userconfig NPMRC`;

/**
 * The packages command line; resolves the exit code.
 *
 * @example
 * process.exitCode = runPackages(process.argv.slice(2), (line) => console.log(line));
 */
export function runPackages(argv: readonly string[], out: (line: string) => void): number {
  const [command, ...rest] = argv;
  const { values } = parseArgs({ args: rest, strict: true, options: { out: { type: 'string' }, userconfig: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help || command === undefined || !['build', 'publish'].includes(command)) {
    out(HELP);
    return values.help ? 0 : 2;
  }
  if (command === 'publish' && values.userconfig === undefined) {
    out('publish needs --userconfig NPMRC (an npm userconfig with the registry and its token)');
    return 2;
  }
  const built = buildPackages(values.out ?? join(REPO_ROOT, 'dist', 'packages'));
  for (const { manifest, dir } of built) out(`${manifest.name}@${manifest.version}  ${shown(dir)}`);
  if (command === 'publish') {
    publishPackages(built, values.userconfig as string);
    out(`published ${built.length} packages`);
  }
  return 0;
}

if (require.main === module) process.exitCode = runPackages(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`));
