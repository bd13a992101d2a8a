/** Recorded ids (the ledger) against the ids the store holds. */
export interface DeliveryAudit {
  /** Distinct ids recorded. */
  readonly recorded: number;
  /** Distinct recorded ids found in the store. */
  readonly delivered: number;
  /** Recorded ids not in the store. */
  readonly missing: number;
  /** Extra occurrences of an id in the store read (0 when each id is there once). */
  readonly duplicated: number;
  /** Ids in the store that were never recorded (a bug in the suite or the store). */
  readonly unknown: number;
}

/**
 * Compares what was recorded with what the store returned.
 *
 * @example
 * auditDelivery(['a', 'b'], ['a', 'a']) // { recorded: 2, delivered: 1, missing: 1, duplicated: 1, unknown: 0 }
 */
export function auditDelivery(recorded: Iterable<string>, stored: Iterable<string>): DeliveryAudit {
  const expected = new Set(recorded);
  const seen = new Set<string>();
  let duplicated = 0;
  let unknown = 0;
  for (const id of stored) {
    if (seen.has(id)) duplicated += 1;
    else if (expected.has(id)) seen.add(id);
    else {
      seen.add(id);
      unknown += 1;
    }
  }
  const delivered = seen.size - unknown;
  return { recorded: expected.size, delivered, missing: expected.size - delivered, duplicated, unknown };
}
