/**
 * The `p`-quantile (0–1) of `values` by nearest rank; `values` need not be sorted (a sorted copy is taken).
 *
 * @example
 * quantile([5, 1, 3], 0.5); // 3
 */
export function quantile(values: ArrayLike<number>, p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[rank] as number;
}

/**
 * The median of `values` (the mean of the two middle values for an even count).
 *
 * @example
 * median([4, 1, 3, 2]); // 2.5
 */
export function median(values: ArrayLike<number>): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * The median over rounds of `pick(round)`: how every figure of the bench is summarised.
 *
 * @example
 * medianOf(rounds, (round) => round.p50Us);
 */
export function medianOf<T>(rounds: readonly T[], pick: (round: T) => number): number {
  return median(rounds.map(pick));
}

/**
 * CPU time (user + system) spent by this process in `work`, in microseconds, with what `work` returned.
 *
 * @example
 * const { cpuUs } = await measureCpu(() => pipeline.forceFlush());
 */
export async function measureCpu<T>(work: () => Promise<T>): Promise<{ readonly cpuUs: number; readonly value: T }> {
  const before = process.cpuUsage();
  const value = await work();
  const spent = process.cpuUsage(before);
  return { cpuUs: spent.user + spent.system, value };
}

/**
 * Yields to the event loop once (timers excepted), so deferred work queued so far runs.
 *
 * @example
 * if (index % 100 === 0) await yieldToEventLoop();
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
