import { InMemoryHealthMetrics, InMemoryUsageSink, makeUsageEvents } from '@bedrock-usage/testing';
import { GuardedSink } from '../src';

describe('GuardedSink on a fake clock', () => {
  let guarded: GuardedSink | undefined;
  beforeEach(() => jest.useFakeTimers());
  afterEach(async () => {
    await guarded?.shutdown(); // stops opossum's timers
    jest.useRealTimers();
  });

  async function tripped(inner: InMemoryUsageSink, health: InMemoryHealthMetrics): Promise<GuardedSink> {
    const sink = new GuardedSink(inner, { health, agentId: 'jira' });
    inner.fail({ code: 'IO', retryable: true });
    for (let i = 0; i < 3; i += 1) await sink.write(makeUsageEvents(2));
    return sink;
  }

  it('opens after retryable failures, counting one trip, and then never calls the sink', async () => {
    // Prepare
    const inner = new InMemoryUsageSink({ name: 'DynamoDB' });
    const health = new InMemoryHealthMetrics();
    guarded = await tripped(inner, health);
    const callsWhenOpened = inner.calls;

    // Act
    const results = [];
    for (let i = 0; i < 20; i += 1) {
      results.push(await guarded.write(makeUsageEvents(1)));
      await jest.advanceTimersByTimeAsync(2_900);
    }

    // Assess: 58 s of traffic while open
    expect(guarded.state).toBe('open');
    expect(inner.calls).toBe(callsWhenOpened);
    for (const result of results) expect(result).toMatchObject({ ok: false, retryable: true, error: { code: 'BREAKER_OPEN' } });
    expect(health.sum('CircuitBreakerTrips', { AgentId: 'jira', Component: 'DynamoDB' })).toBe(1);
  });

  it('probes the sink 60 s ± 1 s after opening with no traffic, closes and announces recovery', async () => {
    // Prepare
    const inner = new InMemoryUsageSink({ name: 'DynamoDB' });
    const health = new InMemoryHealthMetrics();
    guarded = await tripped(inner, health);
    const callsWhenOpened = inner.calls;
    let recovered = 0;
    guarded.onRecovered(() => (recovered += 1));
    inner.recover();

    // Act
    await jest.advanceTimersByTimeAsync(59_000);
    const callsAt59s = inner.calls;
    await jest.advanceTimersByTimeAsync(2_000);

    // Assess
    expect(callsAt59s).toBe(callsWhenOpened);
    expect(inner.calls).toBe(callsWhenOpened + 1);
    expect(guarded.state).toBe('closed');
    expect(recovered).toBe(1);
    expect(inner.persistedIds).toHaveLength(2); // the probe re-sent the last failed batch
  });

  it('re-opens after a failed probe without counting a second trip, and probes again 60 s later', async () => {
    // Prepare
    const inner = new InMemoryUsageSink({ name: 'DynamoDB' });
    const health = new InMemoryHealthMetrics();
    guarded = await tripped(inner, health);
    const callsWhenOpened = inner.calls;

    // Act
    await jest.advanceTimersByTimeAsync(61_000);
    const stateAfterFirstProbe = guarded.state;
    inner.recover();
    await jest.advanceTimersByTimeAsync(60_000);

    // Assess
    expect(stateAfterFirstProbe).toBe('open');
    expect(inner.calls).toBe(callsWhenOpened + 2);
    expect(guarded.state).toBe('closed');
    expect(health.sum('CircuitBreakerTrips')).toBe(1);
  });

  it('is not tripped by duplicate-key or validation failures', async () => {
    // Prepare
    const inner = new InMemoryUsageSink({ name: 'DynamoDB' });
    const health = new InMemoryHealthMetrics();
    guarded = new GuardedSink(inner, { health });
    inner.fail({ code: 'INVALID_INPUT', retryable: false });

    // Act
    const results = [];
    for (let i = 0; i < 20; i += 1) results.push(await guarded.write(makeUsageEvents(1)));

    // Assess
    expect(guarded.state).toBe('closed');
    expect(inner.calls).toBe(20);
    for (const result of results) expect(result).toMatchObject({ ok: false, retryable: false, error: { code: 'INVALID_INPUT' } });
    expect(health.sum('CircuitBreakerTrips')).toBe(0);
  });

  it('turns a write unanswered for timeoutMs into a retryable TIMEOUT', async () => {
    // Prepare
    const inner = new InMemoryUsageSink({ name: 'Log' });
    guarded = new GuardedSink(inner, { timeoutMs: 5_000 });
    const release = inner.hold();

    // Act
    const pending = guarded.write(makeUsageEvents(1));
    await jest.advanceTimersByTimeAsync(5_000);
    const result = await pending;
    release();

    // Assess
    expect(result).toMatchObject({ ok: false, retryable: true, error: { code: 'TIMEOUT' } });
  });

  it('closes at once on a manual reset and announces recovery', async () => {
    // Prepare
    const inner = new InMemoryUsageSink({ name: 'DynamoDB' });
    guarded = await tripped(inner, new InMemoryHealthMetrics());
    inner.recover();
    let recovered = 0;
    guarded.onRecovered(() => (recovered += 1));

    // Act
    guarded.reset();
    const result = await guarded.write(makeUsageEvents(1));

    // Assess
    expect(recovered).toBe(1);
    expect(result).toEqual({ ok: true });
  });

  it('refuses writes after shutdown (idempotent) without calling the sink', async () => {
    // Prepare
    const inner = new InMemoryUsageSink();
    guarded = new GuardedSink(inner);

    // Act
    await Promise.all([guarded.shutdown(), guarded.shutdown()]);
    const result = await guarded.write(makeUsageEvents(1));

    // Assess
    expect(result).toMatchObject({ ok: false, retryable: false, error: { code: 'SHUT_DOWN' } });
    expect(inner.calls).toBe(0);
  });
});
