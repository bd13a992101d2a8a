import { UsageError } from '../errors';
import { formatUsd, parseUsd } from './money';
import type { UsageCost, UsageEvent } from './usage-event';
import { USAGE_EVENT_SCHEMA_VERSION, usageEventProblems } from './usage-event.schema';

/**
 * A {@link UsageEvent} as JSON (the format of `USAGE_EVENT_JSON_SCHEMA`): the same fields, each cost component an
 * exact decimal string of USD, and the format's `schemaVersion`.
 */
export type UsageEventRecord = Omit<UsageEvent, 'cost'> & {
  readonly schemaVersion?: typeof USAGE_EVENT_SCHEMA_VERSION;
  readonly cost: { readonly [K in keyof UsageCost]: string } | null;
};

const COST_KEYS = ['total', 'input', 'output', 'cacheRead', 'cacheWrite', 'cacheWrite1h'] as const;

/**
 * The JSON-safe form of an event (spool lines, stored items, replay files): bigint costs become exact decimals.
 *
 * @example
 * JSON.stringify(encodeUsageEvent(event)) // {"eventId":"…","cost":{"total":"0.0105",…},…}
 */
export function encodeUsageEvent(event: UsageEvent): UsageEventRecord {
  const { cost, ...rest } = event;
  return {
    schemaVersion: USAGE_EVENT_SCHEMA_VERSION,
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
 * Reads back what {@link encodeUsageEvent} wrote — or an agent in another language built to the schema — validated
 * against `USAGE_EVENT_JSON_SCHEMA`. Throws `UsageError('INVALID_INPUT')` naming the field, the value and what is
 * allowed when the value is not an event record (a corrupt spool line, a hand-edited file, a newer schema version).
 *
 * @example
 * const event = decodeUsageEvent(JSON.parse(line));
 */
export function decodeUsageEvent(value: unknown): UsageEvent {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('event', value, 'an object');
  const problems = usageEventProblems(value);
  if (problems.length > 0) throw new UsageError('INVALID_INPUT', problems.length === 1 ? (problems[0] as string) : `${problems[0]} (and ${problems.length - 1} more: ${problems.slice(1).join('; ')})`);
  // The version is the wire format's: the in-memory event does not carry it.
  const record: Omit<UsageEventRecord, 'schemaVersion'> & { schemaVersion?: number } = { ...(value as UsageEventRecord) };
  delete record.schemaVersion;
  let cost: UsageCost | null = null;
  if (record.cost !== null) {
    const parsed: Partial<Record<keyof UsageCost, bigint>> = {};
    for (const key of COST_KEYS) {
      try {
        parsed[key] = parseUsd(record.cost[key]);
      } catch (error) {
        throw new UsageError('INVALID_INPUT', `usage event field "cost.${key}": ${(error as Error).message}`, { cause: error });
      }
    }
    cost = parsed as UsageCost;
  }
  return { ...(record as unknown as UsageEvent), cost };
}

function fail(field: string, value: unknown, allowed: string): never {
  const shown = JSON.stringify(value) ?? String(value);
  throw new UsageError('INVALID_INPUT', `usage event field "${field}" is ${shown.length > 60 ? `${shown.slice(0, 60)}…` : shown} — expected ${allowed}`);
}
