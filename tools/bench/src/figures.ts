/** The six measurements of the bench. */
export type Phase = 'P1 hot path' | 'P2 throughput' | 'P3 CloudWatch' | 'P4 DynamoDB' | 'P5 reports' | 'P6 memory';

/** A goal of the issue and whether this run met it. */
export interface Goal {
  /** The goal as the issue states it, e.g. `≤ 2 µs`. */
  readonly text: string;
  readonly met: boolean;
}

/**
 * One figure of a run: a median over rounds, a ratio against a peer measured in the same run, or a count.
 *
 * @example
 * const p50: Figure = { phase: 'P1 hot path', name: 'ours p50', value: 1.4, unit: 'µs', detail: 'median of 5 rounds', goal: atMost(1.4, 2, 'µs') };
 */
export interface Figure {
  readonly phase: Phase;
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** How it was measured (rounds, counts, what the ratio compares). */
  readonly detail?: string;
  readonly goal?: Goal;
}

/**
 * The goal "value ≤ limit".
 *
 * @example
 * atMost(1.4, 2, 'µs'); // { text: '≤ 2 µs', met: true }
 */
export function atMost(value: number, limit: number, unit: string): Goal {
  return { text: `≤ ${limit} ${unit}`.trim(), met: value <= limit };
}

/**
 * The goal "value ≥ limit".
 *
 * @example
 * atLeast(14.2, 10, '×'); // { text: '≥ 10 ×', met: true }
 */
export function atLeast(value: number, limit: number, unit: string): Goal {
  return { text: `≥ ${limit} ${unit}`.trim(), met: value >= limit };
}

/**
 * `a / b`, the way every comparison of the bench is reported (NaN when `b` is not positive).
 *
 * @example
 * ratio(30, 1.5); // 20
 */
export function ratio(a: number, b: number): number {
  return b > 0 ? a / b : Number.NaN;
}
