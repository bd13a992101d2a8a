export type { InferenceProfileResolver, ModelResolution, PriceRequest, PriceResult } from './pricing.types';
