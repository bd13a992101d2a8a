import { formatUsd, type Money, type UsageEvent } from '@bedrock-usage/core';

// The shapes of the analyzer's results, declared here rather than imported: the analyzer's tests import this lib, so
// an import of @bedrock-usage/analyzer (even of types) would be a dependency cycle, which the module-boundary rule
// refuses. The figures are recomputed without the analyzer's code anyway; a shape that drifts fails the tests' toEqual.
type DateRange = { readonly startDate: string; readonly endDate: string };
type TrendGranularity = 'hourly' | 'daily' | 'weekly';
type ThroughputGranularity = '1min' | '5min' | '1h';
type Uncosted = { requests: number; tokens: number };
type CostLine = { cost: string; tokens: number; requests: number; errors: number; unpricedRequests: number; provisionedRequests: number };
type ThroughputPoint = { timestamp: string; requests: number; requestsPerSecond: number };

/**
 * One latency of {@link PerformanceFigures}: count, avg, p50 / p95 / p99, min, max in ms (null without a sample).
 *
 * @example
 * const api: LatencyFigures = expected.performanceMetrics(window).apiLatency;
 */
export interface LatencyFigures {
  readonly count: number;
  readonly avg: number | null;
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
  readonly min: number | null;
  readonly max: number | null;
}

/**
 * The figures of the analyzer's `getPerformanceMetrics` that {@link expectPerformanceWithin} compares (its
 * `PerformanceMetrics` has this shape).
 *
 * @example
 * const figures: PerformanceFigures = await analyzer.getPerformanceMetrics(window);
 */
export interface PerformanceFigures {
  readonly startTime: string;
  readonly endTime: string;
  readonly requests: number;
  readonly errorRate: number;
  readonly avgApiLatency: number | null;
  readonly p50ApiLatency: number | null;
  readonly p95ApiLatency: number | null;
  readonly p99ApiLatency: number | null;
  readonly apiLatency: LatencyFigures;
  readonly bedrockLatency: LatencyFigures;
  readonly loggingLatency: LatencyFigures | null;
  readonly byAgent: Readonly<Record<string, { readonly apiLatency: LatencyFigures; readonly bedrockLatency: LatencyFigures }>>;
  readonly byModel: Readonly<Record<string, { readonly apiLatency: LatencyFigures; readonly bedrockLatency: LatencyFigures }>>;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const CACHE_TTL_5M = 5 * MINUTE;
const STEP: Record<ThroughputGranularity, number> = { '1min': MINUTE, '5min': 5 * MINUTE, '1h': HOUR };

/** One distinct event and what every figure needs of it, derived once from the event alone. */
interface Row {
  readonly e: UsageEvent;
  /** Epoch ms of `time`. */
  readonly t: number;
  /** UTC day `YYYY-MM-DD`. */
  readonly day: string;
  /** `resolvedModel ?? modelId`. */
  readonly model: string;
  /**
   * priced: has a cost; provisioned: no cost, flag `provisioned`; unpriced: no cost, not provisioned, with tokens or
   * flag `unpriced` / `pricing_pending`; else free (an error without usage, say).
   */
  readonly kind: 'priced' | 'provisioned' | 'unpriced' | 'free';
}

function rowOf(e: UsageEvent): Row {
  const t = Date.parse(e.time);
  const kind =
    e.cost !== null ? 'priced'
    : e.flags.includes('provisioned') ? 'provisioned'
    : e.usage.totalTokens > 0 || e.flags.includes('unpriced') || e.flags.includes('pricing_pending') ? 'unpriced'
    : 'free';
  return { e, t, day: new Date(t).toISOString().slice(0, 10), model: e.resolvedModel ?? e.modelId, kind };
}

/** Sums of some rows, in one pass. */
interface Tally {
  cost: Money;
  input: Money;
  output: Money;
  cacheRead: Money;
  cacheWrite: Money;
  cacheWrite1h: Money;
  tokens: number;
  requests: number;
  errors: number;
  rejected: number;
  priced: number;
  pricedTokens: number;
  unpriced: Uncosted;
  provisioned: Uncosted;
}

function tally(rows: readonly Row[]): Tally {
  const sum: Tally = {
    cost: 0n, input: 0n, output: 0n, cacheRead: 0n, cacheWrite: 0n, cacheWrite1h: 0n,
    tokens: 0, requests: 0, errors: 0, rejected: 0, priced: 0, pricedTokens: 0,
    unpriced: { requests: 0, tokens: 0 }, provisioned: { requests: 0, tokens: 0 },
  };
  for (const { e, kind } of rows) {
    const tokens = e.usage.totalTokens;
    sum.tokens += tokens;
    sum.requests += 1;
    if (e.outcome === 'error') sum.errors += 1;
    if (e.outcome === 'rejected') sum.rejected += 1;
    if (kind === 'priced' && e.cost) {
      sum.cost += e.cost.total;
      sum.input += e.cost.input;
      sum.output += e.cost.output;
      sum.cacheRead += e.cost.cacheRead;
      sum.cacheWrite += e.cost.cacheWrite;
      sum.cacheWrite1h += e.cost.cacheWrite1h;
      sum.priced += 1;
      sum.pricedTokens += tokens;
    } else if (kind === 'provisioned' || kind === 'unpriced') {
      sum[kind].requests += 1;
      sum[kind].tokens += tokens;
    }
  }
  return sum;
}

function lineOf(rows: readonly Row[]): CostLine {
  const sum = tally(rows);
  return {
    cost: formatUsd(sum.cost),
    tokens: sum.tokens,
    requests: sum.requests,
    errors: sum.errors,
    unpricedRequests: sum.unpriced.requests,
    provisionedRequests: sum.provisioned.requests,
  };
}

/** Groups in insertion order; rows whose key is undefined are left out. */
function groupBy(rows: readonly Row[], key: (row: Row) => string | undefined): Map<string, Row[]> {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const k = key(row);
    if (k === undefined) continue;
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

const sortedKeys = <V>(map: ReadonlyMap<string, V>): string[] => [...map.keys()].sort();

function linesOf(groups: ReadonlyMap<string, readonly Row[]>): Record<string, CostLine> {
  return Object.fromEntries(sortedKeys(groups).map((key) => [key, lineOf(groups.get(key) ?? [])]));
}

const iso = (millis: number): string => new Date(millis).toISOString();
const dayMillis = (day: string): number => Date.parse(`${day}T00:00:00.000Z`);

/** n / d rounded half away from zero (to the femto-dollar when n is money); null when d is 0. */
function divideHalfAway(n: bigint, d: bigint): bigint | null {
  if (d === 0n) return null;
  const sign = n < 0n !== d < 0n ? -1n : 1n;
  const absN = n < 0n ? -n : n;
  const absD = d < 0n ? -d : d;
  const quotient = absN / absD;
  return sign * ((absN % absD) * 2n >= absD ? quotient + 1n : quotient);
}

const usdOrNull = (amount: Money | null): string | null => (amount === null ? null : formatUsd(amount));

/** The smallest value with at least q of the values at or below it (nearest rank); null when there is none. */
function nearestRank(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1] as number;
}

function summaryOf(values: readonly number[]): LatencyFigures {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  return {
    count: n,
    avg: n === 0 ? null : sorted.reduce((a, b) => a + b, 0) / n,
    p50: nearestRank(sorted, 0.5),
    p95: nearestRank(sorted, 0.95),
    p99: nearestRank(sorted, 0.99),
    min: n === 0 ? null : (sorted[0] as number),
    max: n === 0 ? null : (sorted[n - 1] as number),
  };
}

/** Every day from `startDate` to `endDate`, both included. */
function daysOf(range: DateRange): string[] {
  const days: string[] = [];
  for (let t = dayMillis(range.startDate); t <= dayMillis(range.endDate); t += DAY) days.push(iso(t).slice(0, 10));
  return days;
}

/** ISO-8601 week of a UTC day: weeks start on Monday; week 1 is the one holding January 4th. */
function isoWeekOf(day: string): { week: string; weekStart: string } {
  const monday = dayMillis(day) - ((new Date(dayMillis(day)).getUTCDay() + 6) % 7) * DAY;
  const year = new Date(monday + 3 * DAY).getUTCFullYear(); // the year of the week's Thursday
  const jan4 = Date.UTC(year, 0, 4);
  const firstMonday = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY;
  const week = Math.round((monday - firstMonday) / WEEK) + 1;
  return { week: `${year}-W${String(week).padStart(2, '0')}`, weekStart: iso(monday).slice(0, 10) };
}

/** (after − before) / before × 100, rounded half away from zero to 2 decimals; null when before is 0. */
function growthOf(before: Money, after: Money): string | null {
  const hundredths = divideHalfAway((after - before) * 10_000n, before);
  if (hundredths === null) return null;
  const abs = hundredths < 0n ? -hundredths : hundredths;
  return `${hundredths < 0n ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

/**
 * The figures every `CostAnalyzer` report should give, recomputed naively from the raw events (each eventId once, the
 * last copy added wins — as the store keeps it; `synthetic` probes left out) with none of the analyzer's code: an independent oracle for tests
 * over any `UsageStore` (in memory, DynamoDB on dynalite). Money as exact decimal strings (core's `formatUsd`).
 *
 * Methods return objects shaped like the analyzer's results, so a test compares whole reports with `toEqual`, except:
 * - `dailyCostReport` says `restated: false` — a restatement comes from when events arrived, not from the events:
 *   the test overrides it for the days it restated;
 * - latency percentiles are exact here (nearest rank) and within the sketch's relative error in the analyzer:
 *   compare performance metrics with {@link expectPerformanceWithin}.
 *
 * Each event's time, day, model and kind (priced, unpriced, provisioned) are derived once when it is added, and the
 * events indexed by UTC hour, so a window reads only the hours it spans.
 *
 * @example
 * const expected = new ExpectedUsageFigures(generated);
 * expect(await analyzer.generateDailyCostReport('2025-03-11')).toEqual(expected.dailyCostReport('2025-03-11'));
 * expectPerformanceWithin(await analyzer.getPerformanceMetrics(window), expected.performanceMetrics(window), LATENCY_SKETCH_RELATIVE_ERROR);
 */
export class ExpectedUsageFigures {
  readonly #byId = new Map<string, Row>();
  #byHour: Map<number, Row[]> | null = null;

  constructor(events: Iterable<UsageEvent> = []) {
    this.add(events);
  }

  /**
   * Adds events (late ones, say); an eventId already present is replaced, never counted twice. Events flagged
   * `synthetic` (probes) are in no report: a synthetic copy removes its eventId.
   */
  add(events: Iterable<UsageEvent>): void {
    for (const e of events) {
      if (e.flags.includes('synthetic')) this.#byId.delete(e.eventId);
      else this.#byId.set(e.eventId, rowOf(e));
    }
    this.#byHour = null;
  }

  /** Distinct events. */
  get size(): number {
    return this.#byId.size;
  }

  /** Every distinct event, in no particular order. */
  all(): UsageEvent[] {
    return [...this.#byId.values()].map((row) => row.e);
  }

  /** Events with start <= time < end (epoch milliseconds). */
  eventsBetween(start: number, end: number): UsageEvent[] {
    return this.#between(start, end).map((row) => row.e);
  }

  /** Events of the UTC days `first` to `last`, both included. */
  eventsOfDays(first: string, last: string = first): UsageEvent[] {
    return this.#days(first, last).map((row) => row.e);
  }

  /**
   * `generateDailyCostReport(date)`: totals, counts, unpriced and provisioned usage, cost by component, breakdowns by
   * agent, model and incident, errors by code, and `aggregatesRead` = the day's hour × agent × model groups.
   */
  dailyCostReport(date: string) {
    const rows = this.#days(date);
    const sum = tally(rows);
    const errorsByCode = groupBy(rows, ({ e }) => (e.outcome === 'error' ? (e.errorCode ?? 'Unknown') : undefined));
    return {
      date,
      totalCost: formatUsd(sum.cost),
      totalTokens: sum.tokens,
      requestCount: sum.requests,
      errorCount: sum.errors,
      rejectedCount: sum.rejected,
      errorsByCode: Object.fromEntries(sortedKeys(errorsByCode).map((code) => [code, errorsByCode.get(code)?.length ?? 0])),
      pricedRequests: sum.priced,
      unpriced: sum.unpriced,
      provisioned: sum.provisioned,
      complete: sum.unpriced.requests === 0 && sum.provisioned.requests === 0,
      costByComponent: {
        input: formatUsd(sum.input),
        output: formatUsd(sum.output),
        cacheRead: formatUsd(sum.cacheRead),
        cacheWrite: formatUsd(sum.cacheWrite),
        cacheWrite1h: formatUsd(sum.cacheWrite1h),
      },
      breakdown: {
        byAgent: linesOf(groupBy(rows, ({ e }) => e.agentId)),
        byModel: linesOf(groupBy(rows, ({ model }) => model)),
        byIncident: linesOf(groupBy(rows, ({ e }) => e.incidentId || undefined)),
      },
      restated: false,
      restatedAt: null,
      aggregatesRead: new Set(rows.map(({ e, t, model }) => `${Math.floor(t / HOUR)}|${e.agentId}|${model}`)).size,
    };
  }

  /** `generateAgentCostBreakdown(range)`: per agent, cost per priced request (rounded half away from zero), top models by cost. */
  agentCostBreakdown(range: DateRange, options: { readonly topModels?: number } = {}) {
    const rows = this.#days(range.startDate, range.endDate);
    const byAgent = groupBy(rows, ({ e }) => e.agentId);
    const agents = sortedKeys(byAgent).map((agent) => {
      const mine = byAgent.get(agent) ?? [];
      const sum = tally(mine);
      const models = [...groupBy(mine, ({ model }) => model)]
        .map(([model, of]) => ({ model, sum: tally(of) }))
        .sort((a, b) => (a.sum.cost !== b.sum.cost ? (a.sum.cost > b.sum.cost ? -1 : 1) : a.model < b.model ? -1 : 1));
      const figures = {
        totalCost: formatUsd(sum.cost),
        tokens: sum.tokens,
        requests: sum.requests,
        errors: sum.errors,
        pricedRequests: sum.priced,
        unpriced: sum.unpriced,
        provisioned: sum.provisioned,
        costPerRequest: usdOrNull(divideHalfAway(sum.cost, BigInt(sum.priced))),
        topModels: models.slice(0, options.topModels ?? 3).map(({ model, sum: m }) => ({ model, cost: formatUsd(m.cost), tokens: m.tokens, requests: m.requests })),
      };
      return [agent, figures] as const;
    });
    return { startDate: range.startDate, endDate: range.endDate, totalCost: formatUsd(tally(rows).cost), agents: Object.fromEntries(agents) };
  }

  /** `getCostTrends(...)`: a point per hour, day or ISO week (its Monday) of the range, zeros included; week-over-week growth. */
  costTrends(options: DateRange & { readonly granularity: TrendGranularity }) {
    const { granularity } = options;
    const days = daysOf(options);
    const labels = days.flatMap((day) =>
      granularity === 'hourly' ? Array.from({ length: 24 }, (_, h) => iso(dayMillis(day) + h * HOUR)) : [granularity === 'daily' ? day : isoWeekOf(day).weekStart],
    );
    const rows = this.#days(options.startDate, options.endDate);
    const weekOf = new Map(days.map((day) => [day, isoWeekOf(day)]));
    const labelOf = ({ t, day }: Row): string =>
      granularity === 'hourly' ? iso(Math.floor(t / HOUR) * HOUR) : granularity === 'daily' ? day : (weekOf.get(day)?.weekStart as string);
    const byLabel = groupBy(rows, labelOf);
    const points = [...new Set(labels)].map((date) => {
      const sum = tally(byLabel.get(date) ?? []);
      return { date, cost: formatUsd(sum.cost), tokens: sum.tokens, requests: sum.requests, unpricedRequests: sum.unpriced.requests };
    });
    const byWeek = groupBy(rows, ({ day }) => weekOf.get(day)?.week);
    let previous: Money | null = null;
    const weeks = new Map([...weekOf.values()].map(({ week, weekStart }) => [week, weekStart]));
    const weekOverWeek = [...weeks].map(([week, weekStart]) => {
      const sum = tally(byWeek.get(week) ?? []);
      const growthPercent = previous === null ? null : growthOf(previous, sum.cost);
      previous = sum.cost;
      return { week, weekStart, cost: formatUsd(sum.cost), tokens: sum.tokens, growthPercent };
    });
    return { startDate: options.startDate, endDate: options.endDate, granularity, points, weekOverWeek };
  }

  /**
   * `getPerformanceMetrics(window)` over [startTime, endTime), percentiles exact (nearest rank): compare with
   * {@link expectPerformanceWithin}. `loggingLatency` is null (no logging-latency source).
   */
  performanceMetrics(options: { readonly startTime: string | Date; readonly endTime: string | Date }): PerformanceFigures {
    const start = new Date(options.startTime).getTime();
    const end = new Date(options.endTime).getTime();
    const rows = this.#between(start, end);
    const latencies = (of: readonly Row[]) => ({
      apiLatency: summaryOf(of.map(({ e }) => e.apiLatencyMs)),
      bedrockLatency: summaryOf(of.flatMap(({ e }) => (e.latencyMs === null ? [] : [e.latencyMs]))),
    });
    const grouped = (groups: Map<string, Row[]>) => Object.fromEntries(sortedKeys(groups).map((key) => [key, latencies(groups.get(key) ?? [])]));
    const { apiLatency, bedrockLatency } = latencies(rows);
    const errors = tally(rows).errors;
    return {
      startTime: iso(start),
      endTime: iso(end),
      requests: rows.length,
      errorRate: rows.length === 0 ? 0 : errors / rows.length,
      avgApiLatency: apiLatency.avg,
      p50ApiLatency: apiLatency.p50,
      p95ApiLatency: apiLatency.p95,
      p99ApiLatency: apiLatency.p99,
      apiLatency,
      bedrockLatency,
      loggingLatency: null,
      byAgent: grouped(groupBy(rows, ({ e }) => e.agentId)),
      byModel: grouped(groupBy(rows, ({ model }) => model)),
    };
  }

  /**
   * `getThroughputMetrics({ granularity, lookbackHours })` at `now` (epoch ms): buckets aligned to the granularity
   * from the one holding now − lookback; requests per second over the part of each bucket inside the window.
   */
  throughputMetrics(options: { readonly granularity: ThroughputGranularity; readonly lookbackHours: number; readonly now: number }): ThroughputPoint[] {
    const step = STEP[options.granularity];
    const end = options.now;
    const start = end - options.lookbackHours * HOUR;
    const points: ThroughputPoint[] = [];
    for (let t = Math.floor(start / step) * step; t < end; t += step) {
      const from = Math.max(t, start);
      const to = Math.min(t + step, end);
      const requests = this.#between(from, to).length;
      const seconds = (to - from) / 1000;
      points.push({ timestamp: iso(t), requests, requestsPerSecond: seconds > 0 ? requests / seconds : 0 });
    }
    return points;
  }

  /** `getIncidentCost(incidentId)` over all its events, with the outcome the test recorded (null when none). */
  incidentCost(incidentId: string, outcome: string | null = null) {
    const rows = [...this.#byId.values()].filter(({ e }) => e.incidentId === incidentId);
    const sum = tally(rows);
    const first = rows.length === 0 ? null : Math.min(...rows.map(({ t }) => t));
    const last = rows.length === 0 ? null : Math.max(...rows.map(({ t }) => t));
    return {
      incidentId,
      cost: formatUsd(sum.cost),
      tokens: sum.tokens,
      requests: sum.requests,
      errors: sum.errors,
      unpriced: sum.unpriced,
      provisioned: sum.provisioned,
      agents: [...new Set(rows.map(({ e }) => e.agentId))].sort(),
      models: [...new Set(rows.map(({ model }) => model))].sort(),
      firstCall: first === null ? null : iso(first),
      lastCall: last === null ? null : iso(last),
      durationMs: first === null || last === null ? 0 : last - first,
      outcome,
    };
  }

  /**
   * `getModelEfficiency(range)` given the incidents recorded as `resolved`: per model cost per 1k priced tokens and
   * cost per resolved incident it worked on; overall spend in the range on resolved incidents per resolved incident.
   */
  modelEfficiency(range: DateRange, resolvedIncidents: Iterable<string>) {
    const resolved = new Set(resolvedIncidents);
    const rows = this.#days(range.startDate, range.endDate);
    const onResolved = (of: readonly Row[]) => {
      const mine = of.filter(({ e }) => e.incidentId !== undefined && resolved.has(e.incidentId));
      const incidents = new Set(mine.map(({ e }) => e.incidentId)).size;
      const spend = tally(mine).cost;
      return { incidents, spend, perIncident: usdOrNull(divideHalfAway(spend, BigInt(incidents))) };
    };
    const byModel = groupBy(rows, ({ model }) => model);
    const models = sortedKeys(byModel).map((model) => {
      const mine = byModel.get(model) ?? [];
      const sum = tally(mine);
      const incidents = onResolved(mine);
      const figures = {
        cost: formatUsd(sum.cost),
        pricedTokens: sum.pricedTokens,
        requests: sum.requests,
        unpricedRequests: sum.unpriced.requests,
        provisionedRequests: sum.provisioned.requests,
        costPer1kTokens: usdOrNull(divideHalfAway(sum.cost * 1000n, BigInt(sum.pricedTokens))),
        resolvedIncidents: incidents.incidents,
        costPerResolvedIncident: incidents.perIncident,
      };
      return [model, figures] as const;
    });
    const all = onResolved(rows);
    return {
      startDate: range.startDate,
      endDate: range.endDate,
      models: Object.fromEntries(models),
      resolvedIncidents: all.incidents,
      costOfResolvedIncidents: formatUsd(all.spend),
      costPerResolvedIncident: all.perIncident,
    };
  }

  /**
   * `getCacheEfficiency(range)`, the saving from `inputRate` (femto-USD per uncached input token of the event's price,
   * e.g. from the generator's rate table; undefined when unknown): Σ over priced events of cache-read tokens × input
   * rate − their cache-read cost. Unread writes: cache writes in the range with no cache read by the same agent, model
   * and incident after them within their TTL (1 h when they wrote 1-hour tokens, else 5 min).
   */
  cacheEfficiency(range: DateRange, inputRate: (event: UsageEvent) => bigint | undefined) {
    const rows = this.#days(range.startDate, range.endDate);
    let read = 0;
    let write = 0;
    let input = 0;
    let readRequests = 0;
    let writeRequests = 0;
    let saved = 0n;
    let withoutRate = 0;
    for (const { e } of rows) {
      read += e.usage.cacheReadInputTokens;
      write += e.usage.cacheWriteInputTokens;
      input += e.usage.inputTokens;
      if (e.usage.cacheReadInputTokens > 0) readRequests += 1;
      if (e.usage.cacheWriteInputTokens > 0) writeRequests += 1;
      if (!e.cost || !e.priceRef) continue;
      const rate = inputRate(e);
      if (rate === undefined) withoutRate += e.usage.cacheReadInputTokens;
      else saved += BigInt(e.usage.cacheReadInputTokens) * rate - e.cost.cacheRead;
    }
    const stream = ({ e, model }: Row): string => JSON.stringify([e.agentId, model, e.incidentId ?? '']);
    const readsByStream = groupBy([...this.#byId.values()].filter(({ e }) => e.usage.cacheReadInputTokens > 0), stream);
    const unread = rows.filter((w) => {
      if (w.e.usage.cacheWriteInputTokens === 0) return false;
      const ttl = (w.e.usage.cacheWrite1hTokens ?? 0) > 0 ? HOUR : CACHE_TTL_5M;
      return !(readsByStream.get(stream(w)) ?? []).some((r) => r.t > w.t && r.t <= w.t + ttl);
    });
    const sum = tally(rows);
    const total = input + read + write;
    return {
      startDate: range.startDate,
      endDate: range.endDate,
      cacheReadTokens: read,
      cacheWriteTokens: write,
      inputTokens: input,
      tokenHitRatio: total === 0 ? null : read / total,
      cacheReadRequests: readRequests,
      cacheWriteRequests: writeRequests,
      savedByCacheReads: formatUsd(saved),
      cacheReadTokensWithoutRate: withoutRate,
      cacheReadCost: formatUsd(sum.cacheRead),
      cacheWriteCost: formatUsd(sum.cacheWrite + sum.cacheWrite1h),
      unreadWrites: {
        requests: unread.length,
        tokens: unread.reduce((n, { e }) => n + e.usage.cacheWriteInputTokens, 0),
        cost: formatUsd(unread.reduce((n, { e }) => n + (e.cost ? e.cost.cacheWrite + e.cost.cacheWrite1h : 0n), 0n)),
      },
    };
  }

  /** Rows with start <= t < end, read from the hours the window spans. */
  #between(start: number, end: number): Row[] {
    const byHour = this.#hours();
    const out: Row[] = [];
    for (let hour = Math.floor(start / HOUR); hour * HOUR < end; hour++) {
      for (const row of byHour.get(hour) ?? []) if (row.t >= start && row.t < end) out.push(row);
    }
    return out;
  }

  #days(first: string, last: string = first): Row[] {
    return this.#between(dayMillis(first), dayMillis(last) + DAY);
  }

  #hours(): Map<number, Row[]> {
    if (this.#byHour) return this.#byHour;
    const byHour = new Map<number, Row[]>();
    for (const row of this.#byId.values()) {
      const hour = Math.floor(row.t / HOUR);
      const rows = byHour.get(hour);
      if (rows) rows.push(row);
      else byHour.set(hour, [row]);
    }
    this.#byHour = byHour;
    return byHour;
  }
}

/**
 * Asserts (jest `expect`) that the analyzer's performance metrics equal the {@link ExpectedUsageFigures} ones: window,
 * requests, counts, min and max exactly; error rate and averages to 1e-12 relative (float sums); each percentile
 * within `relativeError` of the exact one (the analyzer's `LATENCY_SKETCH_RELATIVE_ERROR`); the same agents and
 * models. A failure lists every figure that differs.
 *
 * @example
 * expectPerformanceWithin(await analyzer.getPerformanceMetrics(window), expected.performanceMetrics(window), LATENCY_SKETCH_RELATIVE_ERROR);
 */
export function expectPerformanceWithin(actual: PerformanceFigures, expected: PerformanceFigures, relativeError: number): void {
  const mismatches: string[] = [];
  const exact = (what: string, got: unknown, want: unknown): void => {
    if (!Object.is(got, want)) mismatches.push(`${what}: ${String(got)}, expected ${String(want)}`);
  };
  const close = (what: string, got: number | null | undefined, want: number | null, tolerance: number): void => {
    if (want === null || got === null || got === undefined) exact(what, got, want);
    else if (Math.abs(got - want) > tolerance * Math.abs(want) + 1e-9) mismatches.push(`${what}: ${got}, expected ${want} ± ${tolerance * 100} %`);
  };
  const summary = (what: string, got: LatencyFigures | undefined, want: LatencyFigures): void => {
    for (const field of ['count', 'min', 'max'] as const) exact(`${what}.${field}`, got?.[field], want[field]);
    close(`${what}.avg`, got?.avg, want.avg, 1e-12);
    for (const q of ['p50', 'p95', 'p99'] as const) close(`${what}.${q}`, got?.[q], want[q], relativeError);
  };
  for (const field of ['startTime', 'endTime', 'requests', 'loggingLatency'] as const) exact(field, actual[field], expected[field]);
  close('errorRate', actual.errorRate, expected.errorRate, 1e-12);
  close('avgApiLatency', actual.avgApiLatency, expected.avgApiLatency, 1e-12);
  for (const q of ['p50ApiLatency', 'p95ApiLatency', 'p99ApiLatency'] as const) close(q, actual[q], expected[q], relativeError);
  summary('apiLatency', actual.apiLatency, expected.apiLatency);
  summary('bedrockLatency', actual.bedrockLatency, expected.bedrockLatency);
  for (const by of ['byAgent', 'byModel'] as const) {
    exact(`${by} keys`, Object.keys(actual[by]).sort().join(', '), Object.keys(expected[by]).sort().join(', '));
    for (const [name, want] of Object.entries(expected[by])) {
      summary(`${by}.${name}.apiLatency`, actual[by][name]?.apiLatency, want.apiLatency);
      summary(`${by}.${name}.bedrockLatency`, actual[by][name]?.bedrockLatency, want.bedrockLatency);
    }
  }
  expect(mismatches).toEqual([]);
}
