export { BEDROCK_FIXTURES_DIR, loadBedrockFixtures } from './bedrock-fixtures';
export type { BedrockFixture } from './bedrock-fixtures';
export { startBedrockStandIn } from './bedrock-stand-in';
export type {
  BedrockStandIn,
  BedrockStandInOptions,
  ConverseStreamEventName,
  RecordedRequest,
  StandInApi,
  StandInInferenceProfile,
  StandInJsonResponse,
  StandInRequest,
  StandInResponder,
  StandInResponse,
  StandInStreamEvent,
  StandInStreamResponse,
} from './bedrock-stand-in.types';
export { bedrockErrorResponse, createDefaultBedrockResponder, defaultBedrockResponder } from './default-bedrock-responder';
export type { DefaultBedrockResponderOptions } from './default-bedrock-responder';
export { fixtureResponse } from './fixture-response';
export { InMemoryUsageRecorder } from './in-memory-usage-recorder';
