import { closeSync, openSync, readSync, statSync } from 'node:fs';

import { formatUsd, parseUsd } from '@bedrock-usage/core';

/**
 * The size of a file, 0 when it does not exist yet: where this run's lines will start.
 *
 * @example
 * const offset = sizeOf('.bedrock-usage/logs/jira/usage.log');
 */
export function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

/**
 * The complete lines a file gained after `offset` (a run's own lines of an append-only file).
 *
 * @example
 * const lines = readNewLines(file, offsetAtStart);
 */
export function readNewLines(file: string, offset: number): string[] {
  const end = sizeOf(file);
  if (end <= offset) return [];
  const buffer = Buffer.alloc(end - offset);
  const fd = openSync(file, 'r');
  try {
    let read = 0;
    while (read < buffer.length) read += readSync(fd, buffer, read, buffer.length - read, offset + read);
  } finally {
    closeSync(fd);
  }
  return buffer.toString('utf8').split('\n').filter((line) => line.trim() !== '');
}

/** One agent × model line of {@link UsageTally}. */
export interface UsageLine {
  readonly agentId: string;
  readonly modelId: string;
  calls: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** Exact USD. */
  cost: string;
}

/**
 * Usage log lines (the `Log` sink's `UsageLogRecord`s) summed by agent and model, each event once.
 *
 * @example
 * tallyUsageLogLines(lines).cost; // '0.41230500'
 */
export interface UsageTally {
  /** Distinct events. */
  readonly events: number;
  /** Lines of an event already counted (a sink retry writing a line twice): never expected. */
  readonly duplicates: number;
  /** Exact USD of the priced events. */
  readonly cost: string;
  readonly unpriced: number;
  readonly lines: readonly UsageLine[];
  readonly errorsByCode: Readonly<Record<string, number>>;
  /** The incidents the events belong to, with their exact cost. */
  readonly byIncident: Readonly<Record<string, string>>;
}

interface UsageLogFields {
  readonly event_id: string;
  readonly agent_id: string;
  readonly model_id: string;
  readonly incident_id: string | null;
  readonly outcome: string;
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly cache_read_input_tokens: number;
  readonly cache_write_input_tokens: number;
  readonly estimated_cost_usd: string | null;
  readonly error_code: string | null;
}

/**
 * Sums usage log lines by agent and model (exact money), each `event_id` once.
 *
 * @example
 * const tally = tallyUsageLogLines(readNewLines('usage.log', 0));
 */
export function tallyUsageLogLines(lines: readonly string[]): UsageTally {
  const seen = new Set<string>();
  const byKey = new Map<string, UsageLine & { femto: bigint }>();
  const errorsByCode: Record<string, number> = {};
  const incidents = new Map<string, bigint>();
  let duplicates = 0;
  let unpriced = 0;
  let total = 0n;
  for (const text of lines) {
    const record = JSON.parse(text) as UsageLogFields;
    if (typeof record.event_id !== 'string') continue; // a logging-error line, not an event
    if (seen.has(record.event_id)) {
      duplicates += 1;
      continue;
    }
    seen.add(record.event_id);
    const key = `${record.agent_id}\u0000${record.model_id}`;
    let line = byKey.get(key);
    if (!line) {
      line = { agentId: record.agent_id, modelId: record.model_id, calls: 0, errors: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, cost: '0', femto: 0n };
      byKey.set(key, line);
    }
    line.calls += 1;
    line.inputTokens += record.input_tokens;
    line.outputTokens += record.output_tokens;
    line.cacheReadTokens += record.cache_read_input_tokens;
    line.cacheWriteTokens += record.cache_write_input_tokens;
    if (record.outcome === 'error') {
      line.errors += 1;
      const code = record.error_code ?? 'Unknown';
      errorsByCode[code] = (errorsByCode[code] ?? 0) + 1;
    }
    if (record.estimated_cost_usd === null) unpriced += 1;
    else {
      const amount = parseUsd(record.estimated_cost_usd);
      line.femto += amount;
      total += amount;
      if (record.incident_id !== null) incidents.set(record.incident_id, (incidents.get(record.incident_id) ?? 0n) + amount);
    }
  }
  const usageLines = [...byKey.values()]
    .map(({ femto, ...line }) => ({ ...line, cost: formatUsd(femto) }))
    .sort((a, b) => a.agentId.localeCompare(b.agentId) || a.modelId.localeCompare(b.modelId));
  return {
    events: seen.size,
    duplicates,
    cost: formatUsd(total),
    unpriced,
    lines: usageLines,
    errorsByCode,
    byIncident: Object.fromEntries([...incidents].sort(([a], [b]) => a.localeCompare(b)).map(([id, femto]) => [id, formatUsd(femto)])),
  };
}

/**
 * What EMF lines would put into CloudWatch: the EstimatedCost metric summed (a double, as CloudWatch keeps it),
 * the usage events they carry, and the circuit breaker trips by component.
 *
 * @example
 * tallyEmfLines(lines).estimatedCost; // 0.4123050000000001
 */
export interface EmfTally {
  readonly estimatedCost: number;
  /** Lines of usage events (one per event and delivery). */
  readonly events: number;
  readonly trips: number;
  readonly tripsByComponent: Readonly<Record<string, number>>;
}

interface EmfLine {
  readonly _aws?: { readonly CloudWatchMetrics?: readonly { readonly Metrics: readonly { readonly Name: string }[] }[] };
  readonly [member: string]: unknown;
}

/**
 * Sums EMF lines as CloudWatch would read them: each line's metric values once (the value is the same for every
 * dimension set of the directive).
 *
 * @example
 * const emf = tallyEmfLines(readNewLines('emf.log', 0));
 */
export function tallyEmfLines(lines: readonly string[]): EmfTally {
  let estimatedCost = 0;
  let events = 0;
  let trips = 0;
  const tripsByComponent: Record<string, number> = {};
  for (const text of lines) {
    const line = JSON.parse(text) as EmfLine;
    const names = new Set((line._aws?.CloudWatchMetrics ?? []).flatMap((directive) => directive.Metrics.map((metric) => metric.Name)));
    if (typeof line.event_id === 'string') events += 1;
    if (names.has('EstimatedCost')) estimatedCost += sumOf(line.EstimatedCost);
    // Trips are also rolled up without dimensions: count the per-component series only.
    if (names.has('CircuitBreakerTrips') && typeof line.Component === 'string') {
      const count = sumOf(line.CircuitBreakerTrips);
      trips += count;
      tripsByComponent[line.Component] = (tripsByComponent[line.Component] ?? 0) + count;
    }
  }
  return { estimatedCost, events, trips, tripsByComponent };
}

function sumOf(value: unknown): number {
  if (typeof value === 'number') return value;
  return Array.isArray(value) ? value.reduce((sum: number, item) => sum + (typeof item === 'number' ? item : 0), 0) : 0;
}
