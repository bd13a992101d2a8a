import type { UsagePipeline } from '@bedrock-usage/recorder';

/**
 * The part of the Lambda context {@link withUsageFlush} reads.
 *
 * @example
 * const context: LambdaContextLike = { getRemainingTimeInMillis: () => 3000 };
 */
export interface LambdaContextLike {
  getRemainingTimeInMillis(): number;
}

/**
 * Options of {@link withUsageFlush}.
 *
 * @example
 * withUsageFlush(handler, pipeline, { marginMs: 300 });
 */
export interface UsageFlushOptions {
  /** Time kept back from the invocation's remaining time for Lambda to return the response. @default 500 */
  readonly marginMs?: number;
}

/**
 * Wraps a Lambda handler so the pipeline is flushed in `finally` — also when the handler throws — within the
 * invocation's remaining time minus `marginMs` (timers freeze between invocations, so nothing else would flush).
 * Events a sink refuses go to the pipeline's spool (use `StdoutSpool` on Lambda); events still unacknowledged when
 * the time is up stay buffered for the next invocation. The handler's result or error passes through unchanged.
 *
 * @example
 * export const handler = withUsageFlush(async (event, context) => agent.run(event), pipeline);
 */
export function withUsageFlush<E, C extends LambdaContextLike, R>(
  handler: (event: E, context: C) => Promise<R>,
  pipeline: Pick<UsagePipeline, 'forceFlush'>,
  options: UsageFlushOptions = {},
): (event: E, context: C) => Promise<R> {
  const marginMs = options.marginMs ?? 500;
  return async (event, context) => {
    try {
      return await handler(event, context);
    } finally {
      const budget = Math.max(0, context.getRemainingTimeInMillis() - marginMs);
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        pipeline.forceFlush(),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, budget);
        }),
      ]);
      clearTimeout(timer);
    }
  };
}
