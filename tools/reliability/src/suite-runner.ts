import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import type { Scenario, ScenarioContext, ScenarioResult, SuiteMode } from './scenario';

/** How a suite runs. */
export interface SuiteOptions {
  readonly mode: SuiteMode;
  readonly seed: number;
  /** Parent of each scenario's work directory. */
  readonly tempRoot: string;
  readonly log: (line: string) => void;
  /** Time of day in ms; injectable so tests are not timed. @default Date.now */
  readonly now?: () => number;
}

/**
 * Runs the scenarios one after the other. A scenario that throws fails with the error's message; none can stop the
 * others from running.
 *
 * @example
 * const results = await runSuite(scenarios, { mode: 'quick', seed: 1, tempRoot: tmpdir(), log: console.error });
 * console.log(formatSummary(results));
 */
export async function runSuite(scenarios: readonly Scenario[], options: SuiteOptions): Promise<ScenarioResult[]> {
  const now = options.now ?? Date.now;
  const results: ScenarioResult[] = [];
  for (const scenario of scenarios) {
    const workDir = mkdtempSync(join(options.tempRoot, 'reliability-'));
    const context: ScenarioContext = {
      mode: options.mode,
      seed: options.seed,
      workDir,
      log: (line) => options.log(`[${scenario.name}] ${line}`),
    };
    const started = now();
    context.log('start');
    try {
      const outcome = await scenario.run(context);
      results.push({ ...outcome, name: scenario.name, passed: outcome.failures.length === 0, seconds: (now() - started) / 1000 });
    } catch (error) {
      const failure = error instanceof Error ? error.message : String(error);
      results.push({ name: scenario.name, figures: {}, failures: [failure], lost: 0, duplicated: 0, passed: false, seconds: (now() - started) / 1000 });
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
    const last = results[results.length - 1] as ScenarioResult;
    context.log(`${last.passed ? 'passed' : 'FAILED'} in ${last.seconds.toFixed(1)} s`);
  }
  return results;
}

/**
 * The results as a plain-text table: scenario, seconds, figures, and `passed` or `FAILED: <why>`.
 *
 * @example
 * console.log(formatTable(results));
 */
export function formatTable(results: readonly ScenarioResult[]): string {
  const rows = results.map((result) => [
    result.name,
    `${result.seconds.toFixed(1)} s`,
    Object.entries(result.figures).map(([name, value]) => `${name}=${value}`).join(' '),
    result.passed ? 'passed' : `FAILED: ${result.failures.join('; ')}`,
  ]);
  const header = ['scenario', 'time', 'figures', 'result'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] as string).length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] as number))).join(' | ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('-|-'), ...rows.map(line)].join('\n');
}

/**
 * The one line the suite ends with.
 *
 * @example
 * formatSummary(results) // 'reliability: 8 scenarios passed, 0 failed, lost=0, duplicated=0'
 */
export function formatSummary(results: readonly ScenarioResult[]): string {
  const passed = results.filter((result) => result.passed).length;
  const lost = results.reduce((sum, result) => sum + result.lost, 0);
  const duplicated = results.reduce((sum, result) => sum + result.duplicated, 0);
  return `reliability: ${passed} scenarios passed, ${results.length - passed} failed, lost=${lost}, duplicated=${duplicated}`;
}
