import { parseArgs } from 'node:util';

import { tokenUsage, type BedrockApi, type UsageEvent } from '@bedrock-usage/core';
import type { PriceBook } from '@bedrock-usage/pricing';

import { addDays, type CommandDeps, parsePositiveInt } from '../cli-args';
import { CliError, type CliIo, table } from '../cli-io';
import { progressBar, statusIo } from '../cli-progress';

export const SEED_DEMO_HELP = `Usage: npm run -s cli -- seed-demo [--days 3] [--events-per-day 20000] [--reset] [--json]

Writes realistic demo usage into the configured store through the real store adapter, then refreshes the
hourly aggregates, for trying the reports without running agents: the 5 agents, several priced models (costs from
the real price book), incidents INC-YYYYMMDD-NNNN, ~2 % errors with their error codes, cache reads and writes.
Every event is tagged demo=true (a tag: reports count them, unlike doctor's probes flagged synthetic). Days are the full UTC days before today; event ids are fixed per day and
index, so seeding again overwrites instead of adding.
  --days N              days to seed, ending yesterday (default 3, at most 366)
  --events-per-day N    events per day (default 20000, at most 1000000)
  --reset               empty the embedded store first (refused for DynamoDB on AWS or at an endpoint)
  --json                one JSON document: {days, events, seconds, eventsPerSecond, aggregatesWritten}
On a terminal, a progress bar on stderr (none with --json or when stderr is not a terminal).`;

const AGENTS = ['cloud-engineer', 'knowledge-base', 'error-analysis', 'jira', 'operations'] as const;
/** Model id as called, weight, and whether the model prices cache use. */
const MODELS: readonly { readonly id: string; readonly weight: number; readonly cache: boolean }[] = [
  { id: 'us.anthropic.claude-sonnet-4-20250514-v1:0', weight: 30, cache: true },
  { id: 'anthropic.claude-3-5-haiku-20241022-v1:0', weight: 25, cache: true },
  { id: 'amazon.nova-pro-v1:0', weight: 20, cache: true },
  { id: 'amazon.nova-micro-v1:0', weight: 15, cache: true },
  { id: 'meta.llama3-1-70b-instruct-v1:0', weight: 10, cache: false },
];
const APIS: readonly BedrockApi[] = ['Converse', 'ConverseStream', 'InvokeModel', 'InvokeModelWithResponseStream'];
const ERRORS = [
  { code: 'ThrottlingException', status: 429, retryable: true },
  { code: 'ModelTimeoutException', status: 408, retryable: true },
  { code: 'ServiceUnavailableException', status: 503, retryable: true },
  { code: 'ValidationException', status: 400, retryable: false },
] as const;
const BATCH = 500;

/** `seed-demo`: demo multi-day usage through the real DynamoDbUsageStore and CostAnalyzer. */
export async function seedDemoCommand(argv: readonly string[], { openStore }: CommandDeps, io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      days: { type: 'string', default: '3' },
      'events-per-day': { type: 'string', default: '20000' },
      reset: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(SEED_DEMO_HELP);
    return 0;
  }
  const dayCount = parsePositiveInt('--days', values.days, 366);
  const perDay = parsePositiveInt('--events-per-day', values['events-per-day'], 1_000_000);
  const started = Date.now();
  const { writer, analyzer, book, clock } = await openStore({ reset: values.reset === true });
  const today = new Date(clock.now()).toISOString().slice(0, 10);
  const days = Array.from({ length: dayCount }, (_, index) => addDays(today, index - dayCount));
  const total = dayCount * perDay;
  // An event is half done when written and done when its day's aggregates are refreshed (the two take similar time).
  const bar = progressBar(statusIo(io, values.json), { total, unit: 'events' });
  let written = 0;
  let finished = 0;
  let refreshed = 0;
  for (const day of days) {
    const events = seedDay(day, perDay, book);
    for (let start = 0; start < events.length; start += BATCH) {
      const result = await writer.write(events.slice(start, start + BATCH));
      if (!result.ok) throw new CliError(`seed-demo: writing ${day} failed: ${result.error.message}`, 1);
      written += Math.min(BATCH, events.length - start);
      bar.update(Math.floor((written + finished) / 2), `writing ${day}`);
    }
    bar.update(Math.floor((written + finished) / 2), `refreshing ${day}`);
    refreshed += (await analyzer.refreshAggregates(events)).written;
    finished += events.length;
    bar.update(Math.floor((written + finished) / 2), `refreshed ${day}`);
  }
  bar.finish();
  const seconds = (Date.now() - started) / 1000;
  const summary = { days, events: total, seconds, eventsPerSecond: Math.round(total / seconds), aggregatesWritten: refreshed };
  if (values.json) {
    io.out(JSON.stringify(summary));
    return 0;
  }
  io.out(table([['days', `${days[0]} … ${days[days.length - 1]}`], ['events', String(total)], ['aggregates', String(refreshed)], ['time', `${seconds.toFixed(1)} s (${summary.eventsPerSecond} events/s)`]]));
  io.out(`\nTry: npm run -s cli -- report daily --date ${days[days.length - 1]}`);
  return 0;
}

/** One day of demo events, the same for the same day and count (seeded by the day). */
function seedDay(day: string, count: number, book: PriceBook): UsageEvent[] {
  const random = mulberry32(hash(day));
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const dayStart = Date.parse(`${day}T00:00:00Z`);
  const compact = day.replaceAll('-', '');
  const incidents = Array.from({ length: 3 + Math.floor(random() * 6) }, (_, n) => `INC-${compact}-${String(n + 1).padStart(4, '0')}`);
  const modelWeight = MODELS.reduce((sum, model) => sum + model.weight, 0);
  const events: UsageEvent[] = [];
  for (let index = 0; index < count; index++) {
    // Busier in working hours: two draws, the later one kept with some chance.
    const offset = Math.floor((random() < 0.6 ? 0.3 + 0.45 * random() : random()) * 86_400_000);
    const time = new Date(dayStart + offset).toISOString();
    let roll = random() * modelWeight;
    const model = MODELS.find((candidate) => (roll -= candidate.weight) < 0) ?? MODELS[0];
    const agentId = pick(AGENTS);
    const incidentId = random() < 0.3 ? pick(incidents) : undefined;
    const failed = random() < 0.02 ? pick(ERRORS) : undefined;
    const cacheRead = model.cache && !failed && random() < 0.4 ? 500 + Math.floor(random() * 8000) : 0;
    const cacheWrite = model.id.includes('anthropic') && !failed && cacheRead === 0 && random() < 0.1 ? 1000 + Math.floor(random() * 4000) : 0;
    const usage = failed
      ? tokenUsage({ inputTokens: 0, outputTokens: 0 })
      : tokenUsage({
          inputTokens: 200 + Math.floor(random() * 3000),
          outputTokens: 50 + Math.floor(random() * 1200),
          cacheReadInputTokens: cacheRead,
          cacheWriteInputTokens: cacheWrite,
          cacheWrite5mTokens: cacheWrite,
        });
    const priced = book.price({ modelId: model.id, region: 'us-east-1', at: time, usage });
    const latencyMs = failed ? null : 300 + Math.floor(random() * 4000);
    events.push({
      eventId: `seed-${day}-${index}`,
      time,
      agentId,
      ...(incidentId && { incidentId }),
      tags: { demo: 'true', source: 'seed-demo' },
      api: pick(APIS),
      modelId: model.id,
      resolvedModel: priced.resolvedModel,
      region: 'us-east-1',
      outcome: failed ? 'error' : 'success',
      usage,
      cost: priced.cost,
      priceRef: priced.priceRef,
      latencyMs,
      apiLatencyMs: (latencyMs ?? 100 + Math.floor(random() * 900)) + 20 + Math.floor(random() * 60),
      statusCode: failed ? failed.status : 200,
      ...(failed && { errorCode: failed.code, retryable: failed.retryable }),
      flags: priced.flags,
    });
  }
  return events;
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** A small seeded PRNG (mulberry32): the same day always gives the same events. */
function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
