import type { ShutdownReport, UsagePipeline } from '@bedrock-usage/recorder';

/**
 * Options of {@link installShutdownHandlers}.
 *
 * @example
 * installShutdownHandlers(pipeline, { deadlineMs: 5000, signals: ['SIGTERM'] });
 */
export interface ShutdownHandlerOptions {
  /** The pipeline's shutdown deadline; the process exits right after. @default 5000 */
  readonly deadlineMs?: number;
  /** @default ['SIGTERM', 'SIGINT'] */
  readonly signals?: readonly NodeJS.Signals[];
  /** Called with the shutdown report just before exiting (log it). @default none */
  readonly onShutdown?: (signal: NodeJS.Signals, report: ShutdownReport) => void;
}

/**
 * For long-running processes and containers: on the first of `signals`, shuts the pipeline down within
 * `deadlineMs` (deliver what it can, spool the rest) and exits — 0 when nothing was dropped, 1 otherwise. A
 * backstop timer exits 1 one second after the deadline if the shutdown hangs. Returns the uninstall function.
 * ECS gives 30 s between SIGTERM and SIGKILL by default (`stopTimeout`); keep `deadlineMs` below it.
 *
 * @example
 * const uninstall = installShutdownHandlers(pipeline, { deadlineMs: 5000 });
 */
export function installShutdownHandlers(pipeline: Pick<UsagePipeline, 'shutdown'>, options: ShutdownHandlerOptions = {}): () => void {
  const deadlineMs = options.deadlineMs ?? 5000;
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  let started = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (started) return;
    started = true;
    setTimeout(() => process.exit(1), deadlineMs + 1000).unref();
    void pipeline.shutdown({ deadlineMs }).then(
      (report) => {
        options.onShutdown?.(signal, report);
        process.exit(report.dropped > 0 ? 1 : 0);
      },
      () => process.exit(1),
    );
  };
  for (const signal of signals) process.on(signal, handler);
  return () => {
    for (const signal of signals) process.off(signal, handler);
  };
}
