/** Time, injectable so tests control it. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/**
 * The real clock.
 *
 * @example
 * new Date(systemClock.now()).toISOString()
 */
export const systemClock: Clock = { now: () => Date.now() };
