import { createHash } from 'node:crypto';

import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { UsageError, decodeUsageEvent, encodeUsageEvent, type UsageEvent } from '@bedrock-usage/core';

import { DAY_SHARDS } from '../usage-table';

export type Item = Record<string, AttributeValue>;

/** The base-table key of an event's item. */
export function eventKey(eventId: string): Item {
  return { pk: { S: `EVENT#${eventId}` }, sk: { S: 'EVENT' } };
}

/** The by-day shard of an event: a stable hash of its id, so a replay lands on the same index partition. */
export function dayShard(eventId: string): number {
  return createHash('sha256').update(eventId).digest().readUInt32BE(0) % DAY_SHARDS;
}

/**
 * The item of one event, built from the event alone (no write time, no counter): writing it again — a replay, a
 * duplicate, a retry after a lost response — leaves the table as it was. The event is stored as its exact JSON
 * record (costs as decimal strings of USD, never floats), as native attributes, beside the key attributes.
 * With `retentionDays`, `expiresAt` (epoch seconds) is the event's time plus that many days, for the table's TTL.
 * Throws `UsageError('INVALID_INPUT')` naming the field when the event cannot be keyed.
 */
export function toItem(event: UsageEvent, retentionDays?: number): Item {
  if (typeof event.eventId !== 'string' || event.eventId === '') invalid('eventId', event.eventId, 'a non-empty string');
  const millis = typeof event.time === 'string' ? Date.parse(event.time) : Number.NaN;
  if (Number.isNaN(millis)) invalid('time', event.time, 'an ISO-8601 timestamp');
  const time = new Date(millis).toISOString();
  const day = time.slice(0, 10);
  const item: Item = {
    ...(marshal(encodeUsageEvent(event), 'event') as { M: Item }).M,
    ...eventKey(event.eventId),
    sortKey: { S: `${time}#${event.eventId}` },
    dayKey: { S: `DAY#${day}#${dayShard(event.eventId)}` },
    agentDayKey: { S: `AGENT#${event.agentId}#${day}` },
    modelDayKey: { S: `MODEL#${event.resolvedModel ?? event.modelId}#${day}` },
  };
  if (event.incidentId) item.incidentKey = { S: `INCIDENT#${event.incidentId}` };
  // DynamoDB's TTL deletes the raw event this long after the call (from the event alone: a re-put is the same item).
  if (retentionDays !== undefined) item.expiresAt = { N: String(Math.floor(millis / 1000) + retentionDays * 86_400) };
  return item;
}

const KEY_ATTRIBUTES = new Set(['pk', 'sk', 'sortKey', 'dayKey', 'agentDayKey', 'modelDayKey', 'incidentKey', 'expiresAt']);

/** Reads an event back from its item; throws `UsageError('INVALID_INPUT')` when the item is not an event. */
export function fromItem(item: Item): UsageEvent {
  const record: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(item)) {
    if (!KEY_ATTRIBUTES.has(name)) record[name] = unmarshal(value);
  }
  return decodeUsageEvent(record);
}

function marshal(value: unknown, field: string): AttributeValue {
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'boolean') return { BOOL: value };
  if (value === null) return { NULL: true };
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) invalid(field, value, 'a finite number');
    return { N: String(value) };
  }
  if (Array.isArray(value)) return { L: value.map((entry, i) => marshal(entry, `${field}[${i}]`)) };
  if (typeof value === 'object') {
    const map: Item = {};
    for (const [name, entry] of Object.entries(value)) {
      if (entry !== undefined) map[name] = marshal(entry, field === 'event' ? name : `${field}.${name}`);
    }
    return { M: map };
  }
  return invalid(field, value, 'JSON data (string, number, boolean, null, array or object)');
}

function unmarshal(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL) return null;
  if (value.L) return value.L.map(unmarshal);
  if (value.M) return Object.fromEntries(Object.entries(value.M).map(([name, entry]) => [name, unmarshal(entry)]));
  throw new UsageError('INVALID_INPUT', `stored usage item has an attribute of an unexpected type (${Object.keys(value).join(', ')}) — expected S, N, BOOL, NULL, L or M`);
}

function invalid(field: string, value: unknown, allowed: string): never {
  throw new UsageError('INVALID_INPUT', `usage event field "${field}" is ${String(JSON.stringify(value) ?? value).slice(0, 60)} — expected ${allowed}`);
}
