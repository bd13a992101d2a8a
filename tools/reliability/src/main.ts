import { tmpdir } from 'node:os';
import { parseArgs } from 'node:util';

import { SCENARIOS, selectScenarios } from './scenario-registry';
import { formatSummary, formatTable, runSuite } from './suite-runner';

/** `npm run reliability [-- --quick] [--only a,b] [--seed N] [--list]`: runs the fault suite, prints the table and the summary. */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      seed: { type: 'string' },
      list: { type: 'boolean', default: false },
    },
  });
  if (values.list) {
    for (const scenario of SCENARIOS) process.stdout.write(`${scenario.name}: ${scenario.asserts}\n`);
    return 0;
  }
  const scenarios = selectScenarios(SCENARIOS, values.only);
  const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
  if (!Number.isSafeInteger(seed)) throw new Error(`--seed "${values.seed}" — expected an integer`);
  const mode = values.quick ? 'quick' : 'full';
  process.stderr.write(`reliability: ${mode} suite, ${scenarios.length} scenarios, seed ${seed}\n`);
  const results = await runSuite(scenarios, { mode, seed, tempRoot: tmpdir(), log: (line) => process.stderr.write(`${line}\n`) });
  process.stdout.write(`\n${formatTable(results)}\n\n${formatSummary(results)}\n`);
  return results.every((result) => result.passed) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`reliability: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
