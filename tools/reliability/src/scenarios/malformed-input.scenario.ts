import { BEDROCK_APIS, type UsageEvent } from '@bedrock-usage/core';
import { UsagePipeline } from '@bedrock-usage/recorder';
import { InMemoryHealthMetrics, InMemorySpool, InMemoryUsageSink, loadBedrockFixtures, makeUsageEvent } from '@bedrock-usage/testing';
import fc from 'fast-check';

import { type Scenario, ScenarioReport } from '../scenario';

const STRING_FIELDS = ['eventId', 'time', 'agentId', 'modelId', 'region'];
const COUNT_FIELDS = ['inputTokens', 'outputTokens', 'cacheReadInputTokens', 'cacheWriteInputTokens', 'totalTokens'];
const COST_FIELDS = ['total', 'input', 'output', 'cacheRead', 'cacheWrite', 'cacheWrite1h'];
/** Every field a usage event cannot do without, with the rule its value breaks (core's decodeUsageEvent rules). */
const BREAKS: Readonly<Record<string, (value: unknown) => boolean>> = {
  ...Object.fromEntries(STRING_FIELDS.map((field) => [field, (value: unknown) => typeof value !== 'string' || value === ''])),
  api: (value) => !(BEDROCK_APIS as readonly unknown[]).includes(value),
  outcome: (value) => !['success', 'error', 'rejected'].includes(value as string),
  usage: (value) => typeof value !== 'object' || value === null,
  ...Object.fromEntries(COUNT_FIELDS.map((field) => [`usage.${field}`, (value: unknown) => !Number.isSafeInteger(value) || (value as number) < 0])),
  flags: (value) => !Array.isArray(value),
  apiLatencyMs: (value) => typeof value !== 'number',
  ...Object.fromEntries(COST_FIELDS.map((field) => [`cost.${field}`, (value: unknown) => typeof value !== 'bigint'])),
};

/** A copy of `event` with `path` (one or two levels) set to `value`, or deleted when `value` is undefined. */
function withField(event: UsageEvent, path: string, value: unknown): unknown {
  const [head, leaf] = path.split('.') as [string, string | undefined];
  const copy: Record<string, unknown> = { ...event };
  if (leaf === undefined) copy[head] = value;
  else copy[head] = { ...(copy[head] as object), [leaf]: value };
  if (value === undefined) {
    if (leaf === undefined) delete copy[head];
    else delete (copy[head] as Record<string, unknown>)[leaf];
  }
  return copy;
}

/** Objects that fight back: throwing getters, throwing and revoked proxies, no prototype, a cycle. */
function hostileInputs(base: UsageEvent): unknown[] {
  const throwing = new Proxy({}, { get: () => { throw new Error('hostile get'); }, has: () => { throw new Error('hostile has'); } });
  const revocable = Proxy.revocable({ ...base }, {});
  revocable.revoke();
  const getter = Object.defineProperty({ ...base }, 'usage', { get: () => { throw new Error('hostile usage'); } });
  const cyclic: Record<string, unknown> = { ...base, eventId: undefined };
  cyclic.self = cyclic;
  return [undefined, null, 0, '', 'event', Symbol('event'), 10n, () => base, [], [base], throwing, revocable.proxy, getter, cyclic,
    Object.assign(Object.create(null) as object, { eventId: 'x' })];
}

/**
 * Malformed input to `record()`: fast-check values of any shape, events built from the Bedrock fixtures with one
 * required field broken or removed, mutated raw fixtures handed over as if they were events, and hostile objects.
 * Every input is invalid by construction. Asserts: no exception escapes `record()`; each input is counted once in
 * `LoggingErrors{ErrorType=InvalidEvent}` and logged; none reaches the sink; a valid event afterwards still does.
 */
export const malformedInputScenario: Scenario = {
  name: 'malformed-input',
  asserts: 'fuzzed and mutated events: no exception escapes record(); each counted in LoggingErrors{ErrorType=InvalidEvent}; the pipeline keeps working',
  async run(context) {
    const report = new ScenarioReport();
    const runs = context.mode === 'quick' ? 2000 : 20_000;
    const fixtures = loadBedrockFixtures();
    const bases = fixtures.map((fixture, index) =>
      makeUsageEvent({ eventId: `${fixture.headers['x-amzn-RequestId'] ?? fixture.id}-${index}`, api: fixture.api, modelId: fixture.modelId, statusCode: fixture.statusCode }),
    );
    const broken = fc
      .record({ base: fc.constantFrom(...bases), field: fc.constantFrom(...Object.keys(BREAKS)), value: fc.oneof(fc.constant(undefined), fc.anything({ withBigInt: true })) })
      .filter(({ field, value }) => (BREAKS[field] as (value: unknown) => boolean)(value))
      .map(({ base, field, value }) => withField(base, field, value));
    const mutatedFixture = fc
      .record({ fixture: fc.constantFrom(...fixtures), key: fc.constantFrom('body', 'headers', 'expected', 'api'), value: fc.anything() })
      .map(({ fixture, key, value }) => ({ ...fixture, [key]: value }));
    const anything = fc.anything({ withBigInt: true, withMap: true, withSet: true, withTypedArray: true });
    const inputs = [
      ...fc.sample(broken, { numRuns: runs, seed: context.seed }),
      ...fc.sample(mutatedFixture, { numRuns: Math.ceil(runs / 4), seed: context.seed + 1 }),
      ...fc.sample(anything, { numRuns: Math.ceil(runs / 4), seed: context.seed + 2 }),
      ...hostileInputs(bases[0] ?? makeUsageEvent()),
    ];

    const health = new InMemoryHealthMetrics();
    const sink = new InMemoryUsageSink({ name: 'DynamoDB' });
    let logged = 0;
    const pipeline = new UsagePipeline({ sinks: [sink], spool: new InMemorySpool(), health, agentId: 'reliability', logger: { error: () => void (logged += 1) } });
    let escaped = 0;
    try {
      for (const input of inputs) {
        try {
          pipeline.record(input as UsageEvent);
        } catch {
          escaped += 1;
        }
      }
      const valid = makeUsageEvent({ agentId: 'reliability' });
      pipeline.record(valid);
      await pipeline.forceFlush();
      const counted = health.sum('LoggingErrors', { ErrorType: 'InvalidEvent' });
      report.figure('inputs', inputs.length);
      report.figure('escaped', escaped);
      report.figure('InvalidEvent', counted);
      report.figure('logged', logged);
      report.check(escaped === 0, `${escaped} exceptions escaped record()`);
      report.check(counted === inputs.length, `LoggingErrors{ErrorType=InvalidEvent} = ${counted}, expected ${inputs.length} (one per malformed input)`);
      report.check(logged === inputs.length, `${logged} error lines logged, expected ${inputs.length}`);
      report.check(sink.persistedIds.length === 1 && sink.persistedIds[0] === valid.eventId, `the sink holds ${sink.persistedIds.length} events, expected only the valid one`);
    } finally {
      await pipeline.shutdown({ deadlineMs: 5000 });
    }
    return report.outcome();
  },
};
