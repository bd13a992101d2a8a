import { systemClock, type Clock } from '@bedrock-usage/core';

import { stderrJsonLogger, type PipelineLogger } from './pipeline-logger';
import type { BreakerStateName, ProcessStatus, ProcessStatusStore } from './process-status.port';
import type { PipelineStats } from './usage-pipeline';

/**
 * A circuit breaker the reporter can read and close; the circuit breaker's `GuardedSink` is one.
 *
 * @example
 * const breakers: ResettableBreaker[] = [guardedStore, guardedMetrics];
 */
export interface ResettableBreaker {
  readonly name: string;
  readonly state: BreakerStateName;
  reset(): void;
}

/** Options of {@link StatusReporter}. */
export interface StatusReporterOptions {
  readonly store: ProcessStatusStore;
  readonly agentId: string;
  /** The machine's name (the app passes `os.hostname()`). */
  readonly host: string;
  /** The process id (the app passes `process.pid`). */
  readonly pid: number;
  /** The pipeline's occupancy, read at each beat (`() => pipeline.stats`). */
  readonly stats: () => PipelineStats;
  /** The breakers of the pipeline's sinks. */
  readonly breakers: readonly ResettableBreaker[];
  /** Events waiting in the spool per sink name. @default none reported */
  readonly spoolBacklog?: () => Promise<Readonly<Record<string, number>>>;
  /** How often the status is written and reset requests are read. @default 15000 */
  readonly intervalMs?: number;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default {@link stderrJsonLogger} */
  readonly logger?: PipelineLogger;
}

const KEPT_RESETS = 20;
/** Reset requests older than this (by this process's clock) are not read: a reset is for a breaker open now. */
const READ_WINDOW_MS = 3_600_000;

/**
 * A process's heartbeat and remote control (Runbook 3): every `intervalMs` it applies the breaker reset requests
 * (`cli breaker reset <component>`) made in the last hour and since it started, each once, then writes its {@link ProcessStatus} — breaker states,
 * buffer and spool backlog, the resets it applied — for `cli breaker status` and `cli doctor`. It never throws into
 * the process: a failed beat is logged and the next one tries again.
 *
 * @example
 * const reporter = new StatusReporter({ store, agentId: 'jira', host: hostname(), pid: process.pid, stats: () => pipeline.stats, breakers: [guardedStore] });
 * reporter.start();
 * // … at shutdown:
 * await reporter.stop();
 */
export class StatusReporter {
  readonly #options: StatusReporterOptions;
  readonly #clock: Clock;
  readonly #logger: PipelineLogger;
  readonly #intervalMs: number;
  readonly #startedAt: string;
  /** Requests already handled, by id → requestedAt (pruned as they leave the read window). */
  readonly #seen = new Map<string, string>();
  readonly #applied: string[] = [];
  #timer: ReturnType<typeof setInterval> | undefined;
  #beating: Promise<ProcessStatus | undefined> | undefined;
  #stopped = false;

  constructor(options: StatusReporterOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? stderrJsonLogger;
    this.#intervalMs = options.intervalMs ?? 15_000;
    if (!Number.isSafeInteger(this.#intervalMs) || this.#intervalMs < 1000) {
      throw new RangeError(`StatusReporter "intervalMs" is ${String(options.intervalMs)} — use a whole number of milliseconds ≥ 1000`);
    }
    this.#startedAt = new Date(this.#clock.now()).toISOString();
  }

  /** `<host>:<pid>:<startedAt>`. */
  get processId(): string {
    return `${this.#options.host}:${this.#options.pid}:${this.#startedAt}`;
  }

  /** Beats now and every `intervalMs` (the timer does not keep the process alive). Idempotent. */
  start(): void {
    if (this.#timer || this.#stopped) return;
    void this.beat();
    this.#timer = setInterval(() => void this.beat(), this.#intervalMs);
    this.#timer.unref?.();
  }

  /**
   * One beat: applies new reset requests, then writes the status. Resolves the status written, or undefined when
   * the store failed (logged). A beat already running is joined, not doubled.
   */
  beat(): Promise<ProcessStatus | undefined> {
    this.#beating ??= this.#beat(false).finally(() => {
      this.#beating = undefined;
    });
    return this.#beating;
  }

  /** Stops the timer and writes a last status marked `stopped` (so the process is not reported as lost). */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#beating;
    await this.#beat(true);
  }

  async #beat(stopped: boolean): Promise<ProcessStatus | undefined> {
    const { store, breakers } = this.#options;
    try {
      if (!stopped) {
        // The read window is this process's own clock: from the last hour (never before it started), so neither a
        // request stamped by a fast clock nor one that arrives late can move it and hide the next ones.
        const since = new Date(Math.max(Date.parse(this.#startedAt), this.#clock.now() - READ_WINDOW_MS)).toISOString();
        for (const [id, at] of this.#seen) if (at < since) this.#seen.delete(id);
        for (const request of await store.resetRequestsSince(since)) {
          if (this.#seen.has(request.requestId)) continue;
          this.#seen.set(request.requestId, request.requestedAt);
          const targets = breakers.filter((breaker) => request.component === 'all' || breaker.name.toLowerCase() === request.component.toLowerCase());
          if (targets.length === 0) continue;
          for (const breaker of targets) breaker.reset();
          this.#applied.push(request.requestId);
          if (this.#applied.length > KEPT_RESETS) this.#applied.shift();
        }
      }
      const stats = this.#options.stats();
      const status: ProcessStatus = {
        processId: this.processId,
        agentId: this.#options.agentId,
        host: this.#options.host,
        pid: this.#options.pid,
        startedAt: this.#startedAt,
        reportedAt: new Date(this.#clock.now()).toISOString(),
        intervalMs: this.#intervalMs,
        stopped,
        breakers: Object.fromEntries(breakers.map((breaker) => [breaker.name, breaker.state])),
        buffered: stats.buffered,
        overflowing: stats.overflowing,
        inFlightBatches: stats.inFlightBatches,
        spoolBacklog: (await this.#options.spoolBacklog?.()) ?? {},
        resetsApplied: [...this.#applied],
      };
      await store.putStatus(status);
      return status;
    } catch (error) {
      this.#logger.error('process status not reported', { error_code: 'StatusReport', agent_id: this.#options.agentId, reason: (error as Error).message });
      return undefined;
    }
  }
}
