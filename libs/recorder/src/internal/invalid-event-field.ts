import { BEDROCK_APIS } from '@bedrock-usage/core';

const OUTCOMES: readonly unknown[] = ['success', 'error', 'rejected'];
const STRING_FIELDS = ['eventId', 'time', 'agentId', 'modelId', 'region'] as const;
const COUNT_FIELDS = ['inputTokens', 'outputTokens', 'cacheReadInputTokens', 'cacheWriteInputTokens', 'totalTokens'] as const;
const COST_FIELDS = ['total', 'input', 'output', 'cacheRead', 'cacheWrite', 'cacheWrite1h'] as const;

/**
 * The first field that keeps `value` from being a usage event the spool can encode and decode again (the checks of
 * core's decodeUsageEvent, on the in-memory form), or undefined when it is one. Constant work per event. May throw
 * on hostile objects (throwing getters): the caller catches.
 */
export function invalidEventField(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'event';
  const event = value as Record<string, unknown>;
  for (const key of STRING_FIELDS) if (typeof event[key] !== 'string' || event[key] === '') return key;
  if (!(BEDROCK_APIS as readonly unknown[]).includes(event.api)) return 'api';
  if (!OUTCOMES.includes(event.outcome)) return 'outcome';
  if (event.incidentId !== undefined && typeof event.incidentId !== 'string') return 'incidentId';
  const usage = event.usage as Record<string, unknown> | null;
  if (typeof usage !== 'object' || usage === null) return 'usage';
  for (const key of COUNT_FIELDS) {
    if (!Number.isSafeInteger(usage[key]) || (usage[key] as number) < 0) return `usage.${key}`;
  }
  if (!Array.isArray(event.flags)) return 'flags';
  if (typeof event.apiLatencyMs !== 'number') return 'apiLatencyMs';
  if (event.cost !== null && event.cost !== undefined) {
    if (typeof event.cost !== 'object') return 'cost';
    const cost = event.cost as Record<string, unknown>;
    for (const key of COST_FIELDS) if (typeof cost[key] !== 'bigint') return `cost.${key}`;
  }
  return undefined;
}
