/**
 * Waits for `work` to settle, but never longer than `ms`; never rejects (what failed or is late is the caller's
 * to report). For shutdowns: a stuck output must not hold the process past its deadline.
 *
 * @example
 * await settleWithin(reporter.stop(), 2000);
 */
export async function settleWithin(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([work.catch(() => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/**
 * Resolves after `ms`, or at once when `signal` aborts. Not unref()'d: a worker whose only work is this wait must
 * stay alive while it waits.
 *
 * @example
 * await sleep(pollIntervalMs, stop.signal);
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
