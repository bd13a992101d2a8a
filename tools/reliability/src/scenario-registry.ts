import type { Scenario } from './scenario';
import { breakerFakeClockScenario } from './scenarios/breaker-fake-clock.scenario';
import { malformedInputScenario } from './scenarios/malformed-input.scenario';

/** A scenario whose part has not landed: it fails, naming the part (never a silent pass). */
function partMissing(name: string, asserts: string, part: string): Scenario {
  return {
    name,
    asserts,
    run: async () => ({ figures: {}, failures: [`part missing: ${part}`], lost: 0, duplicated: 0 }),
  };
}

/** Every scenario of the suite, in the order they run (cheap in-process ones first). */
export const SCENARIOS: readonly Scenario[] = [
  breakerFakeClockScenario,
  malformedInputScenario,
  partMissing('throttling', 'N injected throttles / UnprocessedItems: all items written; DynamoDBThrottles == N', 'DynamoDbUsageStore (libs/sinks), startFaultProxy (libs/testing)'),
  partMissing('duplicate-delivery', 'a response lost after the server applied it, and a spool replayed twice: counts unchanged', 'DynamoDbUsageStore, FileSpool (libs/sinks)'),
  partMissing('sink-down', 'outage at 200 events/s: every id in the table once after recovery; queue ≤ cap; spool used; one trip per outage', 'UsagePipeline, GuardedSink, DynamoDbUsageStore, FileSpool'),
  partMissing('sigterm-under-load', 'every event acknowledged or spooled; after restart all in the table once', 'installShutdownHandlers (libs/sinks)'),
  partMissing('kill-9', 'loss ≤ the documented durability window, in events; worst printed', 'UsagePipeline, FileSpool'),
  partMissing('overload-10x', 'buffer never above its cap; overflow spooled; nothing lost; peak RSS printed', 'UsagePipeline, FileSpool'),
];

/**
 * The scenarios named in `only` (comma-separated), in suite order; all of them when `only` is absent.
 *
 * @example
 * selectScenarios(SCENARIOS, 'kill-9,sink-down')
 */
export function selectScenarios(all: readonly Scenario[], only?: string): Scenario[] {
  if (only === undefined) return [...all];
  const names = only.split(',').map((name) => name.trim()).filter((name) => name !== '');
  const unknown = names.filter((name) => !all.some((scenario) => scenario.name === name));
  if (unknown.length > 0) {
    throw new Error(`--only: unknown scenario ${unknown.map((name) => `"${name}"`).join(', ')} — allowed: ${all.map((s) => s.name).join(', ')}`);
  }
  return all.filter((scenario) => names.includes(scenario.name));
}
