import { randomUUID } from 'node:crypto';
import { createServer as createHttp1Server } from 'node:http';
import { createServer as createHttp2Server } from 'node:http2';

import type { BedrockApi } from '@bedrock-usage/core';

import type {
  BedrockStandIn,
  BedrockStandInOptions,
  RecordedRequest,
  StandInApi,
  StandInFault,
  StandInFaults,
  StandInLatency,
  StandInInferenceProfile,
  StandInJsonResponse,
  StandInResponder,
  StandInResponse,
  StandInStreamResponse,
} from './bedrock-stand-in.types';
import { bedrockErrorResponse, createDefaultBedrockResponder } from './default-bedrock-responder';
import { encodeStreamEvent } from './internal/event-stream-frames';
import { FaultInjector, LatencyInjector } from './internal/fault-injector';
import { httpExchange, type HttpExchange } from './internal/http-exchange';
import { ProtocolSniffingListener } from './internal/protocol-sniffing-listener';

const RUNTIME_ROUTE = /^\/model\/(.+)\/(invoke|invoke-with-response-stream|converse|converse-stream)$/;
const PROFILE_ROUTE = /^\/inference-profiles\/([^/]+)$/;
const API_BY_SUFFIX: Readonly<Record<string, BedrockApi>> = {
  invoke: 'InvokeModel',
  'invoke-with-response-stream': 'InvokeModelWithResponseStream',
  converse: 'Converse',
  'converse-stream': 'ConverseStream',
};
const STREAM_APIS: ReadonlySet<BedrockApi> = new Set(['InvokeModelWithResponseStream', 'ConverseStream']);
/** The messages Bedrock sends with the injected error responses. */
const FAULT_MESSAGES: Readonly<Record<Exclude<StandInFault, 'timeout'>, string>> = {
  ThrottlingException: 'Too many requests, please wait before trying again.',
  ServiceUnavailableException: 'Bedrock is unable to process your request.',
  InternalServerException: 'The server encountered an internal error while processing the request.',
};

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
/** A cut right after writing could overtake the last DATA frames; this lets them leave first. */
const CUT_GRACE_MS = 20;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function parseBody(bytes: Buffer): unknown {
  if (bytes.length === 0) return undefined;
  const text = bytes.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function isStream(response: StandInResponse): response is StandInStreamResponse {
  return 'stream' in response;
}

function profileId(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

function regionOf(arn: string): string {
  return arn.split(':')[3] || 'us-east-1';
}

class StandInServer implements BedrockStandIn {
  readonly endpoint: string;
  readonly port: number;
  readonly #requests: RecordedRequest[] = [];
  readonly #keepRequests: boolean;
  readonly #profiles = new Map<string, StandInInferenceProfile>();
  readonly #listener: ProtocolSniffingListener;
  #responder: StandInResponder;
  #faults: FaultInjector | undefined;
  #latency: LatencyInjector | undefined;
  #closing: Promise<void> | undefined;

  constructor(listener: ProtocolSniffingListener, port: number, host: string, options: BedrockStandInOptions) {
    this.#listener = listener;
    this.port = port;
    this.endpoint = `http://${host}:${port}`;
    this.#responder = options.responder ?? createDefaultBedrockResponder();
    this.#keepRequests = options.keepRequests ?? true;
    this.setFaults(options.faults);
    this.setLatency(options.latency);
    for (const profile of options.inferenceProfiles ?? []) this.registerInferenceProfile(profile);
  }

  get requests(): readonly RecordedRequest[] {
    return this.#requests;
  }

  respondWith(responder: StandInResponder): void {
    this.#responder = responder;
  }

  setFaults(faults: StandInFaults | undefined): void {
    this.#faults = faults === undefined ? undefined : new FaultInjector(faults);
  }

  setLatency(latency: StandInLatency | undefined): void {
    this.#latency = latency === undefined ? undefined : new LatencyInjector(latency);
  }

  registerInferenceProfile(profile: StandInInferenceProfile): void {
    this.#profiles.set(profile.arn, profile);
    this.#profiles.set(profileId(profile.arn), profile);
  }

  close(): Promise<void> {
    this.#closing ??= this.#listener.close();
    return this.#closing;
  }

  /** Serves one exchange; never throws (a failure becomes a 500 InternalServerException). */
  async handle(exchange: HttpExchange): Promise<void> {
    const requestId = randomUUID();
    const path = exchange.path.split('?')[0] ?? '/';
    const runtime = RUNTIME_ROUTE.exec(path);
    const profile = PROFILE_ROUTE.exec(path);
    const api: StandInApi | null =
      runtime && exchange.method === 'POST'
        ? (API_BY_SUFFIX[runtime[2] ?? ''] ?? null)
        : profile && exchange.method === 'GET'
          ? 'GetInferenceProfile'
          : null;
    const modelId = runtime ? safeDecode(runtime[1] ?? '') : profile ? safeDecode(profile[1] ?? '') : null;
    try {
      const body = parseBody(await exchange.readBody());
      const recorded: Mutable<RecordedRequest> = {
        method: exchange.method,
        path: exchange.path,
        api,
        modelId,
        headers: exchange.headers,
        body,
        protocol: exchange.protocol,
        requestId,
      };
      if (this.#keepRequests) this.#requests.push(recorded);
      if (api === null || modelId === null) {
        this.#sendJson(exchange, requestId, bedrockErrorResponse('UnknownOperationException', `No route for ${exchange.method} ${path}`, 404));
        return;
      }
      if (api === 'GetInferenceProfile') {
        this.#sendJson(exchange, requestId, this.#getInferenceProfile(modelId));
        return;
      }
      const foundationModelId = this.#profiles.get(modelId)?.modelId ?? modelId;
      const faults = this.#faults;
      const fault = faults?.decide(modelId);
      if (fault !== undefined) recorded.fault = fault;
      const delayMs = this.#latency?.nextDelayMs() ?? 0;
      if (delayMs > 0) await sleep(delayMs);
      if (fault !== undefined && fault !== 'timeout') {
        this.#sendJson(exchange, requestId, bedrockErrorResponse(fault, FAULT_MESSAGES[fault]));
        return;
      }
      const response = await this.#responder({ api, modelId, foundationModelId, body, headers: exchange.headers });
      if (fault === 'timeout' && faults) {
        await this.#stall(exchange, requestId, api, response, faults.stallMs);
        return;
      }
      if (isStream(response)) {
        if (!STREAM_APIS.has(api)) {
          this.#sendJson(exchange, requestId, bedrockErrorResponse('InternalServerException', `The responder answered ${api} with a stream`));
          return;
        }
        await this.#sendStream(exchange, requestId, api, response);
      } else {
        if (response.delayMs) await sleep(response.delayMs);
        this.#sendJson(exchange, requestId, response);
      }
    } catch (error) {
      if (exchange.closed) return;
      const reason = error instanceof Error ? error.message : String(error);
      this.#sendJson(exchange, requestId, bedrockErrorResponse('InternalServerException', `Bedrock stand-in failed: ${reason}`));
    }
  }

  /** A timeout: no answer at all, or (a stream) the headers and first event, then silence until `stallMs` or the client leaves. */
  async #stall(exchange: HttpExchange, requestId: string, api: BedrockApi, response: StandInResponse, stallMs: number): Promise<void> {
    if (isStream(response) && STREAM_APIS.has(api)) await this.#sendStream(exchange, requestId, api, { ...response, cutAfter: 1, delayMs: 0 }, false);
    await Promise.race([exchange.whenClosed(), sleep(stallMs)]);
    exchange.cut();
  }

  #getInferenceProfile(identifier: string): StandInJsonResponse {
    const profile = this.#profiles.get(identifier);
    if (!profile) {
      return bedrockErrorResponse('ResourceNotFoundException', `Inference profile ${identifier} not found`, 404);
    }
    const now = new Date().toISOString();
    return {
      status: 200,
      body: {
        inferenceProfileArn: profile.arn,
        inferenceProfileId: profileId(profile.arn),
        inferenceProfileName: profile.name ?? profileId(profile.arn),
        models: [{ modelArn: `arn:aws:bedrock:${regionOf(profile.arn)}::foundation-model/${profile.modelId}` }],
        status: 'ACTIVE',
        type: 'APPLICATION',
        createdAt: now,
        updatedAt: now,
      },
    };
  }

  #sendJson(exchange: HttpExchange, requestId: string, response: StandInJsonResponse): void {
    if (exchange.closed) return;
    const payload = typeof response.body === 'string' ? response.body : JSON.stringify(response.body ?? {});
    exchange.start(response.status, {
      'x-amzn-requestid': requestId,
      'content-type': 'application/json',
      date: new Date().toUTCString(),
      ...lowerCased(response.headers),
    });
    exchange.end(payload);
  }

  async #sendStream(exchange: HttpExchange, requestId: string, api: BedrockApi, response: StandInStreamResponse, finish = true): Promise<void> {
    exchange.start(200, {
      'x-amzn-requestid': requestId,
      'content-type': 'application/vnd.amazon.eventstream',
      date: new Date().toUTCString(),
      ...(api === 'InvokeModelWithResponseStream' ? { 'x-amzn-bedrock-content-type': 'application/json' } : {}),
      ...lowerCased(response.headers),
    });
    const count = response.cutAfter === undefined ? response.stream.length : Math.min(response.cutAfter, response.stream.length);
    for (const event of response.stream.slice(0, count)) {
      if (response.delayMs) await sleep(response.delayMs);
      if (exchange.closed) return;
      await exchange.write(encodeStreamEvent(event));
    }
    if (!finish) return;
    if (response.cutAfter !== undefined) {
      await sleep(CUT_GRACE_MS);
      exchange.cut();
    } else {
      exchange.end();
    }
  }
}

function lowerCased(headers: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) out[name.toLowerCase()] = value;
  return out;
}

/**
 * Starts a local server speaking the Bedrock runtime wire protocol (InvokeModel, InvokeModelWithResponseStream,
 * Converse, ConverseStream — event streams in the AWS binary framing) and the control-plane GetInferenceProfile,
 * over h2c and HTTP/1.1 on one port, so the real SDK clients and middleware run against it.
 * Test and local-run use only: it records every request, prompts included.
 *
 * @example
 * const standIn = await startBedrockStandIn();
 * const client = new BedrockRuntimeClient({ endpoint: standIn.endpoint, region: 'us-east-1',
 *   credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
 * await client.send(new ConverseCommand({ modelId: 'amazon.nova-lite-v1:0', messages }));
 * client.destroy();
 * await standIn.close();
 */
export async function startBedrockStandIn(options: BedrockStandInOptions = {}): Promise<BedrockStandIn> {
  // Connections can only arrive after listen() resolved, i.e. once the server below exists.
  const ready: { server?: StandInServer } = {};
  const serve = (exchange: HttpExchange): void => {
    if (ready.server) void ready.server.handle(exchange);
    else exchange.cut();
  };
  const h2 = createHttp2Server((req, res) => serve(httpExchange(req, res)));
  h2.on('sessionError', () => undefined);
  const http1 = createHttp1Server((req, res) => serve(httpExchange(req, res)));
  http1.on('clientError', (_error, socket) => socket.destroy());
  const listener = new ProtocolSniffingListener(h2, http1);
  const host = options.host ?? '127.0.0.1';
  const port = await listener.listen(options.port ?? 0, host);
  ready.server = new StandInServer(listener, port, host, options);
  return ready.server;
}
