import { tokenUsage, type UsageEvent, type UsageFlag } from '@bedrock-usage/core';

/** femto-USD per token: input, output, cacheRead, cacheWrite, cacheWrite1h (whole numbers, as a price book gives). */
const MODELS = [
  { model: 'anthropic.claude-3-5-haiku-20241022-v1:0', rates: [800_000_000n, 4_000_000_000n, 80_000_000n, 1_000_000_000n, 1_600_000_000n], from: '2024-11-04' },
  { model: 'anthropic.claude-3-7-sonnet-20250219-v1:0', rates: [3_000_000_000n, 15_000_000_000n, 300_000_000n, 3_750_000_000n, 6_000_000_000n], from: '2025-02-24' },
  { model: 'amazon.nova-micro-v1:0', rates: [35_000_000n, 140_000_000n, 8_750_000n, 0n, 0n], from: '2024-12-03' },
  { model: 'amazon.nova-pro-v1:0', rates: [800_000_000n, 3_200_000_000n, 200_000_000n, 0n, 0n], from: '2024-12-03' },
] as const;
export const AGENTS = ['cloud-engineer', 'knowledge-base', 'error-analysis', 'jira', 'operations'] as const;
const ERRORS = ['ThrottlingException', 'ValidationException', 'ServiceUnavailableException', 'AccessDeniedException'];

/** A deterministic PRNG (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` realistic events spread over `days` days from `firstDay`: 5 agents, 4 models, incidents, errors,
 * cache reads and writes, some unpriced, some provisioned.
 */
export function generateUsage(options: { count: number; firstDay: string; days: number; seed: number; idPrefix?: string }): UsageEvent[] {
  const rand = random(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  const start = Date.parse(`${options.firstDay}T00:00:00.000Z`);
  const span = options.days * 86_400_000;
  const events: UsageEvent[] = [];
  for (let i = 0; i < options.count; i++) {
    const time = new Date(start + Math.floor(rand() * span)).toISOString();
    const agentId = pick(AGENTS);
    const { model, rates, from } = pick(MODELS);
    const day = time.slice(0, 10).replace(/-/g, '');
    const incidentId = rand() < 0.7 ? `INC-${day}-${String(Math.floor(rand() * 40)).padStart(4, '0')}` : undefined;
    const roll = rand();
    const base = {
      eventId: `${options.idPrefix ?? 'gen'}-${options.seed}-${i}`,
      time,
      agentId,
      ...(incidentId ? { incidentId } : {}),
      tags: {},
      api: pick(['InvokeModel', 'Converse', 'ConverseStream'] as const),
      modelId: model,
      region: 'us-east-1',
      apiLatencyMs: Math.round(50 + rand() ** 3 * 6000 + rand() * 10) + (rand() < 0.5 ? 0.25 : 0),
      latencyMs: rand() < 0.9 ? Math.round(40 + rand() * 3000) : null,
    };
    if (roll < 0.03) {
      events.push({ ...base, resolvedModel: model, outcome: 'error', errorCode: pick(ERRORS), statusCode: 400, usage: tokenUsage({}), cost: null, priceRef: null, flags: [] });
      continue;
    }
    const cacheRead = rand() < 0.3 ? Math.floor(rand() * 8000) : 0;
    const cacheWrite = rand() < 0.15 ? Math.floor(rand() * 4000) : 0;
    const oneHour = cacheWrite > 0 && rand() < 0.3 ? cacheWrite : 0;
    const usage = tokenUsage({
      inputTokens: rand() < 0.05 ? 0 : Math.floor(rand() * 3000),
      outputTokens: Math.floor(rand() * 1500),
      cacheReadInputTokens: cacheRead,
      cacheWriteInputTokens: cacheWrite,
      ...(cacheWrite > 0 ? { cacheWrite5mTokens: cacheWrite - oneHour, cacheWrite1hTokens: oneHour } : {}),
    });
    if (roll < 0.05) {
      const flags: UsageFlag[] = ['unpriced'];
      events.push({ ...base, modelId: 'acme.custom-v1', resolvedModel: null, outcome: 'success', usage, cost: null, priceRef: null, flags });
      continue;
    }
    if (roll < 0.06) {
      events.push({ ...base, resolvedModel: model, outcome: 'success', usage, cost: null, priceRef: null, flags: ['provisioned'] });
      continue;
    }
    const [rIn, rOut, rRead, rWrite, rWrite1h] = rates;
    const input = BigInt(usage.inputTokens) * rIn;
    const output = BigInt(usage.outputTokens) * rOut;
    const read = BigInt(cacheRead) * rRead;
    const write = BigInt(cacheWrite - oneHour) * rWrite;
    const write1h = BigInt(oneHour) * rWrite1h;
    events.push({
      ...base,
      resolvedModel: model,
      outcome: roll < 0.065 ? 'rejected' : 'success',
      usage,
      cost: { total: input + output + read + write + write1h, input, output, cacheRead: read, cacheWrite: write, cacheWrite1h: write1h },
      priceRef: { model, region: 'us-east-1', routing: 'in-region', from, source: 'test' },
      statusCode: 200,
      flags: [],
    });
  }
  return events;
}
