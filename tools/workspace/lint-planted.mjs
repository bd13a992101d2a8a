// Lints planted code as if it were files inside the workspace's projects (the files need not exist), with the
// workspace's real eslint.config.mjs. Reads [{file, code}] as JSON on stdin; prints [[message, ...], ...].
// Files under tools/workspace/planted-domain/ belong to a throwaway type:domain project that no other project
// depends on, created for this run only: planting into a real domain lib that an adapter depends on makes Nx
// report the cycle before the tag rule.
// Used by the module-boundary test, which cannot load ESLint's ESM config inside jest's VM.
// Type-aware rules need the file on disk; the boundary rules do not, so this run lints without type info.
import { ESLint } from 'eslint';
import devkit from 'nx/src/devkit-exports.js';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const planted = join(root, 'tools/workspace/planted-domain');
mkdirSync(planted, { recursive: true });
writeFileSync(join(planted, 'project.json'), JSON.stringify({ name: 'planted-domain', tags: ['type:domain'] }));
try {
  // The boundary rule reads the cached project graph: refresh it so every project is known.
  await devkit.createProjectGraphAsync({ exitOnError: true });
  process.stdout.write(JSON.stringify(await lintAll(JSON.parse(readFileSync(0, 'utf8')))));
} finally {
  // The cached graph keeps the (now empty) planted project until the next nx command recomputes it: harmless.
  rmSync(planted, { recursive: true, force: true });
}

async function lintAll(cases) {
  const eslint = new ESLint({
    cwd: root,
    overrideConfig: {
      languageOptions: { parserOptions: { projectService: false, project: null } },
      rules: { '@typescript-eslint/no-floating-promises': 'off' },
    },
  });
  const out = [];
  for (const { file, code } of cases) {
    const [result] = await eslint.lintText(code, { filePath: join(root, file) });
    out.push(result.messages.map((m) => `${m.ruleId}: ${m.message}`));
  }
  return out;
}
