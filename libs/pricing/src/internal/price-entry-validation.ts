import { UsageError } from '@bedrock-usage/core';
import type { PriceRouting } from '@bedrock-usage/core';
import type { PriceEntry } from '../pricing.types';

const ROUTINGS: readonly PriceRouting[] = ['in-region', 'geo', 'global'];
const REQUIRED_FIELDS = ['model', 'from', 'regions', 'input', 'output', 'source', 'asOf'] as const;
const RATE_FIELDS = ['input', 'output', 'cacheRead', 'cacheWrite', 'cacheWrite1h', 'batchInput', 'batchOutput'] as const;
const ALLOWED_FIELDS: readonly string[] = [
  'model',
  'name',
  'from',
  'regions',
  'routing',
  ...RATE_FIELDS,
  'source',
  'asOf',
  'note',
];
const DOCUMENT_FIELDS: readonly string[] = ['version', 'prices'];
const DECIMAL = /^\d+(?:\.(\d+))?$/;
const MAX_DECIMALS = 9;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const REGION = /^[a-z]{2}(?:-gov)?-[a-z]+-\d$/;
const MODEL_KEY = /^[a-z0-9-]+\.[A-Za-z0-9._:-]+$/;
const PROFILE_PREFIX = /^(?:us-gov|us|eu|apac|jp|au|global)\./;

/** Which document an entry comes from, for messages: `price override` or `built-in price`. */
export type EntryOrigin = 'built-in' | 'override';

/**
 * Validates a price document (`{ "version"?: 1, "prices": [entry, …] }`) and returns its entries.
 * Collects every problem and throws one `UsageError('INVALID_PRICE_BOOK')` listing them all.
 */
export function validatePriceDocument(json: unknown, origin: EntryOrigin): readonly PriceEntry[] {
  const what = origin === 'override' ? 'price overrides' : 'built-in price book';
  if (!isRecord(json)) {
    throw invalid([`${what}: must be a JSON object like { "prices": [ … ] }, got ${describe(json)}`]);
  }
  const problems: string[] = [];
  const unknown = Object.keys(json).filter((key) => !DOCUMENT_FIELDS.includes(key));
  if (unknown.length > 0) {
    problems.push(`${what}: unknown fields ${unknown.map((k) => `"${k}"`).join(', ')} — allowed: ${DOCUMENT_FIELDS.join(', ')}`);
  }
  if (json['version'] !== undefined && json['version'] !== 1) {
    problems.push(`${what} field "version": ${describe(json['version'])} is not supported — use 1 or leave it out`);
  }
  const prices = json['prices'];
  if (!Array.isArray(prices)) {
    problems.push(`${what} field "prices": must be an array of price entries, got ${describe(prices)}`);
    throw invalid(problems);
  }
  const entries = validatePriceEntries(prices, origin, problems);
  if (problems.length > 0) throw invalid(problems);
  return entries;
}

/** Validates entries given in code; throws one `UsageError('INVALID_PRICE_BOOK')` listing every problem. */
export function validateEntryList(entries: readonly unknown[], origin: EntryOrigin): readonly PriceEntry[] {
  const problems: string[] = [];
  const valid = validatePriceEntries(entries, origin, problems);
  if (problems.length > 0) throw invalid(problems);
  return valid;
}

function validatePriceEntries(entries: readonly unknown[], origin: EntryOrigin, problems: string[]): PriceEntry[] {
  const valid: PriceEntry[] = [];
  const cells = new Map<string, number>();
  entries.forEach((raw, index) => {
    const entry = validateEntry(raw, index, origin, problems);
    if (!entry) return;
    valid.push(entry);
    for (const region of entry.regions) {
      for (const routing of entry.routing ?? ROUTINGS) {
        const cell = `${entry.model} ${region} ${routing} ${entry.from}`;
        const first = cells.get(cell);
        if (first !== undefined) {
          problems.push(
            `${label(origin, entry.model, index)}: region "${region}", routing "${routing}", from "${entry.from}" is already priced by entry #${first + 1} — keep one`,
          );
        } else {
          cells.set(cell, index);
        }
      }
    }
  });
  return valid;
}

function validateEntry(raw: unknown, index: number, origin: EntryOrigin, problems: string[]): PriceEntry | undefined {
  if (!isRecord(raw)) {
    problems.push(`${label(origin, undefined, index)}: must be an object with ${REQUIRED_FIELDS.map((f) => `"${f}"`).join(', ')}, got ${describe(raw)}`);
    return undefined;
  }
  const before = problems.length;
  const model = typeof raw['model'] === 'string' ? raw['model'] : undefined;
  const at = label(origin, model, index);
  const field = (name: string, message: string): void => {
    problems.push(`${at} field "${name}": ${message}`);
  };

  const unknown = Object.keys(raw).filter((key) => !ALLOWED_FIELDS.includes(key));
  if (unknown.length > 0) {
    problems.push(`${at}: unknown fields ${unknown.map((k) => `"${k}"`).join(', ')} — allowed: ${ALLOWED_FIELDS.join(', ')}`);
  }
  for (const name of REQUIRED_FIELDS) {
    if (raw[name] === undefined) field(name, 'is required');
  }

  if (raw['model'] !== undefined) {
    if (typeof raw['model'] !== 'string' || !MODEL_KEY.test(raw['model'])) {
      field('model', `${describe(raw['model'])} is not a Bedrock model id like "amazon.nova-micro-v1:0"`);
    } else if (PROFILE_PREFIX.test(raw['model'])) {
      field('model', `"${raw['model']}" is an inference-profile id — use the base model id ("${raw['model'].replace(PROFILE_PREFIX, '')}") and set "routing"`);
    }
  }
  if (raw['name'] !== undefined && (typeof raw['name'] !== 'string' || raw['name'].length === 0)) {
    field('name', `${describe(raw['name'])} must be a non-empty string`);
  }
  for (const name of ['from', 'asOf'] as const) {
    const value = raw[name];
    if (value !== undefined && !isValidDate(value)) {
      field(name, `${describe(value)} is not a calendar date written YYYY-MM-DD (e.g. "2025-01-31")`);
    }
  }
  const regions = raw['regions'];
  if (regions !== undefined) {
    if (!Array.isArray(regions) || regions.length === 0) {
      field('regions', `${describe(regions)} must be a non-empty array of AWS regions like ["us-east-1", "us-west-2"]`);
    } else {
      const seen = new Set<string>();
      for (const region of regions) {
        if (typeof region !== 'string' || !REGION.test(region)) {
          field('regions', `${describe(region)} is not an AWS region like "us-east-1" or "eu-central-1"`);
        } else if (seen.has(region)) {
          field('regions', `"${region}" is listed twice`);
        } else {
          seen.add(region);
        }
      }
    }
  }
  const routing = raw['routing'];
  if (routing !== undefined) {
    if (!Array.isArray(routing) || routing.length === 0) {
      field('routing', `${describe(routing)} must be a non-empty array of ${ROUTINGS.map((r) => `"${r}"`).join(', ')}`);
    } else {
      const seen = new Set<unknown>();
      for (const value of routing) {
        if (!ROUTINGS.includes(value as PriceRouting)) {
          field('routing', `${describe(value)} is not one of ${ROUTINGS.map((r) => `"${r}"`).join(', ')}`);
        } else if (seen.has(value)) {
          field('routing', `"${String(value)}" is listed twice`);
        }
        seen.add(value);
      }
    }
  }
  for (const name of RATE_FIELDS) {
    const value = raw[name];
    if (value === undefined) continue;
    const problem = rateProblem(value);
    if (problem) field(name, problem);
  }
  for (const name of ['source', 'note'] as const) {
    const value = raw[name];
    if (value !== undefined && (typeof value !== 'string' || value.trim().length === 0)) {
      field(name, `${describe(value)} must be a non-empty string${name === 'source' ? ' (a URL or a contract reference)' : ''}`);
    }
  }
  if (problems.length > before) return undefined;
  return raw as unknown as PriceEntry;
}

function rateProblem(value: unknown): string | undefined {
  if (typeof value === 'number') {
    return `${value} must be a string (write "${value}") so the decimal stays exact`;
  }
  const match = typeof value === 'string' ? DECIMAL.exec(value) : null;
  if (!match) {
    return `${describe(value)} is not a non-negative decimal USD amount per 1M tokens (e.g. "3" or "0.25")`;
  }
  const decimals = (match[1] ?? '').replace(/0+$/, '').length;
  if (decimals > MAX_DECIMALS) {
    return `"${String(value)}" has ${decimals} decimal places — at most ${MAX_DECIMALS} are allowed per 1M tokens (so the per-token price is a whole number of femto-USD)`;
  }
  return undefined;
}

function isValidDate(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const match = DATE.exec(value);
  if (!match) return false;
  const [, y, m, d] = match;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return date.getUTCFullYear() === Number(y) && date.getUTCMonth() === Number(m) - 1 && date.getUTCDate() === Number(d);
}

function label(origin: EntryOrigin, model: string | undefined, index: number): string {
  const prefix = origin === 'override' ? 'price override' : 'built-in price';
  return model ? `${prefix} "${model}"` : `${prefix} #${index + 1}`;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return `"${value}"`;
  if (Array.isArray(value)) return value.length === 0 ? '[]' : 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : String(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(problems: readonly string[]): UsageError {
  const message = problems.length === 1 ? problems[0] : `${problems.length} problems:\n- ${problems.join('\n- ')}`;
  return new UsageError('INVALID_PRICE_BOOK', message ?? 'invalid price book');
}
