export { ConfigInferenceProfileResolver } from './config-inference-profile-resolver';
export { resolveModelId } from './model-id';
export { PriceBook } from './price-book';
export { parsePriceOverrides } from './price-overrides';
export type {
  InferenceProfileResolver,
  ModelResolution,
  PriceBookOptions,
  PriceEntry,
  PriceListing,
  PriceMode,
  PriceOverrides,
  PriceRequest,
  PriceResult,
} from './pricing.types';
