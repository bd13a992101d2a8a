/** A JSON-like object (not null, not an array). */
export type JsonRecord = Readonly<Record<string, unknown>>;

// Object.prototype.hasOwnProperty.call is as fast as Object.hasOwn in plain Node and much faster inside vm
// contexts such as jest's test environment.
const hasOwnProperty = Object.prototype.hasOwnProperty;

/** True for a plain object-like value that is not an array. */
export function isRecord(value: unknown): value is JsonRecord {
  if (typeof value !== 'object' || value === null) return false;
  // Array.isArray only for what looks like an array: it is slow inside vm contexts (jest), and objects are the
  // common case on this path.
  return typeof (value as { length?: unknown }).length !== 'number' || !Array.isArray(value);
}

/** True for an array (without calling Array.isArray on values that are not objects). */
export function isArray(value: unknown): value is readonly unknown[] {
  return typeof value === 'object' && value !== null && Array.isArray(value);
}

/**
 * An own property of `value`, or undefined. Never follows the prototype chain, so keys such as
 * `__proto__` or `constructor` only ever read what the response itself carried.
 */
export function field(value: unknown, key: string): unknown {
  if (!isRecord(value) || !hasOwnProperty.call(value, key)) return undefined;
  return value[key];
}

/** True when `value` is an object that carries `key` itself (whatever its value). */
export function hasField(value: unknown, key: string): boolean {
  return isRecord(value) && hasOwnProperty.call(value, key);
}

const MAX_SHOWN = 40;

/** A short, safe description of a value for a rejection reason (strings quoted, long ones cut). */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string': {
      const shown = value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value;
      return JSON.stringify(shown);
    }
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'undefined':
      return 'undefined';
    default:
      if (value === null) return 'null';
      return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
  }
}
