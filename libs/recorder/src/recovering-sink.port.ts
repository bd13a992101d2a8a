import type { UsageSink } from '@bedrock-usage/core';

/**
 * A sink that says when it has recovered (its circuit breaker closed after a successful probe, or a manual reset):
 * the pipeline replays that sink's spool then, even with no traffic. The circuit breaker's `GuardedSink` is one.
 *
 * @example
 * const unsubscribe = guarded.onRecovered(() => void pipeline.replay());
 */
export interface RecoveringSink extends UsageSink {
  /** Calls `listener` on every recovery; returns the unsubscribe function. */
  onRecovered(listener: () => void): () => void;
}

/**
 * True when `sink` implements {@link RecoveringSink}.
 *
 * @example
 * if (isRecoveringSink(sink)) sink.onRecovered(() => void replay(sink));
 */
export function isRecoveringSink(sink: UsageSink): sink is RecoveringSink {
  return typeof (sink as Partial<RecoveringSink>).onRecovered === 'function';
}
