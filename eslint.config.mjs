// Lint for the whole workspace. The module-boundary rule is the architecture (ARCHITECTURE.md,
// "Layers and what each may import"): it fails the build, and tools/workspace proves it does.
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const domainBanned = ['@aws-sdk/*', '@smithy/*', 'opossum', 'inversify', 'node:fs', 'node:net', 'fs', 'net', 'node:http', 'node:http2'];

export const depConstraints = [
  // 'type:testing' is allowed by tag so that tests can use it; the no-restricted-imports block below keeps it
  // out of every non-test file.
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:util', 'type:testing'], bannedExternalImports: domainBanned },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', 'type:testing'], bannedExternalImports: domainBanned },
  { sourceTag: 'type:adapter', onlyDependOnLibsWithTags: ['type:domain', 'type:util', 'type:testing'] },
  { sourceTag: 'type:di', onlyDependOnLibsWithTags: ['type:domain', 'type:adapter', 'type:util', 'type:testing'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:di', 'type:domain', 'type:util', 'type:testing'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:domain', 'type:util', 'type:testing'] },
  { sourceTag: 'type:workspace', onlyDependOnLibsWithTags: ['type:testing'] },
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
  {
    // Test files (and only they) may import type:testing libs; the tag rule sees them as the project's own files,
    // so this second check keeps test-only servers out of production code.
    files: ['**/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@bedrock-usage/testing'], message: 'type:testing libs are for tests only.' }] }],
    },
  },
);
