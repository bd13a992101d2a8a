/**
 * What the report child (`report-child.ts`) is told, as JSON in `BENCH_REPORT`.
 *
 * @example
 * const config: ReportConfig = { sizes: [10_000, 100_000], timedRuns: 3 };
 */
export interface ReportConfig {
  /** Events per seeded day, one day each. */
  readonly sizes: readonly number[];
  readonly timedRuns: number;
}

/**
 * The report child's first stdout line: its store is seeded.
 *
 * @example
 * const seeded: ReportSeeded = { seeded: 110_000, seedSeconds: 104 };
 */
export interface ReportSeeded {
  readonly seeded: number;
  readonly seedSeconds: number;
}

/**
 * The report child's second stdout line, after the parent wrote `time` on its stdin: per size, each timed report.
 *
 * @example
 * const timings: ReportTimings = { reportMs: [[90, 88, 91], [250, 240, 260]] };
 */
export interface ReportTimings {
  readonly reportMs: readonly (readonly number[])[];
}
