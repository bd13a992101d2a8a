/** `quick` is the CI suite (≤ ~3 min on 2 cores); `full` the long one (≤ ~15 min). */
export type SuiteMode = 'quick' | 'full';

/** What a scenario gets from the runner. */
export interface ScenarioContext {
  readonly mode: SuiteMode;
  /** Seeds every random choice of the run (printed, so a failure replays with `--seed`). */
  readonly seed: number;
  /** A fresh directory of this scenario's own, removed after the run. */
  readonly workDir: string;
  /** A progress line on stderr (the table and the summary go to stdout). */
  log(line: string): void;
}

/** What one scenario measured and which of its assertions failed. */
export interface ScenarioOutcome {
  /** Printed in the table, in insertion order. */
  readonly figures: Readonly<Record<string, string | number>>;
  /** One line per failed assertion; empty when the scenario passed. */
  readonly failures: readonly string[];
  /** Events lost beyond the documented durability window. */
  readonly lost: number;
  /** Events counted twice. */
  readonly duplicated: number;
}

/** One fault scenario of the suite. */
export interface Scenario {
  readonly name: string;
  /** One line: what it asserts (README and `--list`). */
  readonly asserts: string;
  run(context: ScenarioContext): Promise<ScenarioOutcome>;
}

/** A scenario's outcome as the runner saw it. */
export interface ScenarioResult extends ScenarioOutcome {
  readonly name: string;
  readonly passed: boolean;
  readonly seconds: number;
}

/**
 * Collects a scenario's figures and failed assertions.
 *
 * @example
 * const report = new ScenarioReport();
 * report.figure('events', 3000);
 * report.check(missing === 0, `${missing} recorded events not in the table`);
 * return report.outcome();
 */
export class ScenarioReport {
  readonly #figures: Record<string, string | number> = {};
  readonly #failures: string[] = [];
  #lost = 0;
  #duplicated = 0;

  figure(name: string, value: string | number): void {
    this.#figures[name] = value;
  }

  /** Records `failure` unless `ok`; returns `ok`. */
  check(ok: boolean, failure: string): boolean {
    if (!ok) this.#failures.push(failure);
    return ok;
  }

  /** Adds to the suite's lost (beyond the window) and duplicated totals, failing the scenario when non-zero. */
  account(lostBeyondWindow: number, duplicated: number): void {
    this.#lost += lostBeyondWindow;
    this.#duplicated += duplicated;
    this.check(lostBeyondWindow === 0, `${lostBeyondWindow} events lost beyond the durability window`);
    this.check(duplicated === 0, `${duplicated} events counted twice`);
  }

  outcome(): ScenarioOutcome {
    return { figures: { ...this.#figures }, failures: [...this.#failures], lost: this.#lost, duplicated: this.#duplicated };
  }
}
