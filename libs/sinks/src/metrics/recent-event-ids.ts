import type { UsageEvent } from '@bedrock-usage/core';

/**
 * The last `capacity` event ids a non-idempotent sink (metrics, log lines) delivered, so a repeat in a batch or a
 * replay of an event it already delivered is dropped instead of counted twice. Bounded: the oldest ids are
 * forgotten first. It lives in memory, so a replay after a crash of this process is not caught (see README).
 *
 * @example
 * const recent = new RecentEventIds(100_000);
 * const fresh = recent.unseen(batch);
 * if (await deliver(fresh)) recent.remember(fresh);
 */
export class RecentEventIds {
  readonly #capacity: number;
  readonly #ids = new Set<string>();

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** The events not delivered yet, each id once (first occurrence kept). */
  unseen(events: readonly UsageEvent[]): UsageEvent[] {
    const batch = new Set<string>();
    return events.filter((event) => {
      if (this.#ids.has(event.eventId) || batch.has(event.eventId)) return false;
      batch.add(event.eventId);
      return true;
    });
  }

  /** Marks events as delivered. */
  remember(events: readonly UsageEvent[]): void {
    for (const event of events) {
      this.#ids.delete(event.eventId);
      this.#ids.add(event.eventId);
      if (this.#ids.size > this.#capacity) this.#ids.delete(this.#ids.values().next().value as string);
    }
  }
}
