/** A sink's circuit-breaker state, as a process reports it. */
export type BreakerStateName = 'closed' | 'open' | 'halfOpen';

/**
 * What one running process (an agent, the batch publisher) last said about itself: the heartbeat `cli breaker
 * status` and `cli doctor` read. Counts and names only.
 *
 * @example
 * const status: ProcessStatus = { processId: 'ip-10-0-0-7:4242:2025-03-11T10:00:00.000Z', agentId: 'jira', host: 'ip-10-0-0-7', pid: 4242,
 *   startedAt: '2025-03-11T10:00:00.000Z', reportedAt: '2025-03-11T10:05:00.000Z', intervalMs: 15000, stopped: false,
 *   breakers: { DynamoDB: 'open' }, buffered: 12, overflowing: 0, inFlightBatches: 1, spoolBacklog: { DynamoDB: 340 }, resetsApplied: [] };
 */
export interface ProcessStatus {
  /** `<host>:<pid>:<startedAt>`: unique per process run. */
  readonly processId: string;
  readonly agentId: string;
  readonly host: string;
  readonly pid: number;
  /** ISO-8601 UTC. */
  readonly startedAt: string;
  /** When this status was written (ISO-8601 UTC). */
  readonly reportedAt: string;
  /** How often the process reports: a status older than 3 intervals is stale (the process is gone or stuck). */
  readonly intervalMs: number;
  /** True in the last status of a process that shut down cleanly. */
  readonly stopped: boolean;
  /** Sink name → its breaker state. */
  readonly breakers: Readonly<Record<string, BreakerStateName>>;
  /** Events in the pipeline's bounded buffer. */
  readonly buffered: number;
  /** Events over capacity waiting for their spool append. */
  readonly overflowing: number;
  readonly inFlightBatches: number;
  /** Sink name → events waiting in the spool for it (absent when the spool cannot count). */
  readonly spoolBacklog: Readonly<Record<string, number>>;
  /** The reset requests this process has applied (their ids, newest last, at most 20). */
  readonly resetsApplied: readonly string[];
}

/**
 * A request to close a sink's breaker in every running process (Runbook 3, "reset the circuit breaker"), written by
 * `cli breaker reset` and applied by each process's {@link StatusReporter} at its next beat.
 *
 * @example
 * const request: BreakerResetRequest = { requestId: 'r-1', component: 'DynamoDB', requestedAt: '2025-03-11T10:06:00.000Z' };
 */
export interface BreakerResetRequest {
  readonly requestId: string;
  /** A sink name (`DynamoDB`, `CloudWatch`, `EMF` …) or `all`. */
  readonly component: string;
  /** ISO-8601 UTC. */
  readonly requestedAt: string;
}

/**
 * Where processes publish their {@link ProcessStatus} and find {@link BreakerResetRequest}s: beside the usage data
 * (`DynamoDbProcessStatusStore` in `@bedrock-usage/sinks`), so the CLI sees every process that can write usage.
 * Methods reject with a `UsageError` on failure.
 *
 * @example
 * await store.putStatus(status);
 * const live = (await store.listStatuses()).filter((s) => isLive(s, Date.now()));
 */
export interface ProcessStatusStore {
  /** Replaces the status of `status.processId`. */
  putStatus(status: ProcessStatus): Promise<void>;
  /** Every stored status, stale ones included (see {@link isLive}). */
  listStatuses(): Promise<readonly ProcessStatus[]>;
  putResetRequest(request: BreakerResetRequest): Promise<void>;
  /** The reset requests made at or after `since` (ISO-8601 UTC), oldest first. */
  resetRequestsSince(since: string): Promise<readonly BreakerResetRequest[]>;
}

/**
 * True when the process that wrote `status` is still running by its own account: not stopped, and reported within
 * three of its intervals before `now` (milliseconds since the epoch).
 *
 * @example
 * const live = statuses.filter((status) => isLive(status, clock.now()));
 */
export function isLive(status: ProcessStatus, now: number): boolean {
  return !status.stopped && now - Date.parse(status.reportedAt) <= 3 * status.intervalMs;
}
