export { BEDROCK_FIXTURES_DIR, loadBedrockFixtures } from './bedrock-fixtures';
export type { BedrockFixture } from './bedrock-fixtures';
export { startDynaliteBehindFaultProxy } from './dynalite-behind-fault-proxy';
export type { DynaliteBehindFaultProxy } from './dynalite-behind-fault-proxy';
export { localDynamoDbClientConfig, startDynalite } from './dynalite-server';
export type { DynaliteServer, LocalDynamoDbClientConfig } from './dynalite-server';
export { startCloudWatchEndpoint } from './cloudwatch-endpoint';
export type {
  CloudWatchEndpoint,
  CloudWatchEndpointOptions,
  CloudWatchFailureKind,
  CloudWatchRequest,
  DecodedMetricDatum,
} from './cloudwatch-endpoint';
export { ExpectedUsageFigures, expectPerformanceWithin } from './expected-usage-figures';
export type { LatencyFigures, PerformanceFigures } from './expected-usage-figures';
export { fixtureResponse } from './fixture-response';
export { InMemoryUsageRecorder } from './in-memory-usage-recorder';
export { InMemoryHealthMetrics } from './in-memory-health-metrics';
export type { HealthMetricReport } from './in-memory-health-metrics';
export { InMemorySpool } from './in-memory-spool';
export type { InMemorySpoolOptions } from './in-memory-spool';
export { InMemoryUsageSink } from './in-memory-usage-sink';
export type { InMemoryUsageSinkOptions, ScriptedFailure } from './in-memory-usage-sink';
export { makeUsageEvent, makeUsageEvents } from './usage-event-factory';
export { GENERATED_AGENTS, GENERATED_MODELS, GENERATED_UNPRICED_MODEL, generateUsage, liveDeliveries } from './usage-generator';
export type { GenerateUsageOptions, GeneratedModel, LiveDelivery, LiveDeliveryOptions } from './usage-generator';
export { describeUsageSinkContract } from './usage-sink-contract';
export type { SinkUnderTest } from './usage-sink-contract';
