import { decodeUsageEvent, encodeUsageEvent, type Spool, type SpoolReplayResult, type UsageEvent } from '@bedrock-usage/core';

/**
 * The marker that starts every spooled line in a log: `BEDROCK_USAGE_SPOOL {"sink":"DynamoDB","event":{…}}`.
 *
 * @example
 * line.includes(SPOOL_LOG_MARKER)
 */
export const SPOOL_LOG_MARKER = 'BEDROCK_USAGE_SPOOL ';

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
 * One spooled line read back by {@link parseSpoolLogLines}.
 *
 * @example
 * for (const { sink, event } of parseSpoolLogLines(text).entries) await spool.append(sink, [event]);
 */
export interface SpoolLogEntry {
  readonly sink: string;
  readonly event: UsageEvent;
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
    const text = events.map((event) => `${SPOOL_LOG_MARKER}${JSON.stringify({ sink, event: encodeUsageEvent(event) })}\n`).join('');
    return new Promise((resolve, reject) => {
      this.#output.write(text, (error) => (error ? reject(error) : resolve()));
    });
  }

  async replay(): Promise<SpoolReplayResult> {
    return { replayed: 0, remaining: 0, corrupt: 0 };
  }
}

/**
 * Reads the events {@link StdoutSpool} wrote back out of a log export (CloudWatch Logs lines may carry a timestamp
 * and request id before the marker). Lines without the marker are ignored; marked lines that do not decode (cut by
 * the log's size limit, edited) are counted as `corrupt`.
 *
 * @example
 * const { entries, corrupt } = parseSpoolLogLines(readFileSync('lambda.log', 'utf8'));
 * for (const { sink, event } of entries) await spool.append(sink, [event]);
 */
export function parseSpoolLogLines(text: string): { readonly entries: readonly SpoolLogEntry[]; readonly corrupt: number } {
  const entries: SpoolLogEntry[] = [];
  let corrupt = 0;
  for (const line of text.split('\n')) {
    const at = line.indexOf(SPOOL_LOG_MARKER);
    if (at === -1) continue;
    try {
      const record = JSON.parse(line.slice(at + SPOOL_LOG_MARKER.length)) as { sink?: unknown; event?: unknown };
      if (typeof record.sink !== 'string' || record.sink === '') throw new Error('no sink');
      entries.push({ sink: record.sink, event: decodeUsageEvent(record.event) });
    } catch {
      corrupt += 1;
    }
  }
  return { entries, corrupt };
}
