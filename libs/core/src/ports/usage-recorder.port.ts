import type { UsageEvent } from '../model/usage-event';

/** Where the tracked client hands each accounted call. */
export interface UsageRecorder {
  /** Synchronous, O(1), never throws, never waits on I/O. */
  record(event: UsageEvent): void;
}
