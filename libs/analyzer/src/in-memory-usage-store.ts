import type { UsageEvent } from '@bedrock-usage/core';

import { aggregateKey, type UsageAggregate } from './usage-aggregate';
import type { IncidentOutcomeRecord, UsageStore } from './usage-store.port';

/**
 * The analyzer's {@link UsageStore} in memory — events keyed by eventId (a duplicate overwrites), indexed by hour
 * and incident; aggregates kept with the same never-backwards rule as the DynamoDB adapter — for tests of code that
 * reads reports, and for trying the analyzer without a table. It counts what it reads (`aggregateReads`,
 * `eventReads`), so a test can show a report reads O(groups), not O(events).
 *
 * @example
 * const store = new InMemoryUsageStore();
 * store.write(events);
 * const analyzer = new CostAnalyzer({ store });
 * await analyzer.refreshAggregates(events);
 */
export class InMemoryUsageStore implements UsageStore {
  readonly #byHour = new Map<number, Map<string, { readonly event: UsageEvent; readonly millis: number }>>();
  readonly #aggregates = new Map<string, Map<string, UsageAggregate>>();
  readonly #outcomes = new Map<string, IncidentOutcomeRecord>();
  readonly #incidents = new Map<string, Map<string, UsageEvent>>();
  /** Aggregates returned so far. */
  aggregateReads = 0;
  /** Events returned by `eventsBetween` so far. */
  eventReads = 0;

  /** Stores events (what the usage sink does in production). */
  write(events: readonly UsageEvent[]): void {
    for (const event of events) {
      const millis = Date.parse(event.time);
      const hour = Math.floor(millis / 3_600_000);
      const events = this.#byHour.get(hour) ?? new Map<string, { readonly event: UsageEvent; readonly millis: number }>();
      events.set(event.eventId, { event, millis });
      this.#byHour.set(hour, events);
      if (event.incidentId) {
        const incident = this.#incidents.get(event.incidentId) ?? new Map<string, UsageEvent>();
        incident.set(event.eventId, event);
        this.#incidents.set(event.incidentId, incident);
      }
    }
  }

  async eventsBetween(from: string, to: string): Promise<readonly UsageEvent[]> {
    const start = Date.parse(from);
    const end = Date.parse(to);
    const out: UsageEvent[] = [];
    for (let hour = Math.floor(start / 3_600_000); hour * 3_600_000 < end; hour++) {
      for (const { event, millis } of this.#byHour.get(hour)?.values() ?? []) {
        if (millis >= start && millis < end) out.push(event);
      }
    }
    this.eventReads += out.length;
    return out;
  }

  async eventsOfIncident(incidentId: string): Promise<readonly UsageEvent[]> {
    return [...(this.#incidents.get(incidentId)?.values() ?? [])];
  }

  async aggregatesOfDay(day: string): Promise<readonly UsageAggregate[]> {
    const out = [...(this.#aggregates.get(day)?.values() ?? [])];
    this.aggregateReads += out.length;
    return out;
  }

  async putAggregates(aggregates: readonly UsageAggregate[]): Promise<void> {
    for (const aggregate of aggregates) {
      const day = this.#aggregates.get(aggregate.day) ?? new Map<string, UsageAggregate>();
      const stored = day.get(aggregateKey(aggregate));
      if (!stored || stored.requests <= aggregate.requests) day.set(aggregateKey(aggregate), aggregate);
      this.#aggregates.set(aggregate.day, day);
    }
  }

  async incidentOutcomes(incidentIds: readonly string[]): Promise<ReadonlyMap<string, IncidentOutcomeRecord>> {
    const out = new Map<string, IncidentOutcomeRecord>();
    for (const id of incidentIds) {
      const record = this.#outcomes.get(id);
      if (record) out.set(id, record);
    }
    return out;
  }

  async putIncidentOutcome(record: IncidentOutcomeRecord): Promise<void> {
    this.#outcomes.set(record.incidentId, record);
  }
}
