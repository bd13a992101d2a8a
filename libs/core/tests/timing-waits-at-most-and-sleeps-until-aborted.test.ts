import { settleWithin, sleep } from '../src';

describe('settleWithin and sleep', () => {
  it('settleWithin resolves when the work settles, and does not reject when it fails', async () => {
    // Act
    const settled = await settleWithin(Promise.reject(new Error('output gone')), 60_000);
    // Assess
    expect(settled).toBeUndefined();
  });

  it('settleWithin stops waiting for work that never settles', async () => {
    // Prepare
    jest.useFakeTimers();
    let done = false;
    // Act
    const wait = settleWithin(new Promise(() => undefined), 1000).then(() => (done = true));
    await jest.advanceTimersByTimeAsync(999);
    const before = done;
    await jest.advanceTimersByTimeAsync(1);
    await wait;
    jest.useRealTimers();
    // Assess
    expect([before, done]).toEqual([false, true]);
  });

  it('sleep ends at once when its signal aborts, and at once for a time already past', async () => {
    // Prepare
    const stop = new AbortController();
    // Act
    const sleeping = sleep(3_600_000, stop.signal);
    stop.abort();
    await sleeping;
    await sleep(-5);
    // Assess: reaching here is the assertion that neither waited; both resolve to nothing
    await expect(sleep(0)).resolves.toBeUndefined();
  });
});
