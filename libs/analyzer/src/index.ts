export { CostAnalyzer } from './cost-analyzer';
export type { CostAnalyzerOptions } from './cost-analyzer';
export type {
  AgentCost,
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
  TrendPoint,
  UncostedLine,
  WeekOverWeek,
} from './cost-analyzer.types';
export { InMemoryUsageStore } from './in-memory-usage-store';
export { EMPTY_SKETCH, LATENCY_SKETCH_GAMMA, LATENCY_SKETCH_RELATIVE_ERROR, SketchBuilder, mergeSketches, sketchBin, sketchOf, sketchQuantile } from './latency-sketch';
export type { LatencySketch } from './latency-sketch';
export { aggregateBucket, aggregateKey, hourBucket, isProvisioned, isUnpriced, priceKey } from './usage-aggregate';
export type { CostTotals, IncidentSlice, PriceSlice, TokenTotals, UncostedUsage, UsageAggregate } from './usage-aggregate';
export { decodeUsageAggregate, encodeUsageAggregate, sameAggregateContent } from './usage-aggregate.codec';
export type { UsageAggregateRecord } from './usage-aggregate.codec';
export type { CacheRates, IncidentOutcome, IncidentOutcomeRecord, LoggingLatencySource, UsageStore } from './usage-store.port';
