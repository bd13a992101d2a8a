import { MAX_TOKEN_COUNT } from '@bedrock-usage/core';

import type {
  ExtractionFlag,
  RejectedExtraction,
  UsageExtraction,
  UsageSource,
} from '../extraction.types';
import { explain, type FieldReading } from './field-reading';
import type { CacheWriteSplit } from './provider-usage';

/** The readings of the four counters, each list ordered by priority (e.g. header first, then body). */
export interface UsageReadings {
  readonly inputTokens: readonly FieldReading[];
  readonly outputTokens: readonly FieldReading[];
  readonly cacheReadInputTokens: readonly FieldReading[];
  readonly cacheWriteInputTokens: readonly FieldReading[];
  readonly cacheWriteSplit: CacheWriteSplit | undefined;
  readonly latencyMs: number | null;
  readonly firstByteLatencyMs: number | undefined;
  /** The usage source of each priority position, e.g. `['headers', 'body']`. */
  readonly sources: readonly UsageSource[];
  /** The usage source when counts came from more than one position. */
  readonly mixedSource: UsageSource;
}

type Resolution = { readonly ok: true; readonly value: number; readonly from: number } | { readonly ok: false; readonly reason: string };

const ABSENT: Resolution = { ok: true, value: 0, from: -1 };

/**
 * The first valid reading wins. With none: a field that some source carried (invalid) or that is required is
 * unresolved, with a reason naming every place looked at; otherwise it is absent (0).
 */
function resolveCount(readings: readonly FieldReading[], required: boolean): Resolution {
  let invalid = false;
  for (let i = 0; i < readings.length; i++) {
    const r = readings[i];
    if (r === undefined) continue;
    if (r.state === 'valid') return { ok: true, value: r.value, from: i };
    if (r.state === 'invalid') invalid = true;
  }
  if (!invalid && !required) return ABSENT;
  return { ok: false, reason: readings.map(explain).join(' and ') };
}

function anyPresent(readings: readonly FieldReading[]): boolean {
  for (const r of readings) if (r.state !== 'absent') return true;
  return false;
}

function rejected(reason: string): RejectedExtraction {
  return { rejected: true, reason };
}

function result(
  counts: { input: number; output: number; cacheRead: number; cacheWrite: number },
  split: CacheWriteSplit | undefined,
  readings: UsageReadings,
  usageSource: UsageSource,
  flags: readonly ExtractionFlag[],
): UsageExtraction {
  // Built field by field, no spreads: this runs on every Bedrock call (the hot path).
  const extraction: { -readonly [K in keyof UsageExtraction]: UsageExtraction[K] } = {
    inputTokens: counts.input,
    outputTokens: counts.output,
    cacheReadInputTokens: counts.cacheRead,
    cacheWriteInputTokens: counts.cacheWrite,
    totalTokens: counts.input + counts.output + counts.cacheRead + counts.cacheWrite,
    latencyMs: readings.latencyMs,
    usageSource,
    flags,
  };
  if (split !== undefined) {
    extraction.cacheWrite5mTokens = split.fiveMinutes;
    extraction.cacheWrite1hTokens = split.oneHour;
  }
  if (readings.firstByteLatencyMs !== undefined) extraction.firstByteLatencyMs = readings.firstByteLatencyMs;
  return extraction;
}

/**
 * Final counts, field by field. No usage anywhere gives zeros flagged `usage_missing`; otherwise input and output
 * are required, and any field whose only values are invalid rejects the call, naming the field.
 *
 * The TTL split is kept only when 5m + 1h equals the resolved cache writes; when no source gave the cache writes,
 * a valid split gives them.
 */
export function resolveUsage(readings: UsageReadings, flags: readonly ExtractionFlag[] = []): UsageExtraction | RejectedExtraction {
  const present =
    anyPresent(readings.inputTokens) ||
    anyPresent(readings.outputTokens) ||
    anyPresent(readings.cacheReadInputTokens) ||
    anyPresent(readings.cacheWriteInputTokens);
  if (!present) {
    return result({ input: 0, output: 0, cacheRead: 0, cacheWrite: 0 }, undefined, readings, 'none', [
      ...flags,
      'usage_missing',
    ]);
  }
  const input = resolveCount(readings.inputTokens, true);
  if (!input.ok) return rejected(input.reason);
  const output = resolveCount(readings.outputTokens, true);
  if (!output.ok) return rejected(output.reason);
  const cacheRead = resolveCount(readings.cacheReadInputTokens, false);
  if (!cacheRead.ok) return rejected(cacheRead.reason);
  const cacheWrite = resolveCount(readings.cacheWriteInputTokens, false);
  if (!cacheWrite.ok) return rejected(cacheWrite.reason);

  let cacheWriteValue = cacheWrite.value;
  let split = readings.cacheWriteSplit;
  if (split !== undefined) {
    const sum = split.fiveMinutes + split.oneHour;
    if (cacheWrite.from === -1 && sum <= MAX_TOKEN_COUNT) cacheWriteValue = sum;
    else if (sum !== cacheWriteValue) split = undefined;
  }

  let from = -1;
  let mixed = false;
  for (const r of [input, output, cacheRead, cacheWrite]) {
    if (r.from === -1) continue;
    if (from === -1) from = r.from;
    else if (r.from !== from) mixed = true;
  }
  const usageSource = mixed ? readings.mixedSource : (readings.sources[from] ?? readings.mixedSource);
  return result(
    { input: input.value, output: output.value, cacheRead: cacheRead.value, cacheWrite: cacheWriteValue },
    split,
    readings,
    usageSource,
    flags,
  );
}

/**
 * The best estimate of a stream cut before its final metrics: the latest valid value of each counter, 0 where none
 * arrived. Flagged `truncated`, and also `usage_missing` when no count at all arrived. Never rejects.
 */
export function estimateUsage(readings: UsageReadings): UsageExtraction {
  const value = (list: readonly FieldReading[]): number => {
    for (const r of list) if (r.state === 'valid') return r.value;
    return -1;
  };
  const input = value(readings.inputTokens);
  const output = value(readings.outputTokens);
  const cacheRead = value(readings.cacheReadInputTokens);
  const cacheWrite = value(readings.cacheWriteInputTokens);
  const seen = input !== -1 || output !== -1 || cacheRead !== -1 || cacheWrite !== -1;
  let split = readings.cacheWriteSplit;
  if (split !== undefined && split.fiveMinutes + split.oneHour !== Math.max(cacheWrite, 0)) split = undefined;
  return result(
    {
      input: Math.max(input, 0),
      output: Math.max(output, 0),
      cacheRead: Math.max(cacheRead, 0),
      cacheWrite: Math.max(cacheWrite, 0),
    },
    split,
    readings,
    seen ? (readings.sources[0] ?? readings.mixedSource) : 'none',
    seen ? ['truncated'] : ['truncated', 'usage_missing'],
  );
}
