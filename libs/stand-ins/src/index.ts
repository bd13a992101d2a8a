export { startBedrockStandIn } from './bedrock-stand-in';
export type {
  BedrockStandIn,
  BedrockStandInOptions,
  ConverseStreamEventName,
  RecordedRequest,
  StandInApi,
  StandInFault,
  StandInFaultRates,
  StandInFaults,
  StandInInferenceProfile,
  StandInLatency,
  StandInJsonResponse,
  StandInRequest,
  StandInResponder,
  StandInResponse,
  StandInStreamEvent,
  StandInStreamResponse,
} from './bedrock-stand-in.types';
export { bedrockErrorResponse, createDefaultBedrockResponder, defaultBedrockResponder } from './default-bedrock-responder';
export type { DefaultBedrockResponderOptions } from './default-bedrock-responder';
export { FAULT_MODES, INJECTED_THROTTLES, startFaultProxy } from './fault-proxy';
export type { FaultMode, FaultProxy, FaultProxyOptions, FaultProxyStats, InjectedThrottle } from './fault-proxy';
export { seededRandom } from './seeded-random';
