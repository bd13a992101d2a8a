import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

import { type Scenario, ScenarioReport } from '../src/scenario';
import { SCENARIOS, selectScenarios } from '../src/scenario-registry';
import { formatSummary, formatTable, runSuite } from '../src/suite-runner';

function scenario(name: string, run: Scenario['run']): Scenario {
  return { name, asserts: `${name} asserts`, run };
}

describe('the suite runner', () => {
  let tempRoot: string;
  beforeEach(() => {
    tempRoot = mkdtempSync(`${tmpdir()}/reliability-test-`);
  });
  afterEach(() => rmSync(tempRoot, { recursive: true, force: true }));

  it('runs every scenario, fails the ones that fail or throw, and sums lost and duplicated', async () => {
    // Prepare
    const passing = scenario('passing', async () => {
      const report = new ScenarioReport();
      report.figure('events', 3000);
      report.check(true, 'never shown');
      return report.outcome();
    });
    const losing = scenario('losing', async () => {
      const report = new ScenarioReport();
      report.account(7, 2);
      return report.outcome();
    });
    const throwing = scenario('throwing', async () => {
      throw new Error('dynalite did not start');
    });
    let tick = 0;

    // Act
    const results = await runSuite([passing, losing, throwing], { mode: 'quick', seed: 1, tempRoot, log: () => undefined, now: () => (tick += 500) });

    // Assess
    expect(results.map((result) => [result.name, result.passed])).toEqual([['passing', true], ['losing', false], ['throwing', false]]);
    expect(results[1]?.failures).toEqual(['7 events lost beyond the durability window', '2 events counted twice']);
    expect(formatSummary(results)).toBe('reliability: 1 scenarios passed, 2 failed, lost=7, duplicated=2');
    const table = formatTable(results).split('\n');
    expect(table).toHaveLength(5);
    expect(table[2]).toMatch(/^passing +\| 0\.5 s \| events=3000 +\| passed$/);
    expect(table[4]).toContain('FAILED: dynalite did not start');
  });

  it('gives each scenario its own work directory and removes it afterwards', async () => {
    // Prepare
    const seen: string[] = [];
    const record = scenario('records', async (context) => {
      seen.push(context.workDir);
      return new ScenarioReport().outcome();
    });

    // Act
    await runSuite([record, record], { mode: 'full', seed: 1, tempRoot, log: () => undefined });

    // Assess
    expect(new Set(seen).size).toBe(2);
    expect(seen.every((dir) => dir.startsWith(tempRoot))).toBe(true);
    expect(readdirSync(tempRoot)).toEqual([]);
  });
});

describe('the scenario registry', () => {
  it('names every scenario once and selects by name in suite order', () => {
    // Prepare
    const names = SCENARIOS.map((s) => s.name);
    const [first, second] = names as [string, string];

    // Act
    const selected = selectScenarios(SCENARIOS, `${second}, ${first}`);

    // Assess
    expect(new Set(names).size).toBe(names.length);
    expect(selected.map((s) => s.name)).toEqual([first, second]);
    expect(selectScenarios(SCENARIOS)).toHaveLength(SCENARIOS.length);
  });

  it('rejects an unknown name, listing the allowed ones', () => {
    expect(() => selectScenarios(SCENARIOS, 'kill-10')).toThrow(/unknown scenario "kill-10" — allowed: /);
  });
});
