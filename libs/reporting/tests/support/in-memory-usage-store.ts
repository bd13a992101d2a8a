import { aggregateKey, type IncidentOutcomeRecord, type UsageAggregate, type UsageStore } from '@bedrock-usage/analyzer';
import type { UsageEvent } from '@bedrock-usage/core';

/** The analyzer's UsageStore port in memory (events by eventId, aggregates by key): a fake, no mocking. */
export class InMemoryUsageStore implements UsageStore {
  readonly #events = new Map<string, UsageEvent>();
  readonly #aggregates = new Map<string, Map<string, UsageAggregate>>();
  readonly #outcomes = new Map<string, IncidentOutcomeRecord>();

  write(events: readonly UsageEvent[]): void {
    for (const event of events) this.#events.set(event.eventId, event);
  }

  async eventsBetween(from: string, to: string): Promise<readonly UsageEvent[]> {
    const [start, end] = [Date.parse(from), Date.parse(to)];
    return [...this.#events.values()].filter((e) => Date.parse(e.time) >= start && Date.parse(e.time) < end);
  }

  async eventsOfIncident(incidentId: string): Promise<readonly UsageEvent[]> {
    return [...this.#events.values()].filter((e) => e.incidentId === incidentId);
  }

  async aggregatesOfDay(day: string): Promise<readonly UsageAggregate[]> {
    return [...(this.#aggregates.get(day)?.values() ?? [])];
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
    return new Map(incidentIds.flatMap((id) => (this.#outcomes.has(id) ? [[id, this.#outcomes.get(id) as IncidentOutcomeRecord]] : [])));
  }

  async putIncidentOutcome(record: IncidentOutcomeRecord): Promise<void> {
    this.#outcomes.set(record.incidentId, record);
  }
}
