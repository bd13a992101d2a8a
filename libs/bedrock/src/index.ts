export { BedrockInferenceProfileResolver, modelIdOfProfile } from './bedrock-inference-profile-resolver';
export type { BedrockInferenceProfileResolverOptions } from './bedrock-inference-profile-resolver';
export { trackBedrockClient } from './tracked-bedrock-client';
export type { FallbackChains, TrackedBedrockClientOptions, UsagePricer } from './tracked-bedrock-client.types';
