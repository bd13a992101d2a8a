export { stderrJsonLogger } from './pipeline-logger';
export type { PipelineLogger } from './pipeline-logger';
export { isRecoveringSink } from './recovering-sink.port';
export type { RecoveringSink } from './recovering-sink.port';
export { UsagePipeline } from './usage-pipeline';
export type { PipelineStats, ShutdownOptions, ShutdownReport, UsagePipelineOptions } from './usage-pipeline';
