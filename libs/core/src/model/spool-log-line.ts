import type { UsageEvent } from './usage-event';
import { decodeUsageEvent, encodeUsageEvent } from './usage-event.codec';

/**
 * The marker that starts every spooled line in a log: `BEDROCK_USAGE_SPOOL {"sink":"DynamoDB","event":{…}}`.
 *
 * @example
 * line.includes(SPOOL_LOG_MARKER)
 */
export const SPOOL_LOG_MARKER = 'BEDROCK_USAGE_SPOOL ';

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
 * What {@link parseSpoolLogLines} found in a log export.
 *
 * @example
 * const { entries, corrupt, corruptLines } = parseSpoolLogLines(text);
 */
export interface SpoolLogParse {
  /** The marked lines that decoded, in the order of the log. */
  readonly entries: readonly SpoolLogEntry[];
  /** Marked lines that did not decode (cut by the log's size limit, edited). */
  readonly corrupt: number;
  /** Their line numbers (1-based), in order. */
  readonly corruptLines: readonly number[];
  /** Lines in the text (a final newline ends the last line; it does not start another). */
  readonly lines: number;
}

/**
 * One spooled line, without its newline: the marker, then `{"sink","event"}` with core's exact event codec.
 *
 * @example
 * process.stdout.write(`${formatSpoolLogLine('DynamoDB', event)}\n`);
 */
export function formatSpoolLogLine(sink: string, event: UsageEvent): string {
  return `${SPOOL_LOG_MARKER}${JSON.stringify({ sink, event: encodeUsageEvent(event) })}`;
}

/**
 * Reads the events the stdout spool wrote back out of a log export (CloudWatch Logs lines may carry a timestamp
 * and request id before the marker). Lines without the marker are ignored; marked lines that do not decode (cut by
 * the log's size limit, edited) are counted as `corrupt` and named by line number. Pure: the caller reads the file.
 *
 * @example
 * const { entries, corrupt } = parseSpoolLogLines(readFileSync('lambda.log', 'utf8'));
 * for (const { sink, event } of entries) await spool.append(sink, [event]);
 */
export function parseSpoolLogLines(text: string): SpoolLogParse {
  const entries: SpoolLogEntry[] = [];
  const corruptLines: number[] = [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, index) => {
    const at = line.indexOf(SPOOL_LOG_MARKER);
    if (at === -1) return;
    try {
      const record = JSON.parse(line.slice(at + SPOOL_LOG_MARKER.length)) as { sink?: unknown; event?: unknown };
      if (typeof record.sink !== 'string' || record.sink === '') throw new Error('no sink');
      entries.push({ sink: record.sink, event: decodeUsageEvent(record.event) });
    } catch {
      corruptLines.push(index + 1);
    }
  });
  return { entries, corrupt: corruptLines.length, corruptLines, lines: lines.length };
}
