import { GuardedSink } from '@bedrock-usage/circuit-breaker';
import type { UsageEvent, UsageSink, WriteResult } from '@bedrock-usage/core';
import { InMemoryHealthMetrics, InMemoryUsageSink, makeUsageEvent } from '@bedrock-usage/testing';
import { install } from '@sinonjs/fake-timers';

import { type Scenario, ScenarioReport } from '../scenario';

const RESET_MS = 60_000;
const TOLERANCE_MS = 1000;

/** The in-memory sink, noting the (fake) time of every call that reaches it. */
class TimedSink implements UsageSink {
  readonly name: string;
  readonly calls: number[] = [];
  readonly #inner: InMemoryUsageSink;

  constructor(inner: InMemoryUsageSink) {
    this.#inner = inner;
    this.name = inner.name;
  }

  write(events: readonly UsageEvent[]): Promise<WriteResult> {
    this.calls.push(Date.now());
    return this.#inner.write(events);
  }

  forceFlush(): Promise<void> {
    return this.#inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.#inner.shutdown();
  }
}

/**
 * The DynamoDB sink's breaker (GuardedSink, default 60 s reset) on a fake clock, in-process. Asserts: 20
 * non-retryable (validation / duplicate-key) failures do not trip it; an outage trips it exactly once; while open
 * the sink gets no calls (writes keep coming for 10 s); with no traffic the first probe comes at 60 s ± 1 s, fails
 * (still down) and re-opens without a second trip; the next probe 60 s later succeeds, closes the breaker and
 * signals recovery once.
 */
export const breakerFakeClockScenario: Scenario = {
  name: 'breaker-fake-clock',
  asserts: 'no sink calls while open; probe at 60 s ± 1 s without traffic; duplicate-key errors do not trip it; one trip per outage',
  async run() {
    const report = new ScenarioReport();
    const clock = install({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const inner = new InMemoryUsageSink({ name: 'DynamoDB' });
    const sink = new TimedSink(inner);
    const health = new InMemoryHealthMetrics();
    const guarded = new GuardedSink(sink, { health, agentId: 'reliability', resetTimeoutMs: RESET_MS });
    let recoveries = 0;
    guarded.onRecovered(() => void (recoveries += 1));
    const trips = (): number => health.sum('CircuitBreakerTrips', { Component: 'DynamoDB' });
    const write = async (): Promise<WriteResult> => {
      const result = await guarded.write([makeUsageEvent()]);
      await clock.tickAsync(100);
      return result;
    };
    try {
      inner.fail({ code: 'INVALID_INPUT', retryable: false });
      for (let i = 0; i < 20; i++) await write();
      report.figure('non-retryable failures', 20);
      report.check(guarded.state === 'closed' && trips() === 0, `20 duplicate-key/validation failures left the breaker ${guarded.state} with ${trips()} trips`);

      await clock.tickAsync(11_000); // past the 10 s rolling window: the outage is judged on its own writes
      inner.fail({ code: 'IO', retryable: true });
      for (let i = 0; i < 20 && guarded.state !== 'open'; i++) await write();
      const openedAt = Date.now();
      report.check(guarded.state === 'open' && trips() === 1, `an outage left the breaker ${guarded.state} with ${trips()} trips, expected open with 1`);
      const callsWhenOpened = sink.calls.length;
      let refused = 0;
      for (let i = 0; i < 100; i++) if ((await write()).ok === false) refused += 1;
      report.figure('writes while open', 100);
      report.check(sink.calls.length === callsWhenOpened && refused === 100, `${sink.calls.length - callsWhenOpened} sink calls while open (expected 0)`);

      await clock.tickAsync(openedAt + RESET_MS + TOLERANCE_MS - Date.now());
      const probes = sink.calls.slice(callsWhenOpened);
      const firstProbe = probes[0] === undefined ? Number.NaN : probes[0] - openedAt;
      report.figure('first probe', `${(firstProbe / 1000).toFixed(1)} s`);
      report.check(probes.length === 1 && Math.abs(firstProbe - RESET_MS) <= TOLERANCE_MS, `probes without traffic at ${probes.map((at) => at - openedAt).join(', ')} ms after opening, expected one at ${RESET_MS} ± ${TOLERANCE_MS}`);
      report.check(guarded.state === 'open' && trips() === 1, `a failed probe left the breaker ${guarded.state} with ${trips()} trips, expected open with 1`);

      inner.recover();
      const reopenedAt = probes[0] ?? openedAt;
      await clock.tickAsync(reopenedAt + RESET_MS + TOLERANCE_MS - Date.now());
      const secondProbe = (sink.calls[callsWhenOpened + 1] ?? Number.NaN) - reopenedAt;
      report.figure('second probe', `${(secondProbe / 1000).toFixed(1)} s`);
      report.check(Math.abs(secondProbe - RESET_MS) <= TOLERANCE_MS, `the second probe came ${secondProbe} ms after the first, expected ${RESET_MS} ± ${TOLERANCE_MS}`);
      report.check(guarded.state === 'closed' && recoveries === 1, `after a successful probe the breaker is ${guarded.state} with ${recoveries} recoveries, expected closed with 1`);
      report.figure('trips', trips());
      report.check(trips() === 1, `${trips()} trips for one outage`);
    } finally {
      await guarded.shutdown();
      clock.uninstall();
    }
    return report.outcome();
  },
};
