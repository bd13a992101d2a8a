import type { Writable } from 'node:stream';

import type { Clock, UsageEvent } from '@bedrock-usage/core';

import { JsonLinesSink } from './json-lines-sink';
import { usageLogRecord } from './usage-log-record';

/**
 * Options of {@link JsonLogSink}.
 *
 * @example
 * new JsonLogSink({ output: createWriteStream('usage.log', { flags: 'a' }) });
 */
export interface JsonLogSinkOptions {
  /**
   * Where the lines go (the caller owns it: shutdown does not end it).
   * @default process.stdout
   */
  readonly output?: Writable;
  /**
   * Clock of `logging_latency_ms`.
   * @default systemClock
   */
  readonly clock?: Clock;
}

/**
 * The log sink (`Log`): one JSON line per event with the seed's field names ({@link UsageLogRecord}) — for hosts
 * whose metrics come from PutMetricData; with the EMF sink, its lines already carry these fields.
 *
 * @example
 * const sink = new JsonLogSink();
 * await sink.write(events); // {"timestamp":"…","level":"INFO","agent_id":"jira",…,"estimated_cost":0.00005,…}
 */
export class JsonLogSink extends JsonLinesSink {
  readonly name = 'Log';

  constructor(options: JsonLogSinkOptions = {}) {
    super(options.output ?? process.stdout, options.clock);
  }

  protected line(event: UsageEvent): string {
    return JSON.stringify(usageLogRecord(event, this.clock.now()));
  }
}
