import { tokenUsage, type UsageEvent, type UsageFlag } from '@bedrock-usage/core';
import { seededRandom } from '@bedrock-usage/stand-ins';

/**
 * The agents {@link generateUsage} spreads its events over (the 5 agents of the platform).
 *
 * @example
 * for (const agent of GENERATED_AGENTS) expect(report.breakdown.byAgent[agent]).toBeDefined();
 */
export const GENERATED_AGENTS = ['cloud-engineer', 'knowledge-base', 'error-analysis', 'jira', 'operations'] as const;

/**
 * One priced model of {@link generateUsage}: per-token rates in femto-USD (whole numbers, as a price book gives) and
 * the `from` date of its price entry.
 *
 * @example
 * const haiku: GeneratedModel = GENERATED_MODELS[0];
 * haiku.rates.input; // 800_000_000n ($0.0008 per 1k input tokens)
 */
export interface GeneratedModel {
  readonly model: string;
  readonly rates: { readonly input: bigint; readonly output: bigint; readonly cacheRead: bigint; readonly cacheWrite: bigint; readonly cacheWrite1h: bigint };
  readonly from: string;
}

/**
 * The priced models of {@link generateUsage} and their rates. Unpriced events use the unknown model
 * {@link GENERATED_UNPRICED_MODEL}.
 *
 * @example
 * const inputRate = (e: UsageEvent) => GENERATED_MODELS.find((m) => m.model === e.resolvedModel)?.rates.input;
 */
export const GENERATED_MODELS: readonly GeneratedModel[] = [
  model('anthropic.claude-3-5-haiku-20241022-v1:0', [800_000_000n, 4_000_000_000n, 80_000_000n, 1_000_000_000n, 1_600_000_000n], '2024-11-04'),
  model('anthropic.claude-3-7-sonnet-20250219-v1:0', [3_000_000_000n, 15_000_000_000n, 300_000_000n, 3_750_000_000n, 6_000_000_000n], '2025-02-24'),
  model('amazon.nova-micro-v1:0', [35_000_000n, 140_000_000n, 8_750_000n, 0n, 0n], '2024-12-03'),
  model('amazon.nova-pro-v1:0', [800_000_000n, 3_200_000_000n, 200_000_000n, 0n, 0n], '2024-12-03'),
];

/**
 * The model id of {@link generateUsage}'s unpriced events (no price entry, `resolvedModel: null`, flag `unpriced`).
 *
 * @example
 * expect(efficiency.models[GENERATED_UNPRICED_MODEL]?.costPer1kTokens).toBeNull();
 */
export const GENERATED_UNPRICED_MODEL = 'acme.custom-v1';

const ERRORS = ['ThrottlingException', 'ValidationException', 'ServiceUnavailableException', 'AccessDeniedException'];

function model(name: string, [input, output, cacheRead, cacheWrite, cacheWrite1h]: readonly bigint[], from: string): GeneratedModel {
  return { model: name, rates: { input, output, cacheRead, cacheWrite, cacheWrite1h }, from };
}

/**
 * Options of {@link generateUsage}.
 *
 * @example
 * const options: GenerateUsageOptions = { count: 100_000, firstDay: '2025-03-10', days: 4, seed: 7 };
 */
export interface GenerateUsageOptions {
  /** Events to generate. */
  readonly count: number;
  /** First UTC day (`YYYY-MM-DD`). */
  readonly firstDay: string;
  /** Days the events spread over, uniformly in time. */
  readonly days: number;
  /** Same seed, same events (ids included). */
  readonly seed: number;
  /**
   * Prefix of the event ids (`<idPrefix>-<seed>-<n>`): another prefix gives new events (late ones, say).
   * @default 'gen'
   */
  readonly idPrefix?: string;
}

/**
 * `count` realistic, deterministic usage events spread over `days` UTC days from `firstDay`, in no particular order:
 * the 5 {@link GENERATED_AGENTS}, the 4 {@link GENERATED_MODELS}, ~70 % with an incident `INC-YYYYMMDD-NNNN`
 * (40 per day), and by share of events: 3 % errors (4 error codes, no usage), 2 % unpriced
 * ({@link GENERATED_UNPRICED_MODEL}), 1 % provisioned, 0.5 % rejected; the rest priced exactly (cost components from
 * the rates); ~30 % cache reads, ~15 % cache writes (a third of them 1-hour writes); API latency with a long tail,
 * Bedrock latency on 90 %.
 *
 * @example
 * const events = generateUsage({ count: 100_000, firstDay: '2025-03-10', days: 4, seed: 7 });
 * const late = generateUsage({ count: 500, firstDay: '2025-03-11', days: 1, seed: 8, idPrefix: 'late' });
 */
export function generateUsage(options: GenerateUsageOptions): UsageEvent[] {
  const rand = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  const start = Date.parse(`${options.firstDay}T00:00:00.000Z`);
  const span = options.days * 86_400_000;
  const events: UsageEvent[] = [];
  for (let i = 0; i < options.count; i++) {
    const time = new Date(start + Math.floor(rand() * span)).toISOString();
    const agentId = pick(GENERATED_AGENTS);
    const { model, rates, from } = pick(GENERATED_MODELS);
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
      events.push({ ...base, modelId: GENERATED_UNPRICED_MODEL, resolvedModel: null, outcome: 'success', usage, cost: null, priceRef: null, flags });
      continue;
    }
    if (roll < 0.06) {
      events.push({ ...base, resolvedModel: model, outcome: 'success', usage, cost: null, priceRef: null, flags: ['provisioned'] });
      continue;
    }
    const input = BigInt(usage.inputTokens) * rates.input;
    const output = BigInt(usage.outputTokens) * rates.output;
    const read = BigInt(cacheRead) * rates.cacheRead;
    const write = BigInt(cacheWrite - oneHour) * rates.cacheWrite;
    const write1h = BigInt(oneHour) * rates.cacheWrite1h;
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

/**
 * Options of {@link liveDeliveries}.
 *
 * @example
 * const options: LiveDeliveryOptions = { batchSize: 20_000, duplicateShare: 0.05, replayEvery: 3, seed: 99 };
 */
export interface LiveDeliveryOptions {
  /** Events (in time order) per delivery, duplicates not counted. */
  readonly batchSize: number;
  /** Duplicates of earlier events added to each delivery, as a share of `batchSize`. @default 0 */
  readonly duplicateShare?: number;
  /**
   * Duplicates are drawn from this many events before the end of the batch (recent retries); all earlier events
   * when absent. @default all
   */
  readonly duplicatesFromLast?: number;
  /** Every n-th delivery (the 1st, the n+1-th …) comes twice (a replay after a lost acknowledgement). @default never */
  readonly replayEvery?: number;
  /** Seed of the duplicate draw. @default 1 */
  readonly seed?: number;
}

/**
 * One delivery of {@link liveDeliveries}: the events a publisher hands to the store at once, and the time it does so.
 *
 * @example
 * for (const { events, at } of liveDeliveries(generated, { batchSize: 5000 })) { now = at; await deliver(events); }
 */
export interface LiveDelivery {
  readonly events: readonly UsageEvent[];
  /** Epoch milliseconds of the delivery: the time of the batch's first (earliest) event. */
  readonly at: number;
}

/**
 * Live delivery of some events, as a batch publisher does it: in time order, `batchSize` at a time, each delivery with
 * `duplicateShare` duplicates of earlier events (same eventIds), every `replayEvery`-th delivery twice. Deterministic.
 * No event of a day arrives after the day closed, so a correct analyzer restates no day.
 *
 * @example
 * for (const { events, at } of liveDeliveries(generated, { batchSize: 20_000, duplicateShare: 0.05, replayEvery: 3 })) {
 *   now = at;
 *   store.write(events);
 *   await analyzer.refreshAggregates(events);
 * }
 */
export function liveDeliveries(events: readonly UsageEvent[], options: LiveDeliveryOptions): LiveDelivery[] {
  const sorted = [...events].sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  const rand = seededRandom(options.seed ?? 1);
  const duplicates = Math.round(options.batchSize * (options.duplicateShare ?? 0));
  const deliveries: LiveDelivery[] = [];
  for (let i = 0, n = 0; i < sorted.length; i += options.batchSize, n++) {
    const batch = sorted.slice(i, i + options.batchSize);
    const end = i + batch.length;
    const from = Math.max(0, end - (options.duplicatesFromLast ?? end));
    const copies = Array.from({ length: duplicates }, () => sorted[from + Math.floor(rand() * (end - from))] as UsageEvent);
    const delivery: LiveDelivery = { events: [...batch, ...copies], at: Date.parse((batch[0] as UsageEvent).time) };
    deliveries.push(delivery);
    if (options.replayEvery !== undefined && n % options.replayEvery === 0) deliveries.push(delivery);
  }
  return deliveries;
}
