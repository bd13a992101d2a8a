// Lints planted code as if it were files inside the workspace's projects (the files need not exist), with the
// workspace's real eslint.config.mjs. Reads [{file, code}] as JSON on stdin; prints [[message, ...], ...].
// Used by the module-boundary test, which cannot load ESLint's ESM config inside jest's VM.
// Type-aware rules need the file on disk; the boundary rules do not, so this run lints without type info.
import { ESLint } from 'eslint';
import devkit from 'nx/src/devkit-exports.js';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// The boundary rule reads the cached project graph: refresh it so every project is known.
await devkit.createProjectGraphAsync({ exitOnError: true });
const eslint = new ESLint({
  cwd: root,
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false, project: null } },
    rules: { '@typescript-eslint/no-floating-promises': 'off' },
  },
});
const cases = JSON.parse(readFileSync(0, 'utf8'));
const out = [];
for (const { file, code } of cases) {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  out.push(result.messages.map((m) => `${m.ruleId}: ${m.message}`));
}
process.stdout.write(JSON.stringify(out));
