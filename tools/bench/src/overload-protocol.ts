/**
 * What the overload child (`overload-child.ts`) is told, as JSON in `BENCH_OVERLOAD`.
 *
 * @example
 * const config: OverloadConfig = { spoolDir: '/tmp/spool', ratePerSecond: 2000, durationMs: 60_000, sampleEveryMs: 100 };
 */
export interface OverloadConfig {
  readonly spoolDir: string;
  readonly ratePerSecond: number;
  readonly durationMs: number;
  readonly sampleEveryMs: number;
}

/**
 * What the overload child prints as its last stdout line (JSON).
 *
 * @example
 * const outcome = JSON.parse(lastLine) as OverloadOutcome;
 */
export interface OverloadOutcome {
  readonly recorded: number;
  /** process.memoryUsage().rss every `sampleEveryMs`, in bytes, in order. */
  readonly rssSamples: readonly number[];
  /** The OS's peak (process.resourceUsage().maxRSS). */
  readonly maxRssBytes: number;
  readonly capacity: number;
  readonly peakBuffered: number;
  readonly spooled: number;
  /** Events the pipeline lost (its shutdown report). */
  readonly dropped: number;
}
