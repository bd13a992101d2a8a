import { BEDROCK_APIS } from './usage-event';

/**
 * The version of the usage event's JSON form. Records without `schemaVersion` (written before it existed) are read as
 * version 1; a newer version is refused by name, so an old reader never guesses at a new format.
 */
export const USAGE_EVENT_SCHEMA_VERSION = 1;

/** The subset of JSON Schema (2020-12) the usage event uses — and {@link usageEventProblems} understands. */
export interface JsonSchema {
  readonly $schema?: string;
  readonly $id?: string;
  readonly title?: string;
  readonly description?: string;
  readonly type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'null' | readonly ('object' | 'string' | 'number' | 'null')[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchema;
  readonly items?: JsonSchema;
  readonly enum?: readonly (string | number)[];
  readonly const?: string | number;
  readonly minimum?: number;
  readonly minLength?: number;
  readonly pattern?: string;
  readonly format?: 'date-time' | 'date';
}

const FLAGS = ['usage_missing', 'truncated', 'extraction_rejected', 'unpriced', 'pricing_pending', 'provisioned', 'tracking_error', 'synthetic'];
const text: JsonSchema = { type: 'string', minLength: 1 };
const count: JsonSchema = { type: 'integer', minimum: 0 };
const milliseconds: JsonSchema = { type: 'number', minimum: 0 };
const usd: JsonSchema = { type: 'string', pattern: '^-?\\d+(\\.\\d+)?$', description: 'Exact decimal USD, e.g. "0.00105"' };

/**
 * The usage event as JSON (`encodeUsageEvent`'s record): the one definition of the format. The codec validates
 * every record it reads against it ({@link usageEventProblems}), and it is published with the core package as
 * `usage-event.schema.json`, for agents in other languages (a Python agent with boto3 builds this object).
 *
 * @example
 * JSON.stringify(USAGE_EVENT_JSON_SCHEMA); // what tools/packages writes to usage-event.schema.json
 */
export const USAGE_EVENT_JSON_SCHEMA: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: `https://bedrock-usage.dev/schemas/usage-event/v${USAGE_EVENT_SCHEMA_VERSION}.json`,
  title: 'bedrock-usage usage event',
  description: 'One Bedrock call as accounted: token counts, exact cost and ids — never prompt or completion text.',
  type: 'object',
  required: ['eventId', 'time', 'agentId', 'tags', 'api', 'modelId', 'resolvedModel', 'region', 'outcome', 'usage', 'cost', 'priceRef', 'latencyMs', 'apiLatencyMs', 'flags'],
  additionalProperties: false,
  properties: {
    schemaVersion: { const: USAGE_EVENT_SCHEMA_VERSION, description: 'The format version (absent: 1)' },
    eventId: { ...text, description: 'The Bedrock request id, else a UUID: the idempotency key of every sink' },
    time: { type: 'string', format: 'date-time', description: 'When the call completed, ISO-8601 UTC' },
    agentId: text,
    incidentId: text,
    tags: { type: 'object', additionalProperties: { type: 'string' } },
    api: { enum: BEDROCK_APIS },
    modelId: { ...text, description: 'The model id, inference profile id or ARN as called' },
    resolvedModel: { type: ['string', 'null'], description: 'The price book model, or null when unresolved' },
    region: text,
    outcome: { enum: ['success', 'error', 'rejected'] },
    usage: {
      type: 'object',
      required: ['inputTokens', 'outputTokens', 'cacheReadInputTokens', 'cacheWriteInputTokens', 'totalTokens'],
      additionalProperties: false,
      properties: {
        inputTokens: count,
        outputTokens: count,
        cacheReadInputTokens: count,
        cacheWriteInputTokens: count,
        totalTokens: { ...count, description: 'input + output + cache read + cache write' },
        cacheWrite5mTokens: count,
        cacheWrite1hTokens: count,
      },
    },
    cost: {
      type: ['object', 'null'],
      description: 'Null when unpriced, pending or provisioned — never a silent $0',
      required: ['total', 'input', 'output', 'cacheRead', 'cacheWrite', 'cacheWrite1h'],
      additionalProperties: false,
      properties: { total: usd, input: usd, output: usd, cacheRead: usd, cacheWrite: usd, cacheWrite1h: usd },
    },
    priceRef: {
      type: ['object', 'null'],
      required: ['model', 'region', 'routing', 'from', 'source'],
      additionalProperties: false,
      properties: { model: text, region: text, routing: { enum: ['in-region', 'geo', 'global'] }, from: { type: 'string', format: 'date' }, source: text },
    },
    latencyMs: { type: ['number', 'null'], minimum: 0 },
    firstByteLatencyMs: milliseconds,
    apiLatencyMs: milliseconds,
    statusCode: { type: 'integer', minimum: 100 },
    errorCode: text,
    retryable: { type: 'boolean' },
    usageSource: text,
    rejectReason: text,
    flags: { type: 'array', items: { enum: FLAGS } },
  },
};

/**
 * Every way `value` is not a usage event record, as messages naming the field, the value and what is allowed
 * (`usage event field "usage.inputTokens" is -1 — expected a non-negative integer`); empty when it is one.
 *
 * @example
 * usageEventProblems({ ...record, api: 'Chat' }); // ['usage event field "api" is "Chat" — expected InvokeModel, …']
 */
export function usageEventProblems(value: unknown): string[] {
  const problems: string[] = [];
  check(USAGE_EVENT_JSON_SCHEMA, value, 'event', problems);
  return problems;
}

function check(schema: JsonSchema, value: unknown, field: string, problems: string[]): void {
  const expected = expectation(schema);
  const fail = (): void => void problems.push(`usage event field "${field}" is ${shown(value)} — expected ${expected}`);
  if (schema.const !== undefined) return value === schema.const ? undefined : fail();
  if (schema.enum !== undefined) return schema.enum.includes(value as string) ? undefined : fail();
  const types = schema.type === undefined ? [] : typeof schema.type === 'string' ? [schema.type] : schema.type;
  if (value === null) return types.includes('null') ? undefined : fail();
  const kind = Array.isArray(value) ? 'array' : typeof value === 'number' && Number.isSafeInteger(value) ? 'integer' : typeof value;
  if (!types.some((type) => type === kind || (type === 'number' && kind === 'integer'))) return fail();
  if (typeof value === 'number' && (!Number.isFinite(value) || (schema.minimum !== undefined && value < schema.minimum))) return fail();
  if (typeof value === 'string') {
    if ((schema.minLength !== undefined && value.length < schema.minLength) || (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value))) return fail();
    if (schema.format === 'date-time' && (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(Date.parse(value)))) return fail();
    if (schema.format === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(value)) return fail();
  }
  if (Array.isArray(value) && schema.items) value.forEach((item, i) => check(schema.items as JsonSchema, item, `${field}[${i}]`, problems));
  if (kind === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (record[key] === undefined) problems.push(`usage event field "${path(field, key)}" is missing — expected ${expectation(schema.properties?.[key] ?? {})}`);
    for (const [key, item] of Object.entries(record)) {
      // An optional field set to undefined is absent (what JSON.stringify makes of it).
      if (item === undefined) continue;
      const property = schema.properties?.[key] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
      if (property) check(property, item, path(field, key), problems);
      else if (schema.additionalProperties === false) problems.push(`usage event field "${path(field, key)}" is not part of the schema (v${USAGE_EVENT_SCHEMA_VERSION}) — remove it, or check its spelling`);
    }
  }
}

function path(field: string, key: string): string {
  return field === 'event' ? key : `${field}.${key}`;
}

/** What a schema allows, in words. */
function expectation(schema: JsonSchema): string {
  if (schema.const !== undefined) return `${schema.const}${schema === USAGE_EVENT_JSON_SCHEMA.properties?.schemaVersion ? ` (this reader knows schema version ${USAGE_EVENT_SCHEMA_VERSION})` : ''}`;
  if (schema.enum !== undefined) return schema.enum.join(', ');
  const types = schema.type === undefined ? [] : typeof schema.type === 'string' ? [schema.type] : schema.type;
  const words = types.filter((type) => type !== 'null').map((type) => {
    if (schema.pattern !== undefined) return 'an exact decimal string of USD';
    if (schema.format === 'date-time') return 'an ISO-8601 timestamp';
    if (schema.format === 'date') return 'a date YYYY-MM-DD';
    if (type === 'string') return schema.minLength ? 'a non-empty string' : 'a string';
    if (type === 'integer') return schema.minimum === 0 ? 'a non-negative integer' : `an integer ≥ ${schema.minimum ?? '-∞'}`;
    if (type === 'number') return schema.minimum === 0 ? 'a non-negative number' : 'a number';
    if (type === 'array') return `an array of ${expectation(schema.items ?? {})}`;
    if (type === 'object') return 'an object';
    return `a ${type}`;
  });
  return `${words.join(' or ')}${types.includes('null') ? ' or null' : ''}`;
}

function shown(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 60 ? `${json.slice(0, 60)}…` : json;
}
