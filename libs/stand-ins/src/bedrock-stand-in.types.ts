import type { BedrockApi } from '@bedrock-usage/core';

/**
 * The routes the stand-in serves: the four runtime APIs and the control-plane GetInferenceProfile.
 *
 * @example
 * standIn.requests.filter((r) => r.api === 'GetInferenceProfile').length
 */
export type StandInApi = BedrockApi | 'GetInferenceProfile';

/**
 * The ConverseStream event names (members of the SDK's `ConverseStreamOutput` union).
 *
 * @example
 * const event: StandInStreamEvent = { event: 'messageStart' satisfies ConverseStreamEventName, payload: { role: 'assistant' } };
 */
export type ConverseStreamEventName =
  | 'messageStart'
  | 'contentBlockStart'
  | 'contentBlockDelta'
  | 'contentBlockStop'
  | 'messageStop'
  | 'metadata';

/**
 * One runtime call as the responder sees it.
 *
 * @example
 * standIn.respondWith((req: StandInRequest) => (req.api === 'Converse' ? converseAnswer : bedrockErrorResponse('ValidationException')));
 */
export interface StandInRequest {
  readonly api: BedrockApi;
  /** The model id, profile id or ARN as called (percent-decoded from the path). */
  readonly modelId: string;
  /** For a registered application inference profile ARN: the model it routes to; otherwise `modelId`. */
  readonly foundationModelId: string;
  /** The parsed request JSON (a string when the body is not JSON). */
  readonly body: unknown;
  /** Request headers, names lower-case. */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * A whole (non-stream) answer: HTTP status, extra headers and a JSON body (a string body is sent as is).
 *
 * @example
 * const answer: StandInJsonResponse = { status: 200, headers: { 'X-Amzn-Bedrock-Input-Token-Count': '12' }, body: { generation: '…' } };
 */
export interface StandInJsonResponse {
  readonly status: number;
  /** Sent as given; `x-amzn-requestid` and `content-type: application/json` are added when missing. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: unknown;
  /** Wait this long before answering. @default 0 */
  readonly delayMs?: number;
}

/**
 * One event of a streamed answer.
 *
 * @example
 * const events: StandInStreamEvent[] = [{ chunk: { type: 'message_start' } }, { exception: 'throttlingException', message: 'slow down' }];
 */
export type StandInStreamEvent =
  /** InvokeModelWithResponseStream: the model's JSON chunk; sent as `{"bytes": base64(JSON)}` with `:event-type: chunk`. */
  | { readonly chunk: object }
  /** ConverseStream: one event of the `ConverseStreamOutput` union. */
  | { readonly event: ConverseStreamEventName; readonly payload: object }
  /** An exception event (`:message-type: exception`), e.g. `throttlingException` (PascalCase is accepted too). */
  | { readonly exception: string; readonly message: string };

/**
 * A streamed answer (HTTP 200, `application/vnd.amazon.eventstream`).
 *
 * @example
 * const cut: StandInStreamResponse = { stream: events, cutAfter: 2, delayMs: 5 };
 */
export interface StandInStreamResponse {
  readonly stream: readonly StandInStreamEvent[];
  /** Extra response headers. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Destroy the connection's stream after this many events, to simulate a network cut. */
  readonly cutAfter?: number;
  /** Wait this long before each event. @default 0 */
  readonly delayMs?: number;
}

/**
 * What a responder answers: a whole JSON response or a stream.
 *
 * @example
 * const answer: StandInResponse = 'stream' in scripted ? scripted : { status: 200, body: {} };
 */
export type StandInResponse = StandInJsonResponse | StandInStreamResponse;

/**
 * Decides the answer to each runtime call; may be async.
 *
 * @example
 * const slow: StandInResponder = async (req) => ({ ...(await defaultBedrockResponder(req)), delayMs: 50 });
 */
export type StandInResponder = (request: StandInRequest) => StandInResponse | Promise<StandInResponse>;

/**
 * An application inference profile GetInferenceProfile knows about.
 *
 * @example
 * standIn.registerInferenceProfile({ arn: 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc', modelId: 'amazon.nova-lite-v1:0' });
 */
export interface StandInInferenceProfile {
  /** e.g. `arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6`. */
  readonly arn: string;
  /** The foundation model it routes to, e.g. `anthropic.claude-3-5-haiku-20241022-v1:0`. */
  readonly modelId: string;
  /** @default the id after the last `/` of the ARN */
  readonly name?: string;
}

/**
 * One request the stand-in received (test-only: it keeps the prompt as sent).
 *
 * @example
 * expect(standIn.requests.at(-1)).toMatchObject({ api: 'ConverseStream', protocol: 'h2' });
 */
export interface RecordedRequest {
  readonly method: string;
  /** The raw path, still percent-encoded. */
  readonly path: string;
  /** Null for a route the stand-in does not serve. */
  readonly api: StandInApi | null;
  /** Model id (runtime) or profile identifier (control plane), percent-decoded; null otherwise. */
  readonly modelId: string | null;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
  /** `h2` or `http/1.1`. */
  readonly protocol: 'h2' | 'http/1.1';
  /** The request id the stand-in answered with. */
  readonly requestId: string;
  /** The fault injected into this request by the `faults` rates, if one was. */
  readonly fault?: StandInFault;
}

/**
 * A fault the stand-in injects: an error response (`ThrottlingException` 429, `ServiceUnavailableException` 503,
 * `InternalServerException` 500) or `timeout` (no answer; a stream stalls after its first event).
 *
 * @example
 * const throttled = standIn.requests.filter((r) => r.fault === ('ThrottlingException' satisfies StandInFault)).length;
 */
export type StandInFault = 'ThrottlingException' | 'ServiceUnavailableException' | 'InternalServerException' | 'timeout';

/**
 * How often each fault is injected, as probabilities in [0, 1] whose sum is at most 1 (one seeded draw per request).
 *
 * @example
 * const rates: StandInFaultRates = { throttlingRate: 0.3, serviceUnavailableRate: 0.05 };
 */
export interface StandInFaultRates {
  /** HTTP 429 `ThrottlingException`. @default 0 */
  readonly throttlingRate?: number;
  /** HTTP 503 `ServiceUnavailableException`. @default 0 */
  readonly serviceUnavailableRate?: number;
  /** HTTP 500 `InternalServerException`. @default 0 */
  readonly internalErrorRate?: number;
  /** No answer for `stallMs` (JSON APIs: no response at all; stream APIs: the headers and first event, then silence). @default 0 */
  readonly timeoutRate?: number;
}

/**
 * Deterministic error injection: the global rates, optionally replaced per model id. Each model id (as called) draws
 * from its own PRNG seeded by `seed` and the id, so the same seed gives the same faults in the same order of calls to
 * that model, whatever the other models' traffic.
 *
 * @example
 * await startBedrockStandIn({ faults: { seed: 7, models: { 'anthropic.claude-3-haiku-20240307-v1:0': { throttlingRate: 1 } } } });
 */
export interface StandInFaults extends StandInFaultRates {
  /** @default 1 */
  readonly seed?: number;
  /** How long a `timeout` fault keeps the request unanswered before resetting it (ends early when the client gives up). @default 30000 */
  readonly stallMs?: number;
  /** Rates for one model id as called (exact match), replacing the global rates for it. @default {} */
  readonly models?: Readonly<Record<string, StandInFaultRates>>;
}

/**
 * Added latency before each runtime answer: `fixedMs` plus a seeded uniform jitter in [0, `jitterMs`).
 *
 * @example
 * await startBedrockStandIn({ latency: { fixedMs: 40, jitterMs: 20, seed: 3 } });
 */
export interface StandInLatency {
  /** @default 0 */
  readonly fixedMs?: number;
  /** @default 0 */
  readonly jitterMs?: number;
  /** @default 1 */
  readonly seed?: number;
}

/**
 * Options of `startBedrockStandIn`.
 *
 * @example
 * await startBedrockStandIn({ responder: createDefaultBedrockResponder({ completion: 'MARK' }), inferenceProfiles: [profile] });
 */
export interface BedrockStandInOptions {
  /** @default a fresh `createDefaultBedrockResponder()` (its own prompt cache) */
  readonly responder?: StandInResponder;
  /** Application inference profiles GetInferenceProfile resolves. @default [] */
  readonly inferenceProfiles?: readonly StandInInferenceProfile[];
  /** @default 0 (a free port) */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** Seeded error injection (throttling, 5xx, timeouts), applied before the responder is asked. @default none */
  readonly faults?: StandInFaults;
  /** Seeded added latency before each runtime answer. @default none */
  readonly latency?: StandInLatency;
  /**
   * Keep every request in `requests` (bodies hold prompts: for tests). `false` keeps none — `npm start`, whose runs
   * may be long, holds no prompt in memory.
   * @default true
   */
  readonly keepRequests?: boolean;
}

/**
 * A running stand-in.
 *
 * @example
 * const standIn: BedrockStandIn = await startBedrockStandIn();
 * try { await run(standIn.endpoint); } finally { await standIn.close(); }
 */
export interface BedrockStandIn {
  /** `http://127.0.0.1:PORT`: give it to the SDK client as `endpoint`. */
  readonly endpoint: string;
  readonly port: number;
  /** Every request received, in order (none with `keepRequests: false`). */
  readonly requests: readonly RecordedRequest[];
  /** Replaces the responder for the calls that follow. */
  respondWith(responder: StandInResponder): void;
  /** Replaces the fault injection for the calls that follow (restarting its PRNGs); `undefined` turns it off. */
  setFaults(faults: StandInFaults | undefined): void;
  /** Replaces the added latency for the calls that follow; `undefined` turns it off. */
  setLatency(latency: StandInLatency | undefined): void;
  /** Makes GetInferenceProfile know one more application profile. */
  registerInferenceProfile(profile: StandInInferenceProfile): void;
  /** Stops listening and drops open connections. Idempotent. */
  close(): Promise<void>;
}
