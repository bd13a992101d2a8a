import { UsageError } from '../errors';
import { formatUsd, parseUsd } from './money';
import { BEDROCK_APIS, type UsageCost, type UsageEvent } from './usage-event';

/** A {@link UsageEvent} as JSON: the same fields, with each cost component an exact decimal string of USD. */
export type UsageEventRecord = Omit<UsageEvent, 'cost'> & {
  readonly cost: { readonly [K in keyof UsageCost]: string } | null;
};

const COST_KEYS = ['total', 'input', 'output', 'cacheRead', 'cacheWrite', 'cacheWrite1h'] as const;
const OUTCOMES = ['success', 'error', 'rejected'];

/**
 * The JSON-safe form of an event (spool lines, stored items, replay files): bigint costs become exact decimals.
 *
 * @example
 * JSON.stringify(encodeUsageEvent(event)) // {"eventId":"…","cost":{"total":"0.0105",…},…}
 */
export function encodeUsageEvent(event: UsageEvent): UsageEventRecord {
  const { cost, ...rest } = event;
  return {
    ...rest,
    cost: cost && {
      total: formatUsd(cost.total),
      input: formatUsd(cost.input),
      output: formatUsd(cost.output),
      cacheRead: formatUsd(cost.cacheRead),
      cacheWrite: formatUsd(cost.cacheWrite),
      cacheWrite1h: formatUsd(cost.cacheWrite1h),
    },
  };
}

/**
 * Reads back what {@link encodeUsageEvent} wrote. Throws `UsageError('INVALID_INPUT')` naming the field when the
 * value is not an encoded event (a corrupt spool line, a hand-edited file).
 *
 * @example
 * const event = decodeUsageEvent(JSON.parse(line));
 */
export function decodeUsageEvent(value: unknown): UsageEvent {
  const record = object(value, 'event');
  for (const key of ['eventId', 'time', 'agentId', 'modelId', 'region'] as const) {
    if (typeof record[key] !== 'string' || record[key] === '') fail(key, record[key], 'a non-empty string');
  }
  if (!BEDROCK_APIS.includes(record.api as never)) fail('api', record.api, BEDROCK_APIS.join(', '));
  if (!OUTCOMES.includes(record.outcome as string)) fail('outcome', record.outcome, OUTCOMES.join(', '));
  const usage = object(record.usage, 'usage');
  for (const key of ['inputTokens', 'outputTokens', 'cacheReadInputTokens', 'cacheWriteInputTokens', 'totalTokens']) {
    if (!Number.isSafeInteger(usage[key]) || (usage[key] as number) < 0) fail(`usage.${key}`, usage[key], 'a non-negative integer');
  }
  if (!Array.isArray(record.flags)) fail('flags', record.flags, 'an array of flags');
  if (typeof record.apiLatencyMs !== 'number') fail('apiLatencyMs', record.apiLatencyMs, 'a number of milliseconds');
  let cost: UsageCost | null = null;
  if (record.cost !== null && record.cost !== undefined) {
    const encoded = object(record.cost, 'cost');
    const parsed: Partial<Record<keyof UsageCost, bigint>> = {};
    for (const key of COST_KEYS) {
      if (typeof encoded[key] !== 'string') fail(`cost.${key}`, encoded[key], 'an exact decimal string of USD');
      try {
        parsed[key] = parseUsd(encoded[key] as string);
      } catch (error) {
        throw new UsageError('INVALID_INPUT', `usage event field "cost.${key}": ${(error as Error).message}`, { cause: error });
      }
    }
    cost = parsed as UsageCost;
  }
  return { ...(record as unknown as UsageEvent), cost };
}

function object(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(field, value, 'an object');
  return value as Record<string, unknown>;
}

function fail(field: string, value: unknown, allowed: string): never {
  const shown = JSON.stringify(value) ?? String(value);
  throw new UsageError('INVALID_INPUT', `usage event field "${field}" is ${shown.length > 60 ? `${shown.slice(0, 60)}…` : shown} — expected ${allowed}`);
}
