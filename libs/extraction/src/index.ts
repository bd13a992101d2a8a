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
