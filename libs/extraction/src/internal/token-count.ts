import { MAX_TOKEN_COUNT } from '@bedrock-usage/core';

const DIGIT_0 = 48;
const DIGIT_9 = 57;

/**
 * A valid Bedrock count: a non-negative integer no greater than {@link MAX_TOKEN_COUNT}, given as a number
 * (whole floats such as `128.0` included, they parse to 128) or as a string of ASCII digits, surrounding
 * white space allowed. Anything else is `undefined`.
 */
export function parseTokenCount(value: unknown): number | undefined {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0 || value > MAX_TOKEN_COUNT) return undefined;
    return value === 0 ? 0 : value; // normalises -0
  }
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text.length === 0) return undefined;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < DIGIT_0 || code > DIGIT_9) return undefined;
  }
  const parsed = Number(text);
  return parsed <= MAX_TOKEN_COUNT ? parsed : undefined;
}

/** A latency in milliseconds with the same validity as a count; null when absent or invalid. */
export function parseLatency(value: unknown): number | null {
  return parseTokenCount(value) ?? null;
}

/** `undefined` and `null` both mean "not reported" (Llama stream chunks send `prompt_token_count: null`). */
export function isAbsent(value: unknown): boolean {
  return value === undefined || value === null;
}
