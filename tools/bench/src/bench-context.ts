/** How big a run is: `quick` (a smoke run of seconds), `standard` (`npm run bench`), `full` (adds the 1M report case). */
export type BenchMode = 'quick' | 'standard' | 'full';

/**
 * What every phase of the bench is given.
 *
 * @example
 * const context: BenchContext = { mode: 'quick', tempDir: mkdtempSync(join(tmpdir(), 'bench-')), log: console.error };
 */
export interface BenchContext {
  readonly mode: BenchMode;
  /** A scratch directory the phase may write into (removed after the run). */
  readonly tempDir: string;
  /** Progress, one line at a time (stderr in the CLI). */
  readonly log: (line: string) => void;
}

/**
 * Picks the size of a phase by mode: `quick` for the smoke run, `standard` otherwise (and `full` when given).
 *
 * @example
 * const calls = sized(context, { quick: 3_000, standard: 200_000 });
 */
export function sized<T>(context: BenchContext, sizes: { readonly quick: T; readonly standard: T; readonly full?: T }): T {
  if (context.mode === 'quick') return sizes.quick;
  return context.mode === 'full' && sizes.full !== undefined ? sizes.full : sizes.standard;
}
