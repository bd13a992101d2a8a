/** Every CloudWatch metric bedrock-usage publishes, in namespace `BedrockUsage` (the seed's 13, plus 4 of ours). */
export type MetricName =
  | 'InputTokens'
  | 'OutputTokens'
  | 'TotalTokens'
  | 'CacheReadInputTokens'
  | 'CacheWriteInputTokens'
  | 'EstimatedCost'
  | 'APILatency'
  | 'RequestsPerSecond'
  | 'Requests'
  | 'APIErrors'
  | 'LoggingLatency'
  | 'LoggingErrors'
  | 'CircuitBreakerTrips'
  | 'LoggingQueueDepth'
  | 'BatchProcessingTime'
  | 'DynamoDBThrottles'
  | 'DeliveryLag';

/** The CloudWatch units we use (a subset of the API's `StandardUnit`). */
export type MetricUnit = 'Count' | 'None' | 'Milliseconds' | 'Count/Second';

/** Every dimension name we publish. */
export type MetricDimension =
  | 'AgentId'
  | 'ModelId'
  | 'IncidentId'
  | 'ErrorCode'
  | 'LoggingBackend'
  | 'ErrorType'
  | 'Component'
  | 'TableName';

/** One combination of dimension names: one CloudWatch metric per distinct combination of their values. */
export type DimensionSet = readonly MetricDimension[];

/** What a metric is and where its values come from. */
export interface MetricDefinition {
  readonly name: MetricName;
  readonly unit: MetricUnit;
  /** `event`: derived from each {@link UsageEvent}; `health`: reported by the pipeline through `HealthMetrics`. */
  readonly source: 'event' | 'health';
  /** The dimensions the seed's table lists for the metric (the union of our published sets, plus IncidentId). */
  readonly seedDimensions: DimensionSet;
  /** `counter`: only the Sum means something (summed before EMF); `distribution`: every value kept (percentiles). */
  readonly kind: 'counter' | 'distribution';
  readonly description: string;
}

function metric(name: MetricName, unit: MetricUnit, source: 'event' | 'health', seedDimensions: DimensionSet, description: string): MetricDefinition {
  const kind = unit === 'Milliseconds' || name === 'LoggingQueueDepth' ? 'distribution' : 'counter';
  return { name, unit, source, seedDimensions, kind, description };
}

const TOKEN_DIMENSIONS: DimensionSet = ['AgentId', 'ModelId', 'IncidentId'];

/**
 * The metric catalog: name → unit, source, the seed's dimensions and meaning.
 *
 * `TotalTokens` is `usage.totalTokens` = input + output + cache read + cache write: every token the model processed,
 * so that `InputTokens + OutputTokens + CacheReadInputTokens + CacheWriteInputTokens = TotalTokens` holds exactly
 * (our `InputTokens` excludes cache tokens; the seed's "input + output" predates prompt caching).
 *
 * @example
 * METRIC_CATALOG.EstimatedCost.unit // 'None' (the values are USD)
 */
export const METRIC_CATALOG: Readonly<Record<MetricName, MetricDefinition>> = {
  InputTokens: metric('InputTokens', 'Count', 'event', TOKEN_DIMENSIONS, 'Uncached input tokens'),
  OutputTokens: metric('OutputTokens', 'Count', 'event', TOKEN_DIMENSIONS, 'Output tokens'),
  TotalTokens: metric('TotalTokens', 'Count', 'event', TOKEN_DIMENSIONS, 'Input + output + cache read + cache write tokens'),
  CacheReadInputTokens: metric('CacheReadInputTokens', 'Count', 'event', TOKEN_DIMENSIONS, 'Input tokens read from the prompt cache'),
  CacheWriteInputTokens: metric('CacheWriteInputTokens', 'Count', 'event', TOKEN_DIMENSIONS, 'Input tokens written to the prompt cache'),
  EstimatedCost: metric('EstimatedCost', 'None', 'event', TOKEN_DIMENSIONS, 'Cost in USD of priced calls (unpriced calls publish no value, never $0)'),
  APILatency: metric('APILatency', 'Milliseconds', 'event', ['AgentId', 'ModelId'], 'Wall-clock time of the Bedrock call as the tracked client measured it'),
  RequestsPerSecond: metric('RequestsPerSecond', 'Count/Second', 'event', ['AgentId', 'ModelId'], 'Each call adds 1/60: the Sum over a 60 s period is that minute\'s mean request rate'),
  Requests: metric('Requests', 'Count', 'event', ['AgentId', 'ModelId'], 'Bedrock calls, any outcome (the denominator of the error-rate KPI)'),
  APIErrors: metric('APIErrors', 'Count', 'event', ['AgentId', 'ModelId', 'ErrorCode'], 'Calls Bedrock answered with an exception'),
  LoggingLatency: metric('LoggingLatency', 'Milliseconds', 'health', ['AgentId', 'LoggingBackend'], 'Cost of logging (see the recorder)'),
  LoggingErrors: metric('LoggingErrors', 'Count', 'health', ['AgentId', 'LoggingBackend', 'ErrorType'], 'Failures of our own pipeline'),
  CircuitBreakerTrips: metric('CircuitBreakerTrips', 'Count', 'health', ['AgentId', 'Component'], 'Breaker openings'),
  LoggingQueueDepth: metric('LoggingQueueDepth', 'Count', 'health', ['AgentId'], 'Events waiting in the pipeline buffer'),
  BatchProcessingTime: metric('BatchProcessingTime', 'Milliseconds', 'health', ['LoggingBackend'], 'Time one sink took for one batch'),
  DynamoDBThrottles: metric('DynamoDBThrottles', 'Count', 'health', ['TableName'], 'Throttled DynamoDB requests and unprocessed items'),
  DeliveryLag: metric('DeliveryLag', 'Milliseconds', 'health', ['LoggingBackend'], 'record() → acknowledged by the sink'),
};

/** Every metric name, in catalog order. */
export const METRIC_NAMES: readonly MetricName[] = Object.keys(METRIC_CATALOG) as MetricName[];

const DETAILED_TOKENS: readonly DimensionSet[] = [[], ['AgentId', 'ModelId']];

/**
 * The exact dimension sets published for each metric — the one list the dashboards and alarms are checked against
 * (CloudWatch does not aggregate across dimensions: a query resolves only to a set listed here). The empty set
 * serves the seed's fleet-wide widgets and alarms (`EstimatedCost`, `TotalTokens`, `APIErrors`, `LoggingErrors`,
 * `APILatency`, `LoggingLatency`, `RequestsPerSecond`, `CircuitBreakerTrips`), `EstimatedCost{AgentId}` the
 * "Cost by Agent" widget, and the seed's full dimensions (without IncidentId) the drill-downs.
 * IncidentId sets are published only when enabled: see {@link INCIDENT_DIMENSION_SETS}.
 *
 * @example
 * PUBLISHED_DIMENSION_SETS.EstimatedCost // [[], ['AgentId'], ['AgentId', 'ModelId']]
 */
export const PUBLISHED_DIMENSION_SETS: Readonly<Record<MetricName, readonly DimensionSet[]>> = {
  InputTokens: DETAILED_TOKENS,
  OutputTokens: DETAILED_TOKENS,
  TotalTokens: DETAILED_TOKENS,
  CacheReadInputTokens: DETAILED_TOKENS,
  CacheWriteInputTokens: DETAILED_TOKENS,
  EstimatedCost: [[], ['AgentId'], ['AgentId', 'ModelId']],
  APILatency: [[], ['AgentId', 'ModelId']],
  RequestsPerSecond: [[], ['AgentId', 'ModelId']],
  Requests: [[], ['AgentId', 'ModelId']],
  APIErrors: [[], ['AgentId', 'ModelId', 'ErrorCode']],
  LoggingLatency: [[], ['AgentId', 'LoggingBackend']],
  LoggingErrors: [[], ['AgentId', 'LoggingBackend', 'ErrorType']],
  CircuitBreakerTrips: [[], ['AgentId', 'Component']],
  LoggingQueueDepth: [['AgentId']],
  BatchProcessingTime: [['LoggingBackend']],
  DynamoDBThrottles: [['TableName']],
  DeliveryLag: [['LoggingBackend']],
};

/**
 * The extra sets published when IncidentId is enabled as a metric dimension (off by default; capped by the
 * cardinality guard): the seed's full token and cost dimensions.
 *
 * @example
 * INCIDENT_DIMENSION_SETS.EstimatedCost // [['AgentId', 'ModelId', 'IncidentId']]
 */
export const INCIDENT_DIMENSION_SETS: Readonly<Partial<Record<MetricName, readonly DimensionSet[]>>> = {
  InputTokens: [TOKEN_DIMENSIONS],
  OutputTokens: [TOKEN_DIMENSIONS],
  TotalTokens: [TOKEN_DIMENSIONS],
  EstimatedCost: [TOKEN_DIMENSIONS],
};
