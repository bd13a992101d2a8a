import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';

import { PUBLISHED_PACKAGES, REPO_ROOT } from '../src/published-packages';

function nx(args: readonly string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(REPO_ROOT, 'node_modules', 'nx', 'dist', 'bin', 'nx.js'), ...args], { cwd: REPO_ROOT, env: { ...process.env, NX_DAEMON: 'false' }, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, out: stripVTControlCharacters(`${stdout}${stderr}`) }),
    );
  });
}

// Colours are stripped: under nx, FORCE_COLOR is set for children.
describe('nx release (version plans, fixed group), dry run', () => {
  it('resolves every published package\'s version from its manifest, plans the next one from the version plans, and changes nothing', async () => {
    // Prepare
    const before = PUBLISHED_PACKAGES.map((name) => readFileSync(join(REPO_ROOT, 'libs', name, 'package.json'), 'utf8'));
    // Act
    const { code, out } = await nx(['release', '--dry-run', '--skip-publish']);
    // Assess
    expect(code).toBe(0);
    for (const name of PUBLISHED_PACKAGES) {
      const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'libs', name, 'package.json'), 'utf8')) as { version: string };
      expect(out).toContain(`${name} 📄 Resolved the current version as ${version} from manifest: libs/${name}/package.json`);
    }
    expect(out).toContain('The "dryRun" flag means no changes were made.');
    expect(PUBLISHED_PACKAGES.map((name) => readFileSync(join(REPO_ROOT, 'libs', name, 'package.json'), 'utf8'))).toEqual(before);
  }, 120_000);
});
