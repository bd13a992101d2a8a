import { CostAnalyzer, InMemoryUsageStore } from '@bedrock-usage/analyzer';
import { type Clock, type Money, tokenUsage, type UsageEvent } from '@bedrock-usage/core';
import { makeUsageEvent } from '@bedrock-usage/testing';
import { seededRandom } from '@bedrock-usage/stand-ins';

/** Femto-USD per token (Claude 3.5 Haiku and Nova Pro, us-east-1). */
const MODELS = [
  { model: 'anthropic.claude-3-5-haiku-20241022-v1:0', from: '2024-11-04', input: 800_000_000n, output: 4_000_000_000n, cacheRead: 80_000_000n, cacheWrite: 1_000_000_000n },
  { model: 'amazon.nova-pro-v1:0', from: '2024-12-03', input: 800_000_000n, output: 3_200_000_000n, cacheRead: 200_000_000n, cacheWrite: 0n },
] as const;

export const AGENTS = ['cloud-engineer', 'knowledge-base', 'error-analysis', 'jira', 'operations'] as const;

export interface DayOfUsageOptions {
  readonly date: string;
  /** Events per hour (every hour of the day). @default 12 */
  readonly perHour?: number;
  readonly agents?: readonly string[];
  /** Extra models ids used as-is (priced like the first model). */
  readonly models?: readonly string[];
  /** Scales every token count (to push costs over thresholds). @default 1 */
  readonly scale?: number;
  /** Hours (0-23) whose events are scaled by `spikeScale` too. */
  readonly spikeHours?: readonly number[];
  readonly spikeScale?: number;
  readonly seed?: number;
}

/**
 * A deterministic day of priced usage with cache reads and writes, errors, incidents, one unpriced and one
 * provisioned event per 6 hours. Costs are exact (whole femto-dollars per token).
 */
export function dayOfUsage(options: DayOfUsageOptions): UsageEvent[] {
  const random = seededRandom(options.seed ?? 7);
  const agents = options.agents ?? AGENTS;
  const perHour = options.perHour ?? 12;
  const events: UsageEvent[] = [];
  for (let hour = 0; hour < 24; hour++) {
    const scale = (options.scale ?? 1) * (options.spikeHours?.includes(hour) ? (options.spikeScale ?? 1) : 1);
    for (let i = 0; i < perHour; i++) {
      const agentId = agents[(hour + i) % agents.length] ?? 'agent';
      const spec = MODELS[i % MODELS.length] ?? MODELS[0];
      const modelId = options.models?.[i % (options.models.length || 1)] ?? spec.model;
      const time = new Date(Date.parse(`${options.date}T00:00:00.000Z`) + hour * 3_600_000 + Math.floor(random() * 3_600_000)).toISOString();
      const incidentId = i % 3 === 0 ? `INC-${options.date.replace(/-/g, '')}-${String(hour).padStart(4, '0')}` : undefined;
      const base = { time, agentId, modelId, incidentId, latencyMs: 200 + Math.floor(random() * 2000), apiLatencyMs: 250 + Math.floor(random() * 2500) };
      if (i === 5 && hour % 6 === 0) {
        events.push(makeUsageEvent({ ...base, modelId: 'acme.custom-v1', resolvedModel: null, cost: null, priceRef: null, flags: ['unpriced'], usage: tokenUsage({ inputTokens: 300, outputTokens: 40 }) }));
        continue;
      }
      if (i === 6 && hour % 6 === 0) {
        events.push(makeUsageEvent({ ...base, resolvedModel: modelId, cost: null, priceRef: null, flags: ['provisioned'], usage: tokenUsage({ inputTokens: 500, outputTokens: 80 }) }));
        continue;
      }
      const input = Math.round((200 + Math.floor(random() * 3000)) * scale);
      const output = Math.round((50 + Math.floor(random() * 800)) * scale);
      const cacheRead = i % 4 === 1 ? Math.round(1000 * scale) : 0;
      const cacheWrite = i % 4 === 0 && spec.cacheWrite > 0n ? Math.round(1000 * scale) : 0;
      const cost = {
        input: BigInt(input) * spec.input,
        output: BigInt(output) * spec.output,
        cacheRead: BigInt(cacheRead) * spec.cacheRead,
        cacheWrite: BigInt(cacheWrite) * spec.cacheWrite,
        cacheWrite1h: 0n,
      };
      const error = i === 7 && hour % 4 === 0;
      events.push(
        makeUsageEvent({
          ...base,
          resolvedModel: modelId,
          usage: tokenUsage({ inputTokens: input, outputTokens: output, cacheReadInputTokens: cacheRead, cacheWriteInputTokens: cacheWrite }),
          cost: { ...cost, total: sum(Object.values(cost)) },
          priceRef: { model: spec.model, region: 'us-east-1', routing: 'in-region', from: spec.from, source: 'built-in' },
          ...(error ? { outcome: 'error' as const, errorCode: 'ThrottlingException', statusCode: 429 } : {}),
        }),
      );
    }
  }
  return events;
}

/** A real CostAnalyzer over an in-memory store holding `events` (aggregates refreshed). */
export async function analyzerOf(events: readonly UsageEvent[], clock: Clock = { now: () => Date.now() }): Promise<{ analyzer: CostAnalyzer; store: InMemoryUsageStore }> {
  const store = new InMemoryUsageStore();
  const analyzer = new CostAnalyzer({ store, clock });
  store.write(events);
  await analyzer.refreshAggregates(events);
  return { analyzer, store };
}

function sum(values: readonly Money[]): Money {
  return values.reduce((a, b) => a + b, 0n);
}
