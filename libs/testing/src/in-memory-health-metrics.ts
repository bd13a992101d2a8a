import type { HealthMetricName, HealthMetrics } from '@bedrock-usage/core';

/**
 * One call made on {@link InMemoryHealthMetrics}.
 *
 * @example
 * health.reports.filter((report: HealthMetricReport) => report.kind === 'gauge');
 */
export interface HealthMetricReport {
  readonly kind: 'count' | 'gauge' | 'timing';
  readonly name: HealthMetricName;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly value: number;
}

/**
 * Core's {@link HealthMetrics} keeping every report in memory, for tests. Filters match when every given dimension
 * is equal (a subset match), so `sum('LoggingErrors', { ErrorType: 'Dropped' })` adds across agents and backends.
 *
 * @example
 * const health = new InMemoryHealthMetrics();
 * const pipeline = new UsagePipeline({ sinks, spool, health });
 * expect(health.sum('LoggingErrors', { ErrorType: 'InvalidEvent' })).toBe(1);
 */
export class InMemoryHealthMetrics implements HealthMetrics {
  readonly #reports: HealthMetricReport[] = [];

  /** Every report, oldest first. */
  get reports(): readonly HealthMetricReport[] {
    return this.#reports;
  }

  count(name: HealthMetricName, dimensions: Readonly<Record<string, string>>, value = 1): void {
    this.#reports.push({ kind: 'count', name, dimensions: { ...dimensions }, value });
  }

  gauge(name: HealthMetricName, dimensions: Readonly<Record<string, string>>, value: number): void {
    this.#reports.push({ kind: 'gauge', name, dimensions: { ...dimensions }, value });
  }

  timing(name: HealthMetricName, dimensions: Readonly<Record<string, string>>, ms: number): void {
    this.#reports.push({ kind: 'timing', name, dimensions: { ...dimensions }, value: ms });
  }

  /** The reports of `name` whose dimensions include every given one. */
  find(name: HealthMetricName, dimensions: Readonly<Record<string, string>> = {}): readonly HealthMetricReport[] {
    return this.#reports.filter(
      (report) => report.name === name && Object.entries(dimensions).every(([key, value]) => report.dimensions[key] === value),
    );
  }

  /** The values of `name` with those dimensions, oldest first. */
  values(name: HealthMetricName, dimensions: Readonly<Record<string, string>> = {}): readonly number[] {
    return this.find(name, dimensions).map((report) => report.value);
  }

  /** The sum of the values of `name` with those dimensions (0 when none). */
  sum(name: HealthMetricName, dimensions: Readonly<Record<string, string>> = {}): number {
    return this.values(name, dimensions).reduce((total, value) => total + value, 0);
  }

  /** Forgets every report. */
  clear(): void {
    this.#reports.length = 0;
  }
}
