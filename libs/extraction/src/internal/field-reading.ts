import { describeValue } from './json-value';
import { isAbsent, parseTokenCount } from './token-count';

/** What one source says about one counter: nothing, a valid count, or a value that is not a count. */
export interface FieldReading {
  readonly state: 'absent' | 'valid' | 'invalid';
  /** Where the value was looked for, e.g. `X-Amzn-Bedrock-Input-Token-Count` or `body usage.input_tokens`. */
  readonly label: string;
  /** The count when `state` is `valid`, else 0. */
  readonly value: number;
  /** The description of the rejected value when `state` is `invalid`. */
  readonly shown: string;
  /** A sentence that explains this reading better than the default one (see {@link explain}). */
  readonly text?: string;
}

/** Reads a raw value found at `label`. */
export function reading(label: string, raw: unknown): FieldReading {
  if (isAbsent(raw)) return { state: 'absent', label, value: 0, shown: '' };
  const value = parseTokenCount(raw);
  if (value === undefined) return { state: 'invalid', label, value: 0, shown: describeValue(raw) };
  return { state: 'valid', label, value, shown: '' };
}

/** A count known for certain without being in the response (e.g. an embedding has no output). */
export function knownReading(label: string, value: number): FieldReading {
  return { state: 'valid', label, value, shown: '' };
}

/** Nothing at `label`, with an optional better sentence for the rejection reason. */
export function absentReading(label: string, absentText?: string): FieldReading {
  return absentText === undefined
    ? { state: 'absent', label, value: 0, shown: '' }
    : { state: 'absent', label, value: 0, shown: '', text: absentText };
}

/** A value that was found but cannot be used, with its own explanation (a whole sentence). */
export function invalidReading(label: string, text: string): FieldReading {
  return { state: 'invalid', label, value: 0, shown: '', text };
}

/** The first valid reading, else the first invalid one, else the first (absent) one. Aliases, never summed. */
export function firstUsable(readings: readonly FieldReading[]): FieldReading {
  let invalid: FieldReading | undefined;
  for (const r of readings) {
    if (r.state === 'valid') return r;
    if (r.state === 'invalid' && invalid === undefined) invalid = r;
  }
  return invalid ?? readings[0] ?? absentReading('body');
}

/**
 * For cumulative stream counters: a later valid value replaces the earlier one (never added to it); an invalid
 * value is kept only while no valid one has been seen, so that a rejection can name it.
 */
export function latest(previous: FieldReading, next: FieldReading): FieldReading {
  if (next.state === 'valid') return next;
  if (next.state === 'invalid' && previous.state !== 'valid') return next;
  return previous;
}

/** One sentence about a reading that gave no count. */
export function explain(r: FieldReading): string {
  if (r.text !== undefined) return r.text;
  if (r.state === 'invalid') return `${r.label} ${r.shown} is not a non-negative integer`;
  return `${r.label} is missing`;
}
