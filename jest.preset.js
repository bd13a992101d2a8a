// Shared jest settings for every project (each project's jest.config.cjs spreads this).
// TypeScript and the ESM-only dependencies (inversify, p-queue, p-timeout) are compiled by SWC to CommonJS;
// type-checking is the separate `typecheck` target, so tests stay fast.
const path = require('node:path');

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|mj|j)s$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(inversify|@inversifyjs|p-queue|p-timeout)/)'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  moduleNameMapper: {
    '^@bedrock-usage/([a-z-]+)$': path.join(__dirname, 'libs/$1/src/index.ts'),
  },
  testMatch: ['**/?(*.)test.ts'],
  // A hang guard, not a timing goal: tests that talk to local servers (dynalite, the stand-ins, child processes)
  // must not fail because a noisy 2-core machine was slow. Timing goals live in benchmarks.
  testTimeout: 30_000,
};
