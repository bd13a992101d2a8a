import { formatSpoolLogLine, type Spool, type SpoolReplayResult, type UsageEvent } from '@bedrock-usage/core';

// The line format and its parser are pure and live in core (the CLI reads log exports with them); re-exported here
// beside the spool that writes them.
export { parseSpoolLogLines, SPOOL_LOG_MARKER } from '@bedrock-usage/core';
export type { SpoolLogEntry, SpoolLogParse } from '@bedrock-usage/core';

/**
 * Where {@link StdoutSpool} writes: `process.stdout` or any stream-like sink of text.
 *
 * @example
 * const output: SpoolLogOutput = { write: (text, done) => (lines.push(text), done()) };
 */
export interface SpoolLogOutput {
  write(text: string, callback: (error?: Error | null) => void): unknown;
}

/**
 * Options of {@link StdoutSpool}.
 *
 * @example
 * new StdoutSpool({ output: process.stdout });
 */
export interface StdoutSpoolOptions {
  /** @default process.stdout (CloudWatch Logs on Lambda) */
  readonly output?: SpoolLogOutput;
}

/**
 * The Lambda spool: `/tmp` dies with the environment and timers freeze between invocations, so undeliverable events
 * are written to stdout (CloudWatch Logs keeps them) as marked lines, one per event and sink, and read back later
 * by `spool replay --from-log FILE` ({@link parseSpoolLogLines}). Nothing is held in the process: `replay` finds
 * nothing to replay here.
 *
 * @example
 * const pipeline = new UsagePipeline({ sinks, spool: new StdoutSpool(), health });
 * export const handler = withUsageFlush(agentHandler, pipeline);
 */
export class StdoutSpool implements Spool {
  readonly #output: SpoolLogOutput;

  constructor(options: StdoutSpoolOptions = {}) {
    this.#output = options.output ?? process.stdout;
  }

  append(sink: string, events: readonly UsageEvent[]): Promise<void> {
    const text = events.map((event) => `${formatSpoolLogLine(sink, event)}\n`).join('');
    return new Promise((resolve, reject) => {
      this.#output.write(text, (error) => (error ? reject(error) : resolve()));
    });
  }

  async replay(): Promise<SpoolReplayResult> {
    return { replayed: 0, remaining: 0, corrupt: 0 };
  }
}
