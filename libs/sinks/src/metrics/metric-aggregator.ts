import { systemClock, UsageError, usdToNumber, type Clock, type HealthMetricName, type UsageEvent } from '@bedrock-usage/core';

import {
  INCIDENT_DIMENSION_SETS,
  METRIC_CATALOG,
  METRIC_NAMES,
  PUBLISHED_DIMENSION_SETS,
  type DimensionSet,
  type MetricName,
  type MetricUnit,
} from './metric-catalog';

/** The value IncidentIds beyond the cap are folded into. */
export const OTHER_INCIDENT = 'other';
const MINUTE_MS = 60_000;
const MAX_DIMENSION_VALUE = 1024;

/**
 * IncidentId as a metric dimension: each value is a new billed custom metric, so at most `maxValues` distinct
 * incidents per period get their own series; the rest are published as IncidentId `other`. The real IncidentId is
 * always kept in the store, the log line and the EMF properties.
 *
 * @example
 * const incidentDimension: IncidentDimensionOptions = { maxValues: 20 };
 */
export interface IncidentDimensionOptions {
  /** Distinct IncidentId values per period (1–1000). */
  readonly maxValues: number;
  /**
   * Length of a period in ms (CloudWatch bills custom metrics per hour they receive data).
   * @default 3_600_000
   */
  readonly periodMs?: number;
}

/**
 * Options of {@link MetricAggregator}.
 *
 * @example
 * new MetricAggregator({ metrics: ['EstimatedCost'], incidentDimension: { maxValues: 10 } });
 */
export interface MetricAggregatorOptions {
  /**
   * The metrics to produce (this producer's share, from `validateMetricProducers`).
   * @default every metric of the catalog
   */
  readonly metrics?: readonly MetricName[];
  /**
   * IncidentId as a metric dimension, capped.
   * @default undefined (off: IncidentId is never a metric dimension)
   */
  readonly incidentDimension?: IncidentDimensionOptions;
  /**
   * Clock of the cardinality guard's periods and of events with an unreadable time.
   * @default systemClock
   */
  readonly clock?: Clock;
}

/**
 * One value of one metric in one series: a metric name, its dimension values (in the published set's order) and the
 * start of the minute it belongs to.
 *
 * @example
 * const observation: MetricObservation = { name: 'Requests', unit: 'Count', dimensions: {}, timestamp: 1741687200000, value: 1 };
 */
export interface MetricObservation {
  readonly name: MetricName;
  readonly unit: MetricUnit;
  readonly dimensions: Readonly<Record<string, string>>;
  /** Start of the minute, ms since the epoch. */
  readonly timestamp: number;
  readonly value: number;
}

/**
 * One aggregated series of a window: distinct values with how often each occurred (so percentiles survive).
 *
 * @example
 * const series: MetricSeries = { ...observation, values: [342, 510], counts: [3, 1] };
 */
export interface MetricSeries {
  readonly name: MetricName;
  readonly unit: MetricUnit;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly timestamp: number;
  readonly values: readonly number[];
  readonly counts: readonly number[];
}

/** CloudWatch dimension values: 1–1024 ASCII characters, at least one not whitespace. */
function dimensionValue(value: string): string {
  const ascii = value.replace(/[^\x20-\x7e]/g, '?').slice(0, MAX_DIMENSION_VALUE);
  return ascii.trim() === '' ? 'unknown' : ascii;
}

function minuteOf(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

/**
 * Turns usage events and health reports into {@link MetricObservation}s for every published dimension set, applying
 * the producer's metric share and the IncidentId cardinality guard. Stateful only through the guard.
 *
 * @example
 * const aggregator = new MetricAggregator();
 * const window = new MetricWindow();
 * for (const event of batch) window.add(aggregator.observeEvent(event));
 */
export class MetricAggregator {
  readonly #metrics: ReadonlySet<MetricName>;
  readonly #clock: Clock;
  readonly #maxIncidents: number;
  readonly #periodMs: number;
  #period = Number.NaN;
  readonly #incidents = new Set<string>();

  constructor(options: MetricAggregatorOptions = {}) {
    this.#metrics = new Set(options.metrics ?? METRIC_NAMES);
    this.#clock = options.clock ?? systemClock;
    const incident = options.incidentDimension;
    this.#maxIncidents = incident?.maxValues ?? 0;
    this.#periodMs = incident?.periodMs ?? 3_600_000;
    if (incident && (!Number.isInteger(incident.maxValues) || incident.maxValues < 1 || incident.maxValues > 1000)) {
      throw new UsageError('INVALID_CONFIG', `incidentDimension.maxValues is ${String(incident.maxValues)} — use a whole number from 1 to 1000, or leave incidentDimension out to keep IncidentId off the metrics`);
    }
    if (incident && (!Number.isInteger(this.#periodMs) || this.#periodMs < MINUTE_MS)) {
      throw new UsageError('INVALID_CONFIG', `incidentDimension.periodMs is ${String(incident.periodMs)} — use a whole number of ms of at least 60000`);
    }
  }

  /** True when this producer publishes `name`. */
  publishes(name: MetricName): boolean {
    return this.#metrics.has(name);
  }

  /**
   * The IncidentId dimension value for an incident: itself while the period has room, else `other`; undefined when
   * the dimension is off or the event has no incident.
   */
  incidentDimension(incidentId: string | undefined): string | undefined {
    if (this.#maxIncidents === 0 || incidentId === undefined || incidentId === '') return undefined;
    const period = Math.floor(this.#clock.now() / this.#periodMs);
    if (period !== this.#period) {
      this.#period = period;
      this.#incidents.clear();
    }
    const value = dimensionValue(incidentId);
    if (this.#incidents.has(value)) return value;
    if (this.#incidents.size < this.#maxIncidents) {
      this.#incidents.add(value);
      return value;
    }
    return OTHER_INCIDENT;
  }

  /** Every observation of one event (call once per event: the cardinality guard counts it). */
  observeEvent(event: UsageEvent): MetricObservation[] {
    const parsed = Date.parse(event.time);
    const timestamp = minuteOf(Number.isFinite(parsed) ? parsed : this.#clock.now());
    const values: Record<string, string> = { AgentId: dimensionValue(event.agentId), ModelId: dimensionValue(event.modelId) };
    if (event.outcome === 'error') values.ErrorCode = dimensionValue(event.errorCode ?? 'Unknown');
    const incident = this.incidentDimension(event.incidentId);
    if (incident !== undefined) values.IncidentId = incident;
    const usage = event.usage;
    const perMetric: [MetricName, number | undefined][] = [
      ['InputTokens', usage.inputTokens],
      ['OutputTokens', usage.outputTokens],
      ['TotalTokens', usage.totalTokens],
      ['CacheReadInputTokens', usage.cacheReadInputTokens],
      ['CacheWriteInputTokens', usage.cacheWriteInputTokens],
      ['EstimatedCost', event.cost === null ? undefined : usdToNumber(event.cost.total)],
      ['APILatency', event.apiLatencyMs],
      ['RequestsPerSecond', 1 / 60],
      ['Requests', 1],
      ['APIErrors', event.outcome === 'error' ? 1 : undefined],
    ];
    const observations: MetricObservation[] = [];
    for (const [name, value] of perMetric) {
      if (value === undefined) continue;
      const sets = incident === undefined ? PUBLISHED_DIMENSION_SETS[name] : [...PUBLISHED_DIMENSION_SETS[name], ...(INCIDENT_DIMENSION_SETS[name] ?? [])];
      this.#observe(observations, name, sets, values, timestamp, value);
    }
    return observations;
  }

  /** The observations of one health report, for each published set whose dimensions the report carries. */
  observeHealth(name: HealthMetricName, dimensions: Readonly<Record<string, string>>, value: number): MetricObservation[] {
    const values: Record<string, string> = {};
    for (const [key, raw] of Object.entries(dimensions)) values[key] = dimensionValue(raw);
    const observations: MetricObservation[] = [];
    this.#observe(observations, name, PUBLISHED_DIMENSION_SETS[name], values, minuteOf(this.#clock.now()), value);
    return observations;
  }

  #observe(
    into: MetricObservation[],
    name: MetricName,
    sets: readonly DimensionSet[],
    values: Readonly<Record<string, string>>,
    timestamp: number,
    value: number,
  ): void {
    if (!this.#metrics.has(name) || !Number.isFinite(value)) return;
    const unit = METRIC_CATALOG[name].unit;
    for (const set of sets) {
      if (!set.every((dimension) => values[dimension] !== undefined)) continue;
      const dimensions: Record<string, string> = {};
      for (const dimension of set) dimensions[dimension] = values[dimension];
      into.push({ name, unit, dimensions, timestamp, value });
    }
  }
}

interface SeriesState {
  readonly name: MetricName;
  readonly unit: MetricUnit;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly timestamp: number;
  readonly counts: Map<number, number>;
}

/**
 * A window of observations aggregated per series (metric + dimension values + minute) into distinct values and
 * their counts — values and counts, not statistic sets, so p95/p99 can be computed by CloudWatch.
 *
 * @example
 * const window = new MetricWindow();
 * window.add(observations);
 * for (const series of window.series()) publish(series);
 */
export class MetricWindow {
  readonly #series = new Map<string, SeriesState>();

  /** Number of series in the window. */
  get size(): number {
    return this.#series.size;
  }

  /** Adds observations; with `maxSeries`, those that would open a series beyond it are refused and counted. */
  add(observations: readonly MetricObservation[], maxSeries = Number.POSITIVE_INFINITY): number {
    let refused = 0;
    for (const observation of observations) {
      if (!this.#merge(observation, observation.value, 1, maxSeries)) refused += 1;
    }
    return refused;
  }

  /** Adds whole series back (a publish that failed and will be retried). */
  merge(series: readonly MetricSeries[]): void {
    for (const one of series) one.values.forEach((value, i) => this.#merge(one, value, one.counts[i], Number.POSITIVE_INFINITY));
  }

  #merge(at: Omit<MetricObservation, 'value'>, value: number, count: number, maxSeries: number): boolean {
    let key = `${at.name}\u0000${at.timestamp}`;
    for (const dimension in at.dimensions) key += `\u0000${dimension}\u0001${at.dimensions[dimension]}`;
    let state = this.#series.get(key);
    if (!state) {
      if (this.#series.size >= maxSeries) return false;
      state = { name: at.name, unit: at.unit, dimensions: at.dimensions, timestamp: at.timestamp, counts: new Map() };
      this.#series.set(key, state);
    }
    state.counts.set(value, (state.counts.get(value) ?? 0) + count);
    return true;
  }

  /** The aggregated series, in insertion order. */
  series(): MetricSeries[] {
    return [...this.#series.values()].map(({ counts, ...rest }) => ({ ...rest, values: [...counts.keys()], counts: [...counts.values()] }));
  }
}
