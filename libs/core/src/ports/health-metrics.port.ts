/**
 * The pipeline's own metrics (the spec's performance, error and system-health metrics), by name with the spec's
 * units and dimensions:
 * - `LoggingErrors` Count {AgentId, LoggingBackend, ErrorType}
 * - `CircuitBreakerTrips` Count {AgentId, Component}
 * - `DynamoDBThrottles` Count {TableName}
 * - `LoggingQueueDepth` Count {AgentId}
 * - `LoggingLatency` Milliseconds {AgentId, LoggingBackend}
 * - `BatchProcessingTime` Milliseconds {LoggingBackend}
 * - `DeliveryLag` Milliseconds {LoggingBackend}: record() → acknowledged by the sink
 */
export type HealthMetricName =
  | 'LoggingErrors'
  | 'CircuitBreakerTrips'
  | 'DynamoDBThrottles'
  | 'LoggingQueueDepth'
  | 'LoggingLatency'
  | 'BatchProcessingTime'
  | 'DeliveryLag';

/**
 * Where the pipeline reports on itself. Implementations aggregate and publish (EMF or PutMetricData); calls are
 * synchronous, cheap and never throw.
 *
 * @example
 * health.count('LoggingErrors', { AgentId: 'jira', LoggingBackend: 'DynamoDB', ErrorType: 'Throttling' });
 */
export interface HealthMetrics {
  count(name: HealthMetricName, dimensions: Readonly<Record<string, string>>, value?: number): void;
  /** A sampled level (queue depth). */
  gauge(name: HealthMetricName, dimensions: Readonly<Record<string, string>>, value: number): void;
  /** A duration in milliseconds. */
  timing(name: HealthMetricName, dimensions: Readonly<Record<string, string>>, ms: number): void;
}

/**
 * Health metrics that report nowhere: for a part whose owner reads no health (a one-shot command, an EMF-less
 * pipeline).
 *
 * @example
 * new DynamoDbUsageStore({ client, tableName, health: NO_HEALTH_METRICS });
 */
export const NO_HEALTH_METRICS: HealthMetrics = Object.freeze({ count() {}, gauge() {}, timing() {} });
