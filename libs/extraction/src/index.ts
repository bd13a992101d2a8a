export type {
  ErrorExtraction,
  ExtractionFlag,
  ExtractionResult,
  RawBedrockCall,
  RejectedExtraction,
  StreamExtraction,
  StreamStart,
  UsageExtraction,
  UsageSource,
} from './extraction.types';
export { extractUsage } from './extract-usage';
export { startStreamExtraction } from './stream-extraction';
export { isRetryableBedrockError } from './retryable-errors';
