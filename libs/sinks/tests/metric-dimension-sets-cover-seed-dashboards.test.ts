import { makeUsageEvent } from '@bedrock-usage/testing';

import { MetricAggregator, MetricWindow, PUBLISHED_DIMENSION_SETS, METRIC_CATALOG, type MetricName } from '../src';

/**
 * Every metric series the seed's dashboards and alarms query (spec/monitoring-guide.md), as
 * [where, metric, dimension names]. CloudWatch does not aggregate across dimensions, so each must be published as is.
 */
const SEED_QUERIES: readonly [string, string, readonly string[]][] = [
  ['Overview "Hourly Cost and Token Usage"', 'EstimatedCost', []],
  ['Overview "Hourly Cost and Token Usage"', 'TotalTokens', []],
  ['Overview "Cost by Agent" (cloud-engineer … operations)', 'EstimatedCost', ['AgentId']],
  ['Overview "Error Rates"', 'APIErrors', []],
  ['Overview "Error Rates"', 'LoggingErrors', []],
  ['Performance "Latency Metrics"', 'APILatency', []],
  ['Performance "Latency Metrics"', 'LoggingLatency', []],
  ['Performance "Request Rate"', 'RequestsPerSecond', []],
  ['Alarm BedrockUsage-DailyCostHigh', 'EstimatedCost', []],
  ['Alarm BedrockUsage-HourlyCostSpike', 'EstimatedCost', []],
  ['Alarm BedrockUsage-APIErrorsHigh', 'APIErrors', []],
  ['Alarm BedrockUsage-LoggingErrorsHigh', 'LoggingErrors', []],
  ['Alarm BedrockUsage-HighLatency', 'APILatency', []],
  ['Alarm BedrockUsage-CircuitBreakerTripped', 'CircuitBreakerTrips', []],
  ['KPI error rate (APIErrors / Requests)', 'Requests', []],
];

/** The seed's metric table: name → unit. */
const SEED_UNITS: Readonly<Record<string, string>> = {
  InputTokens: 'Count', OutputTokens: 'Count', TotalTokens: 'Count', EstimatedCost: 'None', APILatency: 'Milliseconds',
  LoggingLatency: 'Milliseconds', RequestsPerSecond: 'Count/Second', APIErrors: 'Count', LoggingErrors: 'Count',
  CircuitBreakerTrips: 'Count', LoggingQueueDepth: 'Count', BatchProcessingTime: 'Milliseconds', DynamoDBThrottles: 'Count',
};

const key = (names: readonly string[]): string => [...names].sort().join(',');

describe('published dimension sets', () => {
  it.each(SEED_QUERIES)('serve %s: %s{%s}', (_where, metric, dimensions) => {
    // Prepare
    const published = PUBLISHED_DIMENSION_SETS[metric as MetricName];

    // Act
    const found = published?.some((set) => key(set) === key(dimensions));

    // Assess
    expect(found).toBe(true);
  });

  it('cover all 13 seed metrics with the seed units, each set a subset of the seed dimensions', () => {
    // Prepare
    const names = Object.keys(SEED_UNITS) as MetricName[];

    // Act
    const units = Object.fromEntries(names.map((name) => [name, METRIC_CATALOG[name]?.unit]));
    const strays = names.flatMap((name) => PUBLISHED_DIMENSION_SETS[name].flat().filter((d) => !METRIC_CATALOG[name].seedDimensions.includes(d)));

    // Assess
    expect(units).toEqual(SEED_UNITS);
    expect(strays).toEqual([]);
  });

  it('make 5 agents × 4 models with one error code cost 215 event custom metrics (the README figure)', () => {
    // Prepare
    const aggregator = new MetricAggregator();
    const window = new MetricWindow();
    const agents = ['cloud-engineer', 'knowledge-base', 'error-analysis', 'jira', 'operations'];
    const models = ['m1', 'm2', 'm3', 'm4'];

    // Act
    for (const agentId of agents) for (const modelId of models) window.add(aggregator.observeEvent(makeUsageEvent({ agentId, modelId })));
    for (const agentId of agents) for (const modelId of models) window.add(aggregator.observeEvent(makeUsageEvent({ agentId, modelId, outcome: 'error', errorCode: 'ThrottlingException' })));
    const metrics = new Set(window.series().map((s) => `${s.name}${JSON.stringify(s.dimensions)}`));

    // Assess: 9 metrics × (1 + 20) + EstimatedCost{AgentId} × 5 + APIErrors (1 + 20 × 1 error code)
    expect(metrics.size).toBe(215);
  });
});
