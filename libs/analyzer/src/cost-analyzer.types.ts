/**
 * Cost and volume of one slice of a report (an agent, a model, an incident, a time bucket). Money is an exact
 * decimal string of USD over the priced events; unpriced and provisioned usage are counted beside it, never as $0.
 *
 * @example
 * report.breakdown.byAgent['jira']!.cost; // "12.000437500000001"
 */
export interface CostLine {
  readonly cost: string;
  readonly tokens: number;
  readonly requests: number;
  readonly errors: number;
  readonly unpricedRequests: number;
  readonly provisionedRequests: number;
}

/**
 * Usage that has no per-token cost, reported as such.
 *
 * @example
 * if (report.unpriced.requests > 0) console.warn(`${report.unpriced.requests} calls are not priced`);
 */
export interface UncostedLine {
  readonly requests: number;
  readonly tokens: number;
}

/**
 * `generateDailyCostReport(date)`: read from the day's aggregates only.
 *
 * @example
 * const report: DailyCostReport = await analyzer.generateDailyCostReport('2025-03-11');
 */
export interface DailyCostReport {
  readonly date: string;
  /** Exact decimal USD of the priced events; equals the sum of `breakdown.byAgent[*].cost` (and of byModel). */
  readonly totalCost: string;
  readonly totalTokens: number;
  readonly requestCount: number;
  /** Outcome `error`. */
  readonly errorCount: number;
  /** Outcome `rejected` (billed, usage unreadable). */
  readonly rejectedCount: number;
  readonly errorsByCode: Readonly<Record<string, number>>;
  readonly pricedRequests: number;
  readonly unpriced: UncostedLine;
  readonly provisioned: UncostedLine;
  /** True when every event with usage is priced (no unpriced and no provisioned usage). */
  readonly complete: boolean;
  readonly costByComponent: { readonly input: string; readonly output: string; readonly cacheRead: string; readonly cacheWrite: string; readonly cacheWrite1h: string };
  readonly breakdown: {
    readonly byAgent: Readonly<Record<string, CostLine>>;
    readonly byModel: Readonly<Record<string, CostLine>>;
    /** Events with an incident only. */
    readonly byIncident: Readonly<Record<string, CostLine>>;
  };
  /** Late events changed this day's figures after it was closed. */
  readonly restated: boolean;
  /** When it was last restated (ISO), or null. */
  readonly restatedAt: string | null;
  /** Aggregates read to build the report (O(hours × agents × models), not O(events)). */
  readonly aggregatesRead: number;
}

/**
 * A date range, both days included (UTC, `YYYY-MM-DD`).
 *
 * @example
 * const range: DateRange = { startDate: '2025-03-01', endDate: '2025-03-31' };
 */
export interface DateRange {
  readonly startDate: string;
  readonly endDate: string;
}

/**
 * One agent in {@link AgentCostBreakdown}.
 *
 * @example
 * breakdown.agents['jira']!.topModels[0]!.model;
 */
export interface AgentCost {
  readonly totalCost: string;
  readonly tokens: number;
  readonly requests: number;
  readonly errors: number;
  readonly pricedRequests: number;
  readonly unpriced: UncostedLine;
  readonly provisioned: UncostedLine;
  /** totalCost / pricedRequests, rounded half away from zero to the femto-dollar; null without priced requests. */
  readonly costPerRequest: string | null;
  /** The agent's models by cost, most expensive first (at most `topModels`, @default 3). */
  readonly topModels: readonly { readonly model: string; readonly cost: string; readonly tokens: number; readonly requests: number }[];
}

/**
 * `generateAgentCostBreakdown({ startDate, endDate })`.
 *
 * @example
 * Object.entries(b.agents).sort(([, x], [, y]) => compareUsd(y.totalCost, x.totalCost)).slice(0, 5);
 */
export interface AgentCostBreakdown extends DateRange {
  readonly totalCost: string;
  readonly agents: Readonly<Record<string, AgentCost>>;
}

/**
 * Granularity of {@link CostAnalyzer.getCostTrends}.
 *
 * @example
 * const granularity: TrendGranularity = 'daily';
 */
export type TrendGranularity = 'hourly' | 'daily' | 'weekly';

/**
 * One point of a cost trend: `date` is the hour (ISO), the day, or the ISO week's Monday.
 *
 * @example
 * for (const { date, cost } of trends.points) console.log(date, cost);
 */
export interface TrendPoint {
  readonly date: string;
  readonly cost: string;
  readonly tokens: number;
  readonly requests: number;
  readonly unpricedRequests: number;
}

/**
 * One ISO week of a trend and its growth over the week before (clipped to the range).
 *
 * @example
 * trends.weekOverWeek.map((w) => `${w.week}: ${w.cost} (${w.growthPercent ?? 'n/a'} %)`);
 */
export interface WeekOverWeek {
  /** `2025-W11`. */
  readonly week: string;
  readonly weekStart: string;
  readonly cost: string;
  readonly tokens: number;
  /** (cost − previous) / previous × 100, exact then rounded to 2 decimals; null for the first week or after a $0 week. */
  readonly growthPercent: string | null;
}

/**
 * `getCostTrends(...)`.
 *
 * @example
 * const { points, weekOverWeek } = await analyzer.getCostTrends({ startDate, endDate, granularity: 'daily' });
 */
export interface CostTrends extends DateRange {
  readonly granularity: TrendGranularity;
  readonly points: readonly TrendPoint[];
  readonly weekOverWeek: readonly WeekOverWeek[];
}

/**
 * avg / p50 / p95 / p99 of a latency, in ms; percentiles within the sketch's relative error (≈ 1 %). Null figures
 * when there is no sample.
 *
 * @example
 * perf.apiLatency.p95; // 1873.2
 */
export interface LatencySummary {
  readonly count: number;
  readonly avg: number | null;
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
  readonly min: number | null;
  readonly max: number | null;
}

/**
 * `getPerformanceMetrics({ startTime, endTime })`.
 *
 * @example
 * console.log(`Average API latency: ${perf.avgApiLatency?.toFixed(2)}ms, p95 ${perf.p95ApiLatency?.toFixed(2)}ms`);
 */
export interface PerformanceMetrics {
  readonly startTime: string;
  readonly endTime: string;
  readonly requests: number;
  /** errors / requests (0 when none). */
  readonly errorRate: number;
  readonly avgApiLatency: number | null;
  readonly p50ApiLatency: number | null;
  readonly p95ApiLatency: number | null;
  readonly p99ApiLatency: number | null;
  /** The tracked client's wall-clock latency (`apiLatencyMs`). */
  readonly apiLatency: LatencySummary;
  /** Bedrock's own invocation latency (`latencyMs`), where reported. */
  readonly bedrockLatency: LatencySummary;
  /** From the optional {@link LoggingLatencySource}; null without one (it is a health metric, not stored per event). */
  readonly loggingLatency: LatencySummary | null;
  readonly byAgent: Readonly<Record<string, { readonly apiLatency: LatencySummary; readonly bedrockLatency: LatencySummary }>>;
  readonly byModel: Readonly<Record<string, { readonly apiLatency: LatencySummary; readonly bedrockLatency: LatencySummary }>>;
}

/**
 * Granularity of {@link CostAnalyzer.getThroughputMetrics}.
 *
 * @example
 * const granularity: ThroughputGranularity = '5min';
 */
export type ThroughputGranularity = '1min' | '5min' | '1h';

/**
 * One throughput bucket: `requestsPerSecond` = requests / seconds of the bucket inside the window.
 *
 * @example
 * console.log(`${point.timestamp}: ${point.requestsPerSecond.toFixed(2)} req/s`);
 */
export interface ThroughputPoint {
  readonly timestamp: string;
  readonly requests: number;
  readonly requestsPerSecond: number;
}

/**
 * `getIncidentCost(incidentId)`: read from the incident's events (byIncident index).
 *
 * @example
 * const { cost, agents, durationMs } = await analyzer.getIncidentCost('INC-20250311-0042');
 */
export interface IncidentCost {
  readonly incidentId: string;
  readonly cost: string;
  readonly tokens: number;
  readonly requests: number;
  readonly errors: number;
  readonly unpriced: UncostedLine;
  readonly provisioned: UncostedLine;
  readonly agents: readonly string[];
  readonly models: readonly string[];
  /** ISO times; null when the incident has no event. */
  readonly firstCall: string | null;
  readonly lastCall: string | null;
  readonly durationMs: number;
  readonly outcome: string | null;
}

/**
 * `getModelEfficiency({ startDate, endDate })`: cost per 1k tokens and per successful (resolved) incident.
 *
 * @example
 * eff.models['amazon.nova-micro-v1:0']!.costPer1kTokens;
 */
export interface ModelEfficiency extends DateRange {
  readonly models: Readonly<
    Record<
      string,
      {
        readonly cost: string;
        readonly pricedTokens: number;
        readonly requests: number;
        readonly unpricedRequests: number;
        readonly provisionedRequests: number;
        /** cost × 1000 / pricedTokens, femto-rounded; null without priced tokens. */
        readonly costPer1kTokens: string | null;
        /** Resolved incidents that used this model in the range. */
        readonly resolvedIncidents: number;
        /** This model's spend on resolved incidents / resolvedIncidents (femto-rounded), null when none. */
        readonly costPerResolvedIncident: string | null;
      }
    >
  >;
  /** All models: spend on resolved incidents in the range / resolved incidents. */
  readonly resolvedIncidents: number;
  readonly costOfResolvedIncidents: string;
  readonly costPerResolvedIncident: string | null;
}

/**
 * `getCacheEfficiency({ startDate, endDate })`.
 *
 * @example
 * console.log(`hit ratio ${cache.tokenHitRatio}, saved $${cache.savedByCacheReads}`);
 */
export interface CacheEfficiency extends DateRange {
  readonly cacheReadTokens: number;
  readonly cacheWriteTokens: number;
  readonly inputTokens: number;
  /** cacheRead / (input + cacheRead + cacheWrite) tokens; null when there is no input at all. */
  readonly tokenHitRatio: number | null;
  readonly cacheReadRequests: number;
  readonly cacheWriteRequests: number;
  /** Σ cacheReadTokens × input rate − cost of the cache reads, exact (see the README, "Cache savings"). */
  readonly savedByCacheReads: string;
  /** Cache-read tokens whose input rate was not known (no uncached input of that price entry, no CacheRates): not in the saving. */
  readonly cacheReadTokensWithoutRate: number;
  readonly cacheReadCost: string;
  readonly cacheWriteCost: string;
  /** Cache writes with no later cache read by the same agent, model and incident within their TTL (a heuristic: events carry no cache key). */
  readonly unreadWrites: { readonly requests: number; readonly tokens: number; readonly cost: string };
}

/**
 * What `refreshAggregates(events)` did.
 *
 * @example
 * const { restatedDays } = await analyzer.refreshAggregates(batch);
 */
export interface AggregateRefresh {
  /** Distinct events in the batch. */
  readonly events: number;
  /** Hours recomputed. */
  readonly hours: number;
  /** Aggregates whose content changed and were written. */
  readonly written: number;
  /** Closed days whose figures changed (their reports say restated). */
  readonly restatedDays: readonly string[];
  /** Events of hours beyond `lateEventHorizonMs` (their raw events may have expired): not aggregated. */
  readonly tooLate: number;
}

/**
 * {@link CostAnalyzer.getErrorBreakdown}: failed calls by error code, most frequent first.
 *
 * @example
 * const throttled = breakdown.byCode['ThrottlingException']?.count ?? 0;
 */
export interface ErrorBreakdown {
  readonly startTime: string;
  readonly endTime: string;
  readonly requests: number;
  /** Outcome `error` (the sum of `byCode` counts). */
  readonly errors: number;
  /** errors / requests (0 when none). */
  readonly errorRate: number;
  readonly byCode: Readonly<Record<string, { readonly count: number; readonly byAgent: Readonly<Record<string, number>>; readonly byModel: Readonly<Record<string, number>> }>>;
}
