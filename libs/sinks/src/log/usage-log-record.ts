import { formatUsd, usdToNumber, type UsageEvent } from '@bedrock-usage/core';

/**
 * One structured log line, with exactly the field names the seed's Logs Insights queries use. Numbers are JSON
 * numbers (so `filter estimated_cost > 0.01` works); a field that does not apply is `null`, never absent.
 * Token counts and ids only: no prompt or completion text, no tags, no provider messages.
 *
 * @example
 * const record: UsageLogRecord = usageLogRecord(event, Date.now());
 */
export interface UsageLogRecord {
  /** When the call completed, ISO-8601 UTC. */
  readonly timestamp: string;
  /** `INFO` (success), `ERROR` (Bedrock answered with an exception), `WARN` (usage could not be read). */
  readonly level: 'INFO' | 'WARN' | 'ERROR';
  readonly message: string;
  readonly event_id: string;
  readonly agent_id: string;
  readonly model_id: string;
  readonly resolved_model: string | null;
  readonly incident_id: string | null;
  readonly api: string;
  readonly region: string;
  readonly outcome: string;
  readonly input_tokens: number;
  readonly output_tokens: number;
  /** input + output + cache read + cache write (see `TotalTokens` in the metric catalog). */
  readonly total_tokens: number;
  readonly cache_read_input_tokens: number;
  readonly cache_write_input_tokens: number;
  /** USD as a float for comparisons; null when unpriced (never a silent 0). */
  readonly estimated_cost: number | null;
  /** The exact decimal string of the same amount. */
  readonly estimated_cost_usd: string | null;
  readonly api_latency_ms: number;
  /** Call completed → this line written, in ms (includes the batching interval; the cost of logging is the `LoggingLatency` metric). */
  readonly logging_latency_ms: number;
  /** The exception name on ERROR lines, else null. */
  readonly error_code: string | null;
  readonly flags: readonly string[];
}

function level(event: UsageEvent): UsageLogRecord['level'] {
  if (event.outcome === 'error') return 'ERROR';
  return event.outcome === 'rejected' ? 'WARN' : 'INFO';
}

function message(event: UsageEvent): string {
  if (event.outcome === 'error') return `Bedrock ${event.api} failed with ${event.errorCode ?? 'an unknown error'}`;
  if (event.outcome === 'rejected') return `Bedrock ${event.api} answered but its usage could not be read`;
  return `Bedrock ${event.api}: ${event.usage.totalTokens} tokens`;
}

/**
 * The log record of one event, `now` being when the line is written (ms since the epoch).
 *
 * @example
 * JSON.stringify(usageLogRecord(event, clock.now()))
 */
export function usageLogRecord(event: UsageEvent, now: number): UsageLogRecord {
  const completed = Date.parse(event.time);
  return {
    timestamp: event.time,
    level: level(event),
    message: message(event),
    event_id: event.eventId,
    agent_id: event.agentId,
    model_id: event.modelId,
    resolved_model: event.resolvedModel,
    incident_id: event.incidentId ?? null,
    api: event.api,
    region: event.region,
    outcome: event.outcome,
    input_tokens: event.usage.inputTokens,
    output_tokens: event.usage.outputTokens,
    total_tokens: event.usage.totalTokens,
    cache_read_input_tokens: event.usage.cacheReadInputTokens,
    cache_write_input_tokens: event.usage.cacheWriteInputTokens,
    estimated_cost: event.cost === null ? null : usdToNumber(event.cost.total),
    estimated_cost_usd: event.cost === null ? null : formatUsd(event.cost.total),
    api_latency_ms: event.apiLatencyMs,
    logging_latency_ms: Number.isFinite(completed) ? Math.max(0, now - completed) : 0,
    error_code: event.outcome === 'error' ? (event.errorCode ?? 'Unknown') : null,
    flags: event.flags,
  };
}

/**
 * The ERROR line of a `LoggingErrors` report (our own pipeline failed), so the seed's error-pattern query sees
 * logging errors beside API errors: `error_code` is the report's `ErrorType`.
 *
 * @example
 * loggingErrorLogRecord({ AgentId: 'jira', LoggingBackend: 'DynamoDB', ErrorType: 'Dropped' }, 3, Date.now())
 */
export function loggingErrorLogRecord(dimensions: Readonly<Record<string, string>>, count: number, now: number): Record<string, unknown> {
  const errorType = dimensions.ErrorType ?? 'Unknown';
  const backend = dimensions.LoggingBackend ?? null;
  return {
    timestamp: new Date(now).toISOString(),
    level: 'ERROR',
    message: `logging error ${errorType}${backend ? ` in ${backend}` : ''} (${count})`,
    agent_id: dimensions.AgentId ?? null,
    logging_backend: backend,
    error_code: errorType,
    count,
  };
}
