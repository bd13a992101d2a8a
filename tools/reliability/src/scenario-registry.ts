import type { Scenario } from './scenario';
import { breakerFakeClockScenario } from './scenarios/breaker-fake-clock.scenario';
import { duplicateDeliveryScenario } from './scenarios/duplicate-delivery.scenario';
import { kill9Scenario } from './scenarios/kill-9.scenario';
import { malformedInputScenario } from './scenarios/malformed-input.scenario';
import { overload10xScenario } from './scenarios/overload-10x.scenario';
import { sigtermUnderLoadScenario } from './scenarios/sigterm-under-load.scenario';
import { sinkDownScenario } from './scenarios/sink-down.scenario';
import { throttlingScenario } from './scenarios/throttling.scenario';

/** Every scenario of the suite, in the order they run (cheap in-process ones first). */
export const SCENARIOS: readonly Scenario[] = [
  breakerFakeClockScenario,
  malformedInputScenario,
  throttlingScenario,
  duplicateDeliveryScenario,
  sinkDownScenario,
  sigtermUnderLoadScenario,
  kill9Scenario,
  overload10xScenario,
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
