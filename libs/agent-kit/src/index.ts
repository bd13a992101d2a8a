export { startUsagePipeline, trackUsage } from './usage-tracking';
export type { StartedUsagePipeline, UsagePipelineOptions, UsageTracking, UsageTrackingOptions } from './usage-tracking';
