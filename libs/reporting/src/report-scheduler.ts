import { systemClock, type Clock } from '@bedrock-usage/core';

import type { CronSchedule } from './cron-schedule';

/** setTimeout's longest delay (about 24.8 days); longer waits re-arm. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Options of {@link ReportScheduler}.
 *
 * @example
 * const options: ReportSchedulerOptions = { schedule: CronSchedule.parse('15 0 * * *'), task: async (tick) => void (await job.run(previousUtcDay(tick))) };
 */
export interface ReportSchedulerOptions {
  readonly schedule: CronSchedule;
  /** Runs at each tick (`tick` = the scheduled time, ms). Runs never overlap; a rejection goes to `onError`. */
  readonly task: (tick: number) => Promise<void>;
  /**
   * Told about a failed run; the schedule goes on.
   * @default ignore (the task should report its own failures)
   */
  readonly onError?: (error: unknown, tick: number) => void;
  /**
   * Told the time of each next run once it is armed.
   * @default none
   */
  readonly onScheduled?: (next: number) => void;
  /** @default systemClock */
  readonly clock?: Clock;
}

/**
 * Runs a task at each tick of a {@link CronSchedule}. One timer at a time, armed after the previous run ended, so
 * runs never overlap; ticks missed while a run was still going are skipped (the next tick after it ends is used).
 * The timer is deliberately not `unref()`ed: a long-running `schedule` process lives for it. `stop()` clears the
 * timer and waits for a run in progress.
 *
 * @example
 * const scheduler = new ReportScheduler({ schedule: CronSchedule.parse('15 0 * * *'), task: async (tick) => void (await job.run(previousUtcDay(tick))) });
 * scheduler.start();
 * process.once('SIGTERM', () => void scheduler.stop());
 */
export class ReportScheduler {
  readonly #options: ReportSchedulerOptions;
  readonly #clock: Clock;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<void> | undefined;
  #next: number | null = null;
  #stopped = false;
  #started = false;

  constructor(options: ReportSchedulerOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
  }

  /** The time of the next run (ms), or null when stopped or not started. */
  get nextRun(): number | null {
    return this.#next;
  }

  /** Arms the first tick. Idempotent. */
  start(): void {
    if (this.#started || this.#stopped) return;
    this.#started = true;
    this.#arm(this.#options.schedule.next(this.#clock.now()));
  }

  /** Clears the timer and resolves once a run in progress has ended. Idempotent. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#next = null;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  #arm(next: number): void {
    if (this.#stopped) return;
    this.#next = next;
    this.#options.onScheduled?.(next);
    this.#wait();
  }

  #wait(): void {
    const next = this.#next;
    if (this.#stopped || next === null) return;
    const delay = Math.min(Math.max(0, next - this.#clock.now()), MAX_TIMER_MS);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      // Timers may fire early (or the wait was capped): wait again until the tick is really due.
      if (this.#clock.now() < next) this.#wait();
      else this.#running = this.#fire(next);
    }, delay);
  }

  async #fire(tick: number): Promise<void> {
    try {
      await this.#options.task(tick);
    } catch (error) {
      this.#options.onError?.(error, tick);
    }
    this.#running = undefined;
    this.#arm(this.#options.schedule.next(Math.max(tick, this.#clock.now())));
  }
}
