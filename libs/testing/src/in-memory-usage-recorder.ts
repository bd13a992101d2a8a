import type { UsageEvent, UsageRecorder } from '@bedrock-usage/core';

/**
 * A {@link UsageRecorder} that keeps every event in memory, in order — for tests.
 *
 * @example
 * const recorder = new InMemoryUsageRecorder();
 * trackBedrockClient(client, { recorder, pricer });
 * await client.send(command);
 * expect(recorder.events).toHaveLength(1);
 */
export class InMemoryUsageRecorder implements UsageRecorder {
  readonly #events: UsageEvent[] = [];

  /** Every recorded event, oldest first. */
  get events(): readonly UsageEvent[] {
    return this.#events;
  }

  record(event: UsageEvent): void {
    this.#events.push(event);
  }

  /** Forgets every event. */
  clear(): void {
    this.#events.length = 0;
  }
}
