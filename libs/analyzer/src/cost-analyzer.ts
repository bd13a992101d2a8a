import { UsageError, formatUsd, systemClock, type Clock, type Money, type UsageEvent } from '@bedrock-usage/core';

import type {
  AgentCostBreakdown,
  AggregateRefresh,
  CacheEfficiency,
  CostLine,
  CostTrends,
  DailyCostReport,
  DateRange,
  ErrorBreakdown,
  IncidentCost,
  LatencySummary,
  ModelEfficiency,
  PerformanceMetrics,
  ThroughputGranularity,
  ThroughputPoint,
  TrendGranularity,
} from './cost-analyzer.types';
import { divideRounded, growthPercent } from './internal/money-math';
import { DAY_MS, HOUR_MS, assertDay, dayOf, dayStart, daysFrom, floorTo, iso, isoWeek, toMillis } from './internal/time';
import { mergeSketches, sketchQuantile, type LatencySketch } from './latency-sketch';
import { sameAggregateContent } from './usage-aggregate.codec';
import { aggregateBucket, aggregateKey, hourBucket, isProvisioned, isUnpriced, type UsageAggregate } from './usage-aggregate';
import type { CacheRates, IncidentOutcome, LoggingLatencySource, UsageStore } from './usage-store.port';

/**
 * Options of {@link CostAnalyzer}.
 *
 * @example
 * const options: CostAnalyzerOptions = { store, clock: { now: () => Date.now() }, closeAfterMs: 30 * 60_000, topModels: 5 };
 * const analyzer = new CostAnalyzer(options);
 */
export interface CostAnalyzerOptions {
  readonly store: UsageStore;
  /** @default systemClock */
  readonly clock?: Clock;
  /**
   * A day is closed (its report final, later changes are restatements) this long after its UTC midnight end.
   * @default 900000 (15 minutes: the reporting worker's default 00:15 UTC run)
   */
  readonly closeAfterMs?: number;
  /** For `loggingLatency` in performance metrics. @default none (loggingLatency is null) */
  readonly loggingLatency?: LoggingLatencySource;
  /** Fallback input / cache-read rates for cache savings. @default none (rates derived from the events) */
  readonly cacheRates?: CacheRates;
  /** Models listed per agent in the agent breakdown. @default 3 */
  readonly topModels?: number;
  /**
   * With a raw-event retention (the table's TTL deletes events), an hour older than this is not recomputed: its
   * stored events may be gone, and recomputing from what is left would shrink its aggregates. Such events are
   * counted in `AggregateRefresh.tooLate` and left out of the aggregates (they stay in the raw events until they
   * expire). Set it to the retention minus a margin (di: one day).
   * @default none (every hour is recomputed: raw events are kept)
   */
  readonly lateEventHorizonMs?: number;
}

const MAX_RANGE_DAYS = 366;
const INCIDENT_OUTCOMES: readonly IncidentOutcome[] = ['resolved', 'failed', 'escalated', 'abandoned'];
const THROUGHPUT_MS: Record<ThroughputGranularity, number> = { '1min': 60_000, '5min': 300_000, '1h': HOUR_MS };
const CACHE_TTL_5M = 5 * 60_000;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type MutableLine = Mutable<Omit<CostLine, 'cost'>> & { cost: Money };

/**
 * The seed's cost analyzer over a {@link UsageStore}: daily reports, agent breakdowns, trends, performance,
 * throughput, incident cost, model and cache efficiency — exact to the femto-dollar (money out as exact decimal
 * strings). Reports read the hourly aggregates (O(hours × agents × models)); only incident cost, sub-hour edges of
 * time windows and the cache's unread-writes heuristic read events. `refreshAggregates` keeps the aggregates a pure
 * function of the stored events.
 *
 * @example
 * const analyzer = new CostAnalyzer({ store });
 * await analyzer.refreshAggregates(batch); // after the batch was written to the store
 * const report = await analyzer.generateDailyCostReport('2025-03-11');
 * console.log(`Total cost: $${report.totalCost}`);
 */
export class CostAnalyzer {
  readonly #store: UsageStore;
  readonly #clock: Clock;
  readonly #closeAfterMs: number;
  readonly #lateEventHorizonMs: number | undefined;
  readonly #loggingLatency: LoggingLatencySource | undefined;
  readonly #cacheRates: CacheRates | undefined;
  readonly #topModels: number;

  constructor(options: CostAnalyzerOptions) {
    this.#store = withoutSynthetic(options.store);
    this.#clock = options.clock ?? systemClock;
    this.#closeAfterMs = options.closeAfterMs ?? 900_000;
    this.#lateEventHorizonMs = options.lateEventHorizonMs;
    this.#loggingLatency = options.loggingLatency;
    this.#cacheRates = options.cacheRates;
    this.#topModels = options.topModels ?? 3;
  }

  /**
   * Recomputes, from ALL stored events of each hour the batch touches (plus the batch itself, deduplicated by
   * eventId), the aggregates of those hours, and writes the ones whose content changed. Never increments: a
   * duplicate or a replay changes nothing; a late event changes its hour's aggregates, and when its day was
   * closed and had aggregates, marks them `restatedAt` and names the day in `restatedDays`.
   *
   * @example
   * await sink.write(batch);
   * const { restatedDays } = await analyzer.refreshAggregates(batch);
   */
  async refreshAggregates(events: readonly UsageEvent[]): Promise<AggregateRefresh> {
    const unique = new Map<string, UsageEvent>();
    for (const event of events) if (!isSynthetic(event)) unique.set(event.eventId, event);
    const now = this.#clock.now();
    const horizon = this.#lateEventHorizonMs === undefined ? -Infinity : now - this.#lateEventHorizonMs;
    const hoursByDay = new Map<string, Map<string, UsageEvent[]>>();
    let tooLate = 0;
    for (const event of unique.values()) {
      const hour = hourBucket(event.time);
      if (Date.parse(hour) + HOUR_MS <= horizon) {
        tooLate += 1;
        continue;
      }
      const day = hour.slice(0, 10);
      const hours = hoursByDay.get(day) ?? new Map<string, UsageEvent[]>();
      const batch = hours.get(hour);
      if (batch) batch.push(event);
      else hours.set(hour, [event]);
      hoursByDay.set(day, hours);
    }
    let written = 0;
    let hoursDone = 0;
    const restatedDays: string[] = [];
    for (const day of [...hoursByDay.keys()].sort()) {
      const existing = new Map((await this.#store.aggregatesOfDay(day)).map((aggregate) => [aggregateKey(aggregate), aggregate]));
      const closed = now >= dayStart(day) + DAY_MS + this.#closeAfterMs;
      const changed: UsageAggregate[] = [];
      for (const [hour, batch] of hoursByDay.get(day) ?? []) {
        const stored = await this.#store.eventsBetween(hour, iso(Date.parse(hour) + HOUR_MS));
        for (const aggregate of aggregateBucket([...stored, ...batch])) {
          const prior = existing.get(aggregateKey(aggregate));
          if (prior && sameAggregateContent(prior, aggregate)) continue;
          const restatedAt = closed && existing.size > 0 ? iso(now) : prior?.restatedAt;
          changed.push(restatedAt === undefined ? aggregate : { ...aggregate, restatedAt });
        }
        hoursDone += 1;
      }
      if (changed.length > 0) {
        await this.#store.putAggregates(changed);
        written += changed.length;
        if (closed && existing.size > 0) restatedDays.push(day);
      }
    }
    return { events: unique.size, hours: hoursDone, written, restatedDays, tooLate };
  }

  /**
   * The day's cost report, from its aggregates only. `totalCost` (priced events, exact) equals the sum of
   * `breakdown.byAgent[*].cost` and of `breakdown.byModel[*].cost`; unpriced and provisioned usage are beside it.
   *
   * @example
   * const report = await analyzer.generateDailyCostReport('2025-03-11');
   * console.log(`Total cost: $${report.totalCost}`, report.restated ? '(restated)' : '');
   */
  async generateDailyCostReport(date: string): Promise<DailyCostReport> {
    assertDay('date', date);
    const aggregates = await this.#store.aggregatesOfDay(date);
    const byAgent = new Map<string, MutableLine>();
    const byModel = new Map<string, MutableLine>();
    const byIncident = new Map<string, MutableLine>();
    const errorsByCode = new Map<string, number>();
    const total = emptyLine();
    const components = { input: 0n, output: 0n, cacheRead: 0n, cacheWrite: 0n, cacheWrite1h: 0n };
    const unpriced = { requests: 0, tokens: 0 };
    const provisioned = { requests: 0, tokens: 0 };
    let rejected = 0;
    let priced = 0;
    let restatedAt: string | null = null;
    for (const a of aggregates) {
      for (const line of [total, lineOf(byAgent, a.agentId), lineOf(byModel, a.model)]) addAggregate(line, a);
      for (const [id, slice] of Object.entries(a.incidents)) {
        const line = lineOf(byIncident, id);
        line.cost += slice.cost;
        line.tokens += slice.tokens;
        line.requests += slice.requests;
        line.errors += slice.errors;
        line.unpricedRequests += slice.unpricedRequests;
        line.provisionedRequests += slice.provisionedRequests;
      }
      for (const [code, count] of Object.entries(a.errorsByCode)) errorsByCode.set(code, (errorsByCode.get(code) ?? 0) + count);
      for (const field of ['input', 'output', 'cacheRead', 'cacheWrite', 'cacheWrite1h'] as const) components[field] += a.cost[field];
      unpriced.requests += a.unpriced.requests;
      unpriced.tokens += a.unpriced.tokens;
      provisioned.requests += a.provisioned.requests;
      provisioned.tokens += a.provisioned.tokens;
      rejected += a.rejected;
      priced += a.pricedRequests;
      if (a.restatedAt && (restatedAt === null || a.restatedAt > restatedAt)) restatedAt = a.restatedAt;
    }
    return {
      date,
      totalCost: formatUsd(total.cost),
      totalTokens: total.tokens,
      requestCount: total.requests,
      errorCount: total.errors,
      rejectedCount: rejected,
      errorsByCode: sortedObject(errorsByCode),
      pricedRequests: priced,
      unpriced,
      provisioned,
      complete: unpriced.requests === 0 && provisioned.requests === 0,
      costByComponent: {
        input: formatUsd(components.input),
        output: formatUsd(components.output),
        cacheRead: formatUsd(components.cacheRead),
        cacheWrite: formatUsd(components.cacheWrite),
        cacheWrite1h: formatUsd(components.cacheWrite1h),
      },
      breakdown: { byAgent: lines(byAgent), byModel: lines(byModel), byIncident: lines(byIncident) },
      restated: restatedAt !== null,
      restatedAt,
      aggregatesRead: aggregates.length,
    };
  }

  /**
   * Per agent over a date range (both days included): cost, tokens, requests, cost per request, top models.
   *
   * @example
   * const { agents } = await analyzer.generateAgentCostBreakdown({ startDate: '2025-02-10', endDate: '2025-03-11' });
   */
  async generateAgentCostBreakdown(range: DateRange): Promise<AgentCostBreakdown> {
    const aggregates = await this.#aggregatesOfDays(range);
    const agents = new Map<string, { line: MutableLine; priced: number; unpricedTokens: number; provisionedTokens: number; models: Map<string, MutableLine> }>();
    let total = 0n;
    for (const a of aggregates) {
      const agent = agents.get(a.agentId) ?? { line: emptyLine(), priced: 0, unpricedTokens: 0, provisionedTokens: 0, models: new Map<string, MutableLine>() };
      addAggregate(agent.line, a);
      addAggregate(lineOf(agent.models, a.model), a);
      agent.priced += a.pricedRequests;
      agent.unpricedTokens += a.unpriced.tokens;
      agent.provisionedTokens += a.provisioned.tokens;
      agents.set(a.agentId, agent);
      total += a.cost.total;
    }
    const result: Record<string, AgentCostBreakdown['agents'][string]> = {};
    for (const id of [...agents.keys()].sort()) {
      const { line, priced, unpricedTokens, provisionedTokens, models } = agents.get(id) ?? (undefined as never);
      const perRequest = divideRounded(line.cost, BigInt(priced));
      result[id] = {
        totalCost: formatUsd(line.cost),
        tokens: line.tokens,
        requests: line.requests,
        errors: line.errors,
        pricedRequests: priced,
        unpriced: { requests: line.unpricedRequests, tokens: unpricedTokens },
        provisioned: { requests: line.provisionedRequests, tokens: provisionedTokens },
        costPerRequest: perRequest === null ? null : formatUsd(perRequest),
        topModels: [...models.entries()]
          .sort(([ma, a], [mb, b]) => (a.cost === b.cost ? (ma < mb ? -1 : 1) : a.cost > b.cost ? -1 : 1))
          .slice(0, this.#topModels)
          .map(([model, m]) => ({ model, cost: formatUsd(m.cost), tokens: m.tokens, requests: m.requests })),
      };
    }
    return { startDate: range.startDate, endDate: range.endDate, totalCost: formatUsd(total), agents: result };
  }

  /**
   * Cost and tokens per hour, day or ISO week (zero-filled), plus week-over-week growth.
   *
   * @example
   * const trends = await analyzer.getCostTrends({ startDate: '2025-01-01', endDate: '2025-01-31', granularity: 'daily' });
   * for (const week of trends.weekOverWeek) console.log(`Week ${week.week}: $${week.cost}`);
   */
  async getCostTrends(options: DateRange & { readonly granularity: TrendGranularity }): Promise<CostTrends> {
    const { granularity } = options;
    if (!['hourly', 'daily', 'weekly'].includes(granularity)) {
      throw new UsageError('INVALID_INPUT', `granularity is ${JSON.stringify(granularity)} — expected hourly, daily or weekly`);
    }
    const aggregates = await this.#aggregatesOfDays(options);
    const labelOf = (bucket: string): string =>
      granularity === 'hourly' ? bucket : granularity === 'daily' ? bucket.slice(0, 10) : isoWeek(bucket.slice(0, 10)).weekStart;
    const points = new Map<string, { cost: Money; tokens: number; requests: number; unpricedRequests: number }>();
    const weeks = new Map<string, { weekStart: string; cost: Money; tokens: number }>();
    for (const day of daysFrom(options.startDate, options.endDate)) {
      const { week, weekStart } = isoWeek(day);
      if (!weeks.has(week)) weeks.set(week, { weekStart, cost: 0n, tokens: 0 });
      if (granularity === 'hourly') {
        for (let h = 0; h < 24; h++) points.set(iso(dayStart(day) + h * HOUR_MS), { cost: 0n, tokens: 0, requests: 0, unpricedRequests: 0 });
      } else if (!points.has(labelOf(`${day}T00`))) points.set(labelOf(`${day}T00`), { cost: 0n, tokens: 0, requests: 0, unpricedRequests: 0 });
    }
    for (const a of aggregates) {
      const point = points.get(labelOf(a.bucket));
      if (point) {
        point.cost += a.cost.total;
        point.tokens += a.tokens.total;
        point.requests += a.requests;
        point.unpricedRequests += a.unpriced.requests;
      }
      const week = weeks.get(isoWeek(a.day).week);
      if (week) {
        week.cost += a.cost.total;
        week.tokens += a.tokens.total;
      }
    }
    let previous: Money | null = null;
    const weekOverWeek = [...weeks.entries()].map(([week, w]) => {
      const growth = previous === null ? null : growthPercent(previous, w.cost);
      previous = w.cost;
      return { week, weekStart: w.weekStart, cost: formatUsd(w.cost), tokens: w.tokens, growthPercent: growth };
    });
    return {
      startDate: options.startDate,
      endDate: options.endDate,
      granularity,
      points: [...points.entries()].map(([date, p]) => ({ date, cost: formatUsd(p.cost), tokens: p.tokens, requests: p.requests, unpricedRequests: p.unpricedRequests })),
      weekOverWeek,
    };
  }

  /**
   * API and Bedrock latency (avg, p50, p95, p99; ≈ 1 % relative error on percentiles), overall and per agent
   * and model, over [startTime, endTime): whole hours from aggregates, partial hours from events.
   *
   * @example
   * const perf = await analyzer.getPerformanceMetrics({ startTime: new Date(Date.now() - 3_600_000), endTime: new Date() });
   * console.log(`95th percentile: ${perf.p95ApiLatency?.toFixed(2)}ms`);
   */
  async getPerformanceMetrics(options: { readonly startTime: Date | string; readonly endTime: Date | string }): Promise<PerformanceMetrics> {
    const [start, end] = this.#window(options.startTime, options.endTime);
    const aggregates = await this.#aggregatesBetween(start, end);
    const group = (key: (a: UsageAggregate) => string): PerformanceMetrics['byAgent'] => {
      const groups = new Map<string, UsageAggregate[]>();
      for (const a of aggregates) {
        const members = groups.get(key(a));
        if (members) members.push(a);
        else groups.set(key(a), [a]);
      }
      const out: Record<string, PerformanceMetrics['byAgent'][string]> = {};
      for (const name of [...groups.keys()].sort()) {
        const members = groups.get(name) ?? [];
        out[name] = { apiLatency: summarize(mergeSketches(members.map((a) => a.apiLatency))), bedrockLatency: summarize(mergeSketches(members.map((a) => a.bedrockLatency))) };
      }
      return out;
    };
    const api = summarize(mergeSketches(aggregates.map((a) => a.apiLatency)));
    const requests = aggregates.reduce((n, a) => n + a.requests, 0);
    const errors = aggregates.reduce((n, a) => n + a.errors, 0);
    const logging = this.#loggingLatency ? await this.#loggingLatency.latencySketch(iso(start), iso(end)) : null;
    return {
      startTime: iso(start),
      endTime: iso(end),
      requests,
      errorRate: requests === 0 ? 0 : errors / requests,
      avgApiLatency: api.avg,
      p50ApiLatency: api.p50,
      p95ApiLatency: api.p95,
      p99ApiLatency: api.p99,
      apiLatency: api,
      bedrockLatency: summarize(mergeSketches(aggregates.map((a) => a.bedrockLatency))),
      loggingLatency: logging ? summarize(logging) : null,
      byAgent: group((a) => a.agentId),
      byModel: group((a) => a.model),
    };
  }

  /**
   * Runbook 2, "check error types": the failed calls of [startTime, endTime) by error code (Bedrock's
   * `ThrottlingException`, `ValidationException` …), each with the agents and models that got it, from the same
   * aggregates as {@link getPerformanceMetrics} (whole hours) and events (partial hours).
   *
   * @example
   * const { byCode } = await analyzer.getErrorBreakdown({ startTime: new Date(Date.now() - 600_000), endTime: new Date() });
   * for (const [code, { count }] of Object.entries(byCode)) console.log(code, count);
   */
  async getErrorBreakdown(options: { readonly startTime: Date | string; readonly endTime: Date | string }): Promise<ErrorBreakdown> {
    const [start, end] = this.#window(options.startTime, options.endTime);
    const aggregates = await this.#aggregatesBetween(start, end);
    const codes = new Map<string, { count: number; byAgent: Map<string, number>; byModel: Map<string, number> }>();
    let requests = 0;
    let errors = 0;
    for (const a of aggregates) {
      requests += a.requests;
      errors += a.errors;
      for (const [code, count] of Object.entries(a.errorsByCode)) {
        const entry = codes.get(code) ?? { count: 0, byAgent: new Map<string, number>(), byModel: new Map<string, number>() };
        entry.count += count;
        entry.byAgent.set(a.agentId, (entry.byAgent.get(a.agentId) ?? 0) + count);
        entry.byModel.set(a.model, (entry.byModel.get(a.model) ?? 0) + count);
        codes.set(code, entry);
      }
    }
    const sorted = (counts: Map<string, number>): Record<string, number> => Object.fromEntries([...counts].sort(([x, m], [y, n]) => n - m || x.localeCompare(y)));
    return {
      startTime: iso(start),
      endTime: iso(end),
      requests,
      errors,
      errorRate: requests === 0 ? 0 : errors / requests,
      byCode: Object.fromEntries(
        [...codes]
          .sort(([x, a], [y, b]) => b.count - a.count || x.localeCompare(y))
          .map(([code, entry]) => [code, { count: entry.count, byAgent: sorted(entry.byAgent), byModel: sorted(entry.byModel) }]),
      ),
    };
  }

  /**
   * Requests per second per bucket over the last `lookbackHours` (buckets aligned to the granularity; the first
   * and last are divided by the part of them inside the window).
   *
   * @example
   * for (const p of await analyzer.getThroughputMetrics({ granularity: '5min', lookbackHours: 24 })) console.log(`${p.timestamp}: ${p.requestsPerSecond.toFixed(2)} req/s`);
   */
  async getThroughputMetrics(options: { readonly granularity: ThroughputGranularity; readonly lookbackHours: number }): Promise<ThroughputPoint[]> {
    const step = THROUGHPUT_MS[options.granularity];
    if (step === undefined) throw new UsageError('INVALID_INPUT', `granularity is ${JSON.stringify(options.granularity)} — expected 1min, 5min or 1h`);
    if (!(options.lookbackHours > 0 && options.lookbackHours <= MAX_RANGE_DAYS * 24)) {
      throw new UsageError('INVALID_INPUT', `lookbackHours is ${JSON.stringify(options.lookbackHours)} — expected a number of hours > 0 and ≤ ${MAX_RANGE_DAYS * 24}`);
    }
    const end = this.#clock.now();
    const start = end - options.lookbackHours * HOUR_MS;
    const aggregates = await this.#aggregatesBetween(start, end);
    const counts = new Map<number, number>();
    for (let t = floorTo(start, step); t < end; t += step) counts.set(t, 0);
    for (const a of aggregates) {
      const hour = Date.parse(a.bucket);
      for (const [minute, n] of Object.entries(a.requestsByMinute)) {
        const slot = floorTo(hour + Number(minute) * 60_000, step);
        counts.set(slot, (counts.get(slot) ?? 0) + n);
      }
    }
    return [...counts.entries()]
      .sort(([a], [b]) => a - b)
      .map(([t, requests]) => {
        const seconds = (Math.min(t + step, end) - Math.max(t, start)) / 1000;
        return { timestamp: iso(t), requests, requestsPerSecond: seconds > 0 ? requests / seconds : 0 };
      });
  }

  /**
   * One incident's cost, from its events: cost, tokens, agents and models, first/last call, duration, outcome.
   *
   * @example
   * const incident = await analyzer.getIncidentCost('INC-20250311-0042');
   */
  async getIncidentCost(incidentId: string): Promise<IncidentCost> {
    if (typeof incidentId !== 'string' || incidentId === '') throw new UsageError('INVALID_INPUT', `incidentId is ${JSON.stringify(incidentId)} — expected a non-empty incident id such as INC-20250311-0042`);
    const unique = new Map((await this.#store.eventsOfIncident(incidentId)).map((event) => [event.eventId, event]));
    let cost = 0n;
    let tokens = 0;
    let errors = 0;
    let first: number | null = null;
    let last: number | null = null;
    const unpriced = { requests: 0, tokens: 0 };
    const provisioned = { requests: 0, tokens: 0 };
    const agents = new Set<string>();
    const models = new Set<string>();
    for (const event of unique.values()) {
      tokens += event.usage.totalTokens;
      if (event.cost) cost += event.cost.total;
      else if (isProvisioned(event)) {
        provisioned.requests += 1;
        provisioned.tokens += event.usage.totalTokens;
      } else if (isUnpriced(event)) {
        unpriced.requests += 1;
        unpriced.tokens += event.usage.totalTokens;
      }
      if (event.outcome === 'error') errors += 1;
      agents.add(event.agentId);
      models.add(event.resolvedModel ?? event.modelId);
      const t = Date.parse(event.time);
      first = first === null ? t : Math.min(first, t);
      last = last === null ? t : Math.max(last, t);
    }
    const outcome = (await this.#store.incidentOutcomes([incidentId])).get(incidentId);
    return {
      incidentId,
      cost: formatUsd(cost),
      tokens,
      requests: unique.size,
      errors,
      unpriced,
      provisioned,
      agents: [...agents].sort(),
      models: [...models].sort(),
      firstCall: first === null ? null : iso(first),
      lastCall: last === null ? null : iso(last),
      durationMs: first === null || last === null ? 0 : last - first,
      outcome: outcome?.outcome ?? null,
    };
  }

  /**
   * Records what became of an incident (the latest recording wins); `resolved` counts as a success in
   * {@link CostAnalyzer.getModelEfficiency}.
   *
   * @example
   * await analyzer.recordIncidentOutcome('INC-20250311-0042', 'resolved', { note: 'disk cleaned up' });
   */
  async recordIncidentOutcome(incidentId: string, outcome: IncidentOutcome, options: { readonly note?: string } = {}): Promise<void> {
    if (typeof incidentId !== 'string' || incidentId === '') throw new UsageError('INVALID_INPUT', `incidentId is ${JSON.stringify(incidentId)} — expected a non-empty incident id such as INC-20250311-0042`);
    if (!INCIDENT_OUTCOMES.includes(outcome)) throw new UsageError('INVALID_INPUT', `outcome is ${JSON.stringify(outcome)} — expected one of ${INCIDENT_OUTCOMES.join(', ')}`);
    await this.#store.putIncidentOutcome({ incidentId, outcome, recordedAt: iso(this.#clock.now()), ...(options.note === undefined ? {} : { note: options.note }) });
  }

  /**
   * Per model over a date range: cost per 1k (priced) tokens, and cost per successful (resolved) incident — the
   * spend within the range on incidents whose recorded outcome is `resolved`, divided by their number.
   *
   * @example
   * const { costPerResolvedIncident } = await analyzer.getModelEfficiency({ startDate, endDate });
   */
  async getModelEfficiency(range: DateRange): Promise<ModelEfficiency> {
    const aggregates = await this.#aggregatesOfDays(range);
    const models = new Map<string, { cost: Money; pricedTokens: number; requests: number; unpriced: number; provisioned: number; incidents: Map<string, Money> }>();
    const incidentCost = new Map<string, Money>();
    for (const a of aggregates) {
      const m = models.get(a.model) ?? { cost: 0n, pricedTokens: 0, requests: 0, unpriced: 0, provisioned: 0, incidents: new Map<string, Money>() };
      m.cost += a.cost.total;
      m.pricedTokens += a.pricedTokens;
      m.requests += a.requests;
      m.unpriced += a.unpriced.requests;
      m.provisioned += a.provisioned.requests;
      for (const [id, slice] of Object.entries(a.incidents)) {
        m.incidents.set(id, (m.incidents.get(id) ?? 0n) + slice.cost);
        incidentCost.set(id, (incidentCost.get(id) ?? 0n) + slice.cost);
      }
      models.set(a.model, m);
    }
    const outcomes = incidentCost.size === 0 ? new Map() : await this.#store.incidentOutcomes([...incidentCost.keys()].sort());
    const resolved = (id: string): boolean => outcomes.get(id)?.outcome === 'resolved';
    const result: Record<string, ModelEfficiency['models'][string]> = {};
    for (const name of [...models.keys()].sort()) {
      const m = models.get(name) ?? (undefined as never);
      const ids = [...m.incidents.keys()].filter(resolved);
      const spend = ids.reduce((sum, id) => sum + (m.incidents.get(id) ?? 0n), 0n);
      const per1k = divideRounded(m.cost * 1000n, BigInt(m.pricedTokens));
      const perIncident = divideRounded(spend, BigInt(ids.length));
      result[name] = {
        cost: formatUsd(m.cost),
        pricedTokens: m.pricedTokens,
        requests: m.requests,
        unpricedRequests: m.unpriced,
        provisionedRequests: m.provisioned,
        costPer1kTokens: per1k === null ? null : formatUsd(per1k),
        resolvedIncidents: ids.length,
        costPerResolvedIncident: perIncident === null ? null : formatUsd(perIncident),
      };
    }
    const resolvedIds = [...incidentCost.keys()].filter(resolved);
    const spend = resolvedIds.reduce((sum, id) => sum + (incidentCost.get(id) ?? 0n), 0n);
    const perIncident = divideRounded(spend, BigInt(resolvedIds.length));
    return {
      startDate: range.startDate,
      endDate: range.endDate,
      models: result,
      resolvedIncidents: resolvedIds.length,
      costOfResolvedIncidents: formatUsd(spend),
      costPerResolvedIncident: perIncident === null ? null : formatUsd(perIncident),
    };
  }

  /**
   * Cache efficiency over a date range: token hit ratio, dollars saved by cache reads (exact; see the README,
   * "Cache savings"), and cache writes never read back within their TTL (from the events: a heuristic).
   *
   * @example
   * const cache = await analyzer.getCacheEfficiency({ startDate: '2025-03-05', endDate: '2025-03-11' });
   */
  async getCacheEfficiency(range: DateRange): Promise<CacheEfficiency> {
    const aggregates = await this.#aggregatesOfDays(range);
    let cacheRead = 0;
    let cacheWrite = 0;
    let input = 0;
    let readRequests = 0;
    let writeRequests = 0;
    let readCost = 0n;
    let writeCost = 0n;
    const byPrice = new Map<string, { inputTokens: number; inputCost: Money; cacheReadTokens: number; cacheReadCost: Money }>();
    for (const a of aggregates) {
      cacheRead += a.tokens.cacheRead;
      cacheWrite += a.tokens.cacheWrite;
      input += a.tokens.input;
      readRequests += a.cacheReadRequests;
      writeRequests += a.cacheWriteRequests;
      readCost += a.cost.cacheRead;
      writeCost += a.cost.cacheWrite + a.cost.cacheWrite1h;
      for (const [key, slice] of Object.entries(a.byPrice)) {
        const sum = byPrice.get(key) ?? { inputTokens: 0, inputCost: 0n, cacheReadTokens: 0, cacheReadCost: 0n };
        sum.inputTokens += slice.inputTokens;
        sum.inputCost += slice.inputCost;
        sum.cacheReadTokens += slice.cacheReadTokens;
        sum.cacheReadCost += slice.cacheReadCost;
        byPrice.set(key, sum);
      }
    }
    let saved = 0n;
    let withoutRate = 0;
    for (const [key, slice] of byPrice) {
      if (slice.cacheReadTokens === 0) continue;
      const derived = slice.inputTokens > 0 && slice.inputCost % BigInt(slice.inputTokens) === 0n ? slice.inputCost / BigInt(slice.inputTokens) : undefined;
      const rate = derived ?? this.#cacheRates?.perToken(key)?.input;
      if (rate === undefined) withoutRate += slice.cacheReadTokens;
      else saved += BigInt(slice.cacheReadTokens) * rate - slice.cacheReadCost;
    }
    const total = input + cacheRead + cacheWrite;
    return {
      startDate: range.startDate,
      endDate: range.endDate,
      cacheReadTokens: cacheRead,
      cacheWriteTokens: cacheWrite,
      inputTokens: input,
      tokenHitRatio: total === 0 ? null : cacheRead / total,
      cacheReadRequests: readRequests,
      cacheWriteRequests: writeRequests,
      savedByCacheReads: formatUsd(saved),
      cacheReadTokensWithoutRate: withoutRate,
      cacheReadCost: formatUsd(readCost),
      cacheWriteCost: formatUsd(writeCost),
      unreadWrites: await this.#unreadWrites(range),
    };
  }

  async #unreadWrites(range: DateRange): Promise<CacheEfficiency['unreadWrites']> {
    const start = dayStart(range.startDate);
    const end = dayStart(range.endDate) + DAY_MS;
    // Hour by hour (one hour past the range: a write's TTL reaches up to an hour ahead), keeping only the times of
    // cache reads per stream and the cache writes of the range: memory follows the cache traffic, not the events.
    const reads = new Map<string, number[]>();
    const writes: { readonly stream: string; readonly t: number; readonly ttl: number; readonly tokens: number; readonly cost: Money }[] = [];
    const streamOf = (e: UsageEvent): string => `${e.agentId}\u0000${e.resolvedModel ?? e.modelId}\u0000${e.incidentId ?? ''}`;
    for (let hour = start; hour < end + HOUR_MS; hour += HOUR_MS) {
      for (const e of await this.#store.eventsBetween(iso(hour), iso(hour + HOUR_MS))) {
        const t = Date.parse(e.time);
        if (e.usage.cacheReadInputTokens > 0) {
          const times = reads.get(streamOf(e));
          if (times) times.push(t);
          else reads.set(streamOf(e), [t]);
        }
        if (e.usage.cacheWriteInputTokens > 0 && t < end) {
          const ttl = (e.usage.cacheWrite1hTokens ?? 0) > 0 ? HOUR_MS : CACHE_TTL_5M;
          writes.push({ stream: streamOf(e), t, ttl, tokens: e.usage.cacheWriteInputTokens, cost: e.cost ? e.cost.cacheWrite + e.cost.cacheWrite1h : 0n });
        }
      }
    }
    for (const times of reads.values()) times.sort((a, b) => a - b);
    let requests = 0;
    let tokens = 0;
    let cost = 0n;
    for (const { stream, t, ttl, tokens: written, cost: writeCost } of writes) {
      const times = reads.get(stream) ?? [];
      let lo = 0;
      let hi = times.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((times[mid] ?? 0) <= t) lo = mid + 1;
        else hi = mid;
      }
      const next = times[lo];
      if (next !== undefined && next <= t + ttl) continue;
      requests += 1;
      tokens += written;
      cost += writeCost;
    }
    return { requests, tokens, cost: formatUsd(cost) };
  }

  #window(startTime: Date | string, endTime: Date | string): [number, number] {
    const start = toMillis('startTime', startTime);
    const end = toMillis('endTime', endTime);
    if (!(start < end) || end - start > MAX_RANGE_DAYS * DAY_MS) {
      throw new UsageError('INVALID_INPUT', `startTime ${iso(start)} / endTime ${iso(end)} — expected startTime before endTime, at most ${MAX_RANGE_DAYS} days apart`);
    }
    return [start, end];
  }

  async #aggregatesOfDays(range: DateRange): Promise<UsageAggregate[]> {
    assertDay('startDate', range.startDate);
    assertDay('endDate', range.endDate);
    if (range.startDate > range.endDate || daysFrom(range.startDate, range.endDate).length > MAX_RANGE_DAYS) {
      throw new UsageError('INVALID_INPUT', `startDate ${range.startDate} / endDate ${range.endDate} — expected startDate ≤ endDate, at most ${MAX_RANGE_DAYS} days`);
    }
    const days = await Promise.all(daysFrom(range.startDate, range.endDate).map((day) => this.#store.aggregatesOfDay(day)));
    return days.flat();
  }

  /** Aggregates of [start, end): stored ones for whole hours, computed from events for partial hours at the edges. */
  async #aggregatesBetween(start: number, end: number): Promise<UsageAggregate[]> {
    const firstWhole = Math.ceil(start / HOUR_MS) * HOUR_MS;
    const lastWhole = floorTo(end, HOUR_MS);
    if (firstWhole >= lastWhole) return aggregateBucket(await this.#store.eventsBetween(iso(start), iso(end)));
    const out: UsageAggregate[] = [];
    const days = daysFrom(dayOf(firstWhole), dayOf(lastWhole - 1));
    for (const dayAggregates of await Promise.all(days.map((day) => this.#store.aggregatesOfDay(day)))) {
      for (const a of dayAggregates) {
        const t = Date.parse(a.bucket);
        if (t >= firstWhole && t < lastWhole) out.push(a);
      }
    }
    if (start < firstWhole) out.push(...aggregateBucket(await this.#store.eventsBetween(iso(start), iso(firstWhole))));
    if (lastWhole < end) out.push(...aggregateBucket(await this.#store.eventsBetween(iso(lastWhole), iso(end))));
    return out;
  }
}

function emptyLine(): MutableLine {
  return { cost: 0n, tokens: 0, requests: 0, errors: 0, unpricedRequests: 0, provisionedRequests: 0 };
}

function lineOf(map: Map<string, MutableLine>, key: string): MutableLine {
  let line = map.get(key);
  if (!line) {
    line = emptyLine();
    map.set(key, line);
  }
  return line;
}

function addAggregate(line: MutableLine, a: UsageAggregate): void {
  line.cost += a.cost.total;
  line.tokens += a.tokens.total;
  line.requests += a.requests;
  line.errors += a.errors;
  line.unpricedRequests += a.unpriced.requests;
  line.provisionedRequests += a.provisioned.requests;
}

function lines(map: ReadonlyMap<string, MutableLine>): Record<string, CostLine> {
  const out: Record<string, CostLine> = {};
  for (const key of [...map.keys()].sort()) {
    const line = map.get(key) ?? emptyLine();
    out[key] = { ...line, cost: formatUsd(line.cost) };
  }
  return out;
}

function sortedObject(map: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries([...map.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}

function summarize(sketch: LatencySketch): LatencySummary {
  return {
    count: sketch.count,
    avg: sketch.count === 0 ? null : sketch.sum / sketch.count,
    p50: sketchQuantile(sketch, 0.5),
    p95: sketchQuantile(sketch, 0.95),
    p99: sketchQuantile(sketch, 0.99),
    min: sketch.min,
    max: sketch.max,
  };
}

/** `doctor`'s probe events (flag `synthetic`) are stored like any event and counted in no report. */
function isSynthetic(event: UsageEvent): boolean {
  return event.flags.includes('synthetic');
}

/** `store` with synthetic events left out of every event read, so no figure (aggregate or raw-event) sees them. */
function withoutSynthetic(store: UsageStore): UsageStore {
  const real = (events: readonly UsageEvent[]): readonly UsageEvent[] => (events.some(isSynthetic) ? events.filter((event) => !isSynthetic(event)) : events);
  return {
    eventsBetween: async (from, to) => real(await store.eventsBetween(from, to)),
    eventsOfIncident: async (incidentId) => real(await store.eventsOfIncident(incidentId)),
    aggregatesOfDay: (day) => store.aggregatesOfDay(day),
    putAggregates: (aggregates) => store.putAggregates(aggregates),
    incidentOutcomes: (ids) => store.incidentOutcomes(ids),
    putIncidentOutcome: (record) => store.putIncidentOutcome(record),
  };
}
