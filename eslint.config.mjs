// Lint for the whole workspace. The module-boundary rule is the architecture (ARCHITECTURE.md,
// "Layers and what each may import"): it fails the build, and tools/workspace proves it does.
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every project's root and tags, read from its project.json (the same tags Nx sees). */
function projects(dir = import.meta.dirname) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    const file = join(path, 'project.json');
    if (existsSync(file)) found.push({ root: relative(import.meta.dirname, path), tags: JSON.parse(readFileSync(file, 'utf8')).tags ?? [] });
    else if (['libs', 'apps', 'tools', 'agents'].includes(entry.name)) found.push(...projects(path));
  }
  return found;
}

const domainBanned = ['@aws-sdk/*', '@smithy/*', 'opossum', 'inversify'];
// Nx checks bannedExternalImports only against npm packages; Node's I/O built-ins are banned by no-restricted-imports.
const domainBannedBuiltins = ['fs', 'net', 'http', 'http2', 'https', 'dgram', 'child_process', 'fs/promises'].flatMap((m) => [m, `node:${m}`]);
const testingOnly = { group: ['@bedrock-usage/testing', '@bedrock-usage/agent-testing'], message: 'type:testing and type:app-testing libs are for tests only.' };
// Local servers that stand in for AWS (the Bedrock stand-in, the fault proxy): what `npm start` runs, and tests.
const localOnly = { group: ['@bedrock-usage/stand-ins'], message: 'type:local servers run in apps, tools and tests only — libraries never start them.' };
const mayStartLocalServers = ['type:app', 'type:tool', 'type:testing', 'type:local'];

export const depConstraints = [
  // 'type:testing' and 'type:local' are allowed by tag so that tests can use them; the no-restricted-imports block
  // below keeps type:testing out of every non-test file, and type:local out of libraries' non-test files.
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:util', 'type:testing', 'type:local'], bannedExternalImports: domainBanned },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', 'type:testing', 'type:local'], bannedExternalImports: domainBanned },
  { sourceTag: 'type:adapter', onlyDependOnLibsWithTags: ['type:domain', 'type:util', 'type:testing', 'type:local'] },
  // The kit composes the default pipeline from adapters, without a container: what agent teams call directly.
  { sourceTag: 'type:kit', onlyDependOnLibsWithTags: ['type:domain', 'type:adapter', 'type:util', 'type:testing', 'type:local'] },
  { sourceTag: 'type:di', onlyDependOnLibsWithTags: ['type:domain', 'type:adapter', 'type:kit', 'type:util', 'type:testing', 'type:local'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:di', 'type:domain', 'type:util', 'type:testing', 'type:local', 'type:app-testing'] },
  // Contract suites for apps' tests (one suite every agent app runs): they compose through di like an app does.
  { sourceTag: 'type:app-testing', onlyDependOnLibsWithTags: ['type:di', 'type:domain', 'type:util', 'type:testing', 'type:local'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:domain', 'type:util', 'type:testing', 'type:local'] },
  { sourceTag: 'type:local', onlyDependOnLibsWithTags: ['type:domain', 'type:util'] },
  { sourceTag: 'type:workspace', onlyDependOnLibsWithTags: ['type:testing'] },
  // Tools (the reliability suite, benchmarks) compose real parts like an app does, and may use test-only servers.
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:domain', 'type:adapter', 'type:kit', 'type:di', 'type:util', 'type:testing', 'type:local'] },
];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/coverage/**', '**/cdk.out/**', '**/*.mjs', '**/*.cjs', '**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, allow: [], depConstraints, banTransitiveDependencies: false },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportAllDeclaration', message: 'List exports by name (STYLE.md: no export *).' },
        { selector: 'ExportDefaultDeclaration', message: 'No default exports (STYLE.md).' },
      ],
    },
  },
  // Production code (not tests) may not import type:testing libs, nor libraries type:local ones; the tag rule allows
  // them so tests can.
  // The domain's production code may not do I/O with Node's built-ins either.
  // Test-support projects (type:app-testing) are themselves test code.
  ...projects().filter(({ tags }) => !tags.includes('type:tool') && !tags.includes('type:app-testing')).map(({ root, tags }) => ({
    files: [`${root}/src/**/*.ts`],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: mayStartLocalServers.some((tag) => tags.includes(tag)) ? [testingOnly] : [testingOnly, localOnly],
          paths: tags.includes('type:domain') ? domainBannedBuiltins.map((name) => ({ name, message: 'type:domain code does no I/O: put it in an adapter.' })) : [],
        },
      ],
    },
  })),
);
