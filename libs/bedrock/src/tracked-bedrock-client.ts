import {
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
  type BedrockRuntimeClient,
} from '@aws-sdk/client-bedrock-runtime';
import { UsageError, currentUsageContext, systemClock, type BedrockApi, type Clock } from '@bedrock-usage/core';
import { extractUsage, startStreamExtraction, type StreamExtraction } from '@bedrock-usage/extraction';

import { createCallStorage, type Attempt, type CallState, type CallStorage } from './internal/call-state';
import { exceptionEvent, failureResult, isStreamException, networkFailure } from './internal/failure-result';
import { commandForModel, fallbackChain, isUnavailability, validateFallbacks } from './internal/fallback-chain';
import { observeStream, type StreamEnd } from './internal/observed-stream';
import { RAW_RESPONSE_MIDDLEWARE_NAME, rawResponseMiddleware } from './internal/raw-response-middleware';
import { UsageAccountant, requestIdFor } from './internal/usage-accountant';
import type { FallbackChains, TrackedBedrockClientOptions } from './tracked-bedrock-client.types';

const TRACKED = Symbol.for('bedrock-usage.trackedBedrockClient');
const DEFAULT_REGION = 'us-east-1';

const API_BY_COMMAND = new Map<unknown, BedrockApi>([
  [InvokeModelCommand, 'InvokeModel'],
  [InvokeModelWithResponseStreamCommand, 'InvokeModelWithResponseStream'],
  [ConverseCommand, 'Converse'],
  [ConverseStreamCommand, 'ConverseStream'],
]);
const API_BY_COMMAND_NAME: Readonly<Record<string, BedrockApi>> = {
  InvokeModelCommand: 'InvokeModel',
  InvokeModelWithResponseStreamCommand: 'InvokeModelWithResponseStream',
  ConverseCommand: 'Converse',
  ConverseStreamCommand: 'ConverseStream',
};

type Send = (command: unknown, optionsOrCb?: unknown, cb?: unknown) => Promise<unknown> | void;
type Callback = (error: unknown, output?: unknown) => void;

/** The tracked API of a command, by class (or class name, for a second copy of the SDK); undefined otherwise. */
function apiOf(command: unknown): BedrockApi | undefined {
  const ctor = (command as { constructor?: unknown } | null)?.constructor;
  return API_BY_COMMAND.get(ctor) ?? API_BY_COMMAND_NAME[(ctor as { name?: string } | undefined)?.name ?? ''];
}

function modelIdOf(command: unknown): string {
  const modelId = (command as { input?: { modelId?: unknown } } | null)?.input?.modelId;
  return typeof modelId === 'string' ? modelId : '';
}

const decoder = new TextDecoder();

function decodeJson(bytes: unknown): unknown {
  if (typeof bytes === 'string') return parseOrText(bytes);
  if (!(bytes instanceof Uint8Array)) return undefined;
  return parseOrText(decoder.decode(bytes));
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function defaultReport(error: unknown): void {
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  console.warn(`[bedrock-usage] tracking error (the Bedrock call itself was not affected): ${detail}`);
}

/** The state of one tracked client: the middleware's channel, the accountant and the original `send`. */
class Tracker {
  readonly #storage: CallStorage = createCallStorage();
  readonly #accountant: UsageAccountant;
  readonly #send: Send;
  readonly #clock: Clock;
  readonly #report: (error: unknown) => void;
  readonly #fallbacks: FallbackChains | undefined;
  readonly #fallbackOn: (error: unknown) => boolean;
  #region: string;

  constructor(client: BedrockRuntimeClient, options: TrackedBedrockClientOptions) {
    validateFallbacks(options.fallbacks);
    this.#fallbacks = options.fallbacks;
    this.#fallbackOn = options.fallbackOn ?? isUnavailability;
    const onTrackingError = options.onTrackingError ?? defaultReport;
    this.#report = (error) => {
      try {
        onTrackingError(error);
      } catch {
        // A throwing error handler must not reach the agent either.
      }
    };
    this.#clock = options.clock ?? systemClock;
    this.#region = options.region ?? DEFAULT_REGION;
    if (options.region === undefined) this.#resolveRegion(client);
    this.#accountant = new UsageAccountant({
      recorder: options.recorder,
      pricer: options.pricer,
      region: () => this.#region,
      defaultAgentId: options.defaultAgentId ?? 'unattributed',
      clock: this.#clock,
      reportError: this.#report,
    });
    this.#send = client.send.bind(client) as Send;
    client.middlewareStack.add(rawResponseMiddleware(this.#storage, this.#clock, this.#report) as never, {
      step: 'deserialize',
      priority: 'high',
      name: RAW_RESPONSE_MIDDLEWARE_NAME,
      tags: ['BEDROCK_USAGE'],
    });
  }

  /** The replacement of `client.send`: same arguments, same results, same errors. */
  send(command: unknown, optionsOrCb?: unknown, cb?: unknown): Promise<unknown> | void {
    const api = apiOf(command);
    if (api === undefined) return this.#send(command, optionsOrCb, cb);
    const callback = (typeof optionsOrCb === 'function' ? optionsOrCb : typeof cb === 'function' ? cb : undefined) as Callback | undefined;
    const options = typeof optionsOrCb === 'function' ? undefined : optionsOrCb;
    const result = this.#tracked(api, command, options);
    if (!callback) return result;
    result.then(
      (output) => callback(null, output),
      (error: unknown) => callback(error),
    );
    return undefined;
  }

  #resolveRegion(client: BedrockRuntimeClient): void {
    try {
      const provider = (client.config as { region?: unknown }).region;
      const resolved = typeof provider === 'function' ? (provider as () => unknown)() : provider;
      Promise.resolve(resolved).then(
        (region) => {
          if (typeof region === 'string' && region.length > 0) this.#region = region;
        },
        () => undefined, // no region configured: the SDK will fail the call itself; we keep the default
      );
    } catch {
      // keep the default
    }
  }

  /** The call, then (when it fails with an error `fallbackOn` accepts) the same command on each fallback model in turn. */
  async #tracked(api: BedrockApi, command: unknown, options: unknown): Promise<unknown> {
    const modelId = modelIdOf(command);
    const chain = this.#chain(api, modelId);
    let current = command;
    for (let i = 0; ; i++) {
      try {
        return await this.#trackedOnce(api, current, options);
      } catch (error) {
        const next = chain[i];
        if (next === undefined || !this.#shouldFallBack(error)) throw error;
        current = commandForModel(command, next);
      }
    }
  }

  #chain(api: BedrockApi, modelId: string): string[] {
    try {
      return fallbackChain(this.#fallbacks, api, modelId);
    } catch (error) {
      this.#report(error); // a throwing fallbacks function: the call goes ahead without fallbacks
      return [];
    }
  }

  #shouldFallBack(error: unknown): boolean {
    try {
      return this.#fallbackOn(error) === true;
    } catch (ours) {
      this.#report(ours);
      return false;
    }
  }

  async #trackedOnce(api: BedrockApi, command: unknown, options: unknown): Promise<unknown> {
    const call: CallState = { api, modelId: modelIdOf(command), context: currentUsageContext(), attempts: [] };
    const sentAt = this.#clock.now();
    let output: unknown;
    try {
      output = await this.#storage.run(call, () => this.#send(command, options) as Promise<unknown>);
    } catch (error) {
      this.#guard(() => this.#accountFailure(call, sentAt, error));
      throw error;
    }
    this.#guard(() => this.#accountOutput(call, sentAt, output));
    return output;
  }

  #guard(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.#report(error);
    }
  }

  /** Earlier attempts of a retried call were each a Bedrock request that failed: one error event each. */
  #accountRetriedAttempts(call: CallState, last: Attempt | undefined): void {
    for (const attempt of call.attempts) {
      if (attempt === last) continue;
      const completedAt = attempt.respondedAt ?? attempt.startedAt;
      this.#accountant.account(
        call,
        { startedAt: attempt.startedAt, completedAt, requestId: requestIdFor(attempt, attempt.error), statusCode: attempt.statusCode },
        attempt.error === undefined ? networkFailure(new Error('retried attempt')) : failureResult(call.api, call.modelId, attempt, attempt.error),
      );
    }
  }

  #accountFailure(call: CallState, sentAt: number, error: unknown): void {
    const last = call.attempts.at(-1);
    this.#accountRetriedAttempts(call, last);
    // The retry middleware may wrap what the attempt saw (a network error becomes "AWS SDK error wrapper for …",
    // without its code): classify by the attempt's own error.
    const result = failureResult(call.api, call.modelId, last, last?.error ?? error);
    this.#accountant.account(
      call,
      {
        startedAt: last?.startedAt ?? sentAt,
        completedAt: this.#clock.now(),
        requestId: requestIdFor(last, error),
        statusCode: last?.statusCode,
      },
      result,
    );
  }

  #accountOutput(call: CallState, sentAt: number, output: unknown): void {
    const last = call.attempts.at(-1);
    this.#accountRetriedAttempts(call, last);
    const statusCode = last?.statusCode ?? 200;
    const headers = last?.headers ?? {};
    const timing = { startedAt: last?.startedAt ?? sentAt, requestId: requestIdFor(last, output), statusCode };
    const out = output as Record<string, unknown>;
    switch (call.api) {
      case 'InvokeModel':
      case 'Converse': {
        const body =
          call.api === 'InvokeModel' ? decodeJson(out['body']) : { usage: out['usage'], metrics: out['metrics'], stopReason: out['stopReason'] };
        const result = extractUsage({ api: call.api, modelId: call.modelId, statusCode, headers, body });
        this.#accountant.account(call, { ...timing, completedAt: last?.respondedAt ?? this.#clock.now() }, result);
        return;
      }
      case 'InvokeModelWithResponseStream':
      case 'ConverseStream': {
        const key = call.api === 'InvokeModelWithResponseStream' ? 'body' : 'stream';
        const extraction = startStreamExtraction({ api: call.api, modelId: call.modelId, statusCode, headers });
        const finish = (end: StreamEnd): void => {
          const complete = end.kind === 'complete' || (end.kind === 'failed' && isStreamException(end.error));
          if (end.kind === 'failed' && isStreamException(end.error)) extraction.push(exceptionEvent(end.error));
          this.#accountant.account(call, { ...timing, completedAt: this.#clock.now() }, extraction.finish({ complete }));
        };
        const source = out[key] as AsyncIterable<unknown> | undefined;
        if (source === undefined || source === null || typeof (source as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] !== 'function') {
          finish({ kind: 'complete' });
          return;
        }
        out[key] = observeStream(source, { onEvent: (event) => this.#push(call.api, extraction, event), onEnd: finish }, this.#report);
        return;
      }
    }
  }

  #push(api: BedrockApi, extraction: StreamExtraction, event: unknown): void {
    if (api === 'ConverseStream') {
      extraction.push(event);
      return;
    }
    const bytes = (event as { chunk?: { bytes?: unknown } } | null)?.chunk?.bytes;
    if (bytes !== undefined) extraction.push(decodeJson(bytes));
  }
}

/**
 * Instruments a Bedrock runtime client in place — a middleware that keeps the raw response headers and timing, and
 * a wrapped `send` — and returns it. Agent code keeps using the SDK API unchanged: results (same objects) and errors
 * (same instances) pass through. InvokeModel, InvokeModelWithResponseStream, Converse and ConverseStream are
 * accounted; other commands pass through untracked.
 *
 * Each Bedrock request becomes exactly one {@link UsageEvent} handed to `recorder.record` — streams when they end,
 * fail or are stopped by the consumer (observed event by event, never buffered); retried attempts that failed are
 * events of their own. Agent, incident and tags come from `withUsageContext`. No prompt or completion text is kept.
 * Our own failures go to `onTrackingError`, never to the agent. Throws `UsageError('INVALID_CONFIG')` when the
 * client is already tracked or `fallbacks` is malformed.
 *
 * With `fallbacks`, a call the SDK gave up on with a throttling / unavailability error is re-sent to the next model
 * of its chain (Converse*: any model; InvokeModel*: the same body format only); each attempt is its own event and
 * the agent gets the first answer, or the last error.
 *
 * @example
 * const client = trackBedrockClient(new BedrockRuntimeClient({ region: 'us-east-1' }), {
 *   recorder,
 *   pricer: PriceBook.builtIn(),
 * });
 * await withUsageContext({ agentId: 'jira', incidentId: 'INC-42' }, () =>
 *   client.send(new ConverseCommand({ modelId: 'amazon.nova-lite-v1:0', messages })),
 * );
 *
 * // Runbook 2: on throttling, Sonnet falls back to Haiku, then Nova Pro (Converse) / Haiku only (InvokeModel)
 * trackBedrockClient(new BedrockRuntimeClient({ region: 'us-east-1' }), {
 *   recorder,
 *   pricer: PriceBook.builtIn(),
 *   fallbacks: { 'us.anthropic.claude-3-7-sonnet-20250219-v1:0': ['us.anthropic.claude-3-5-haiku-20241022-v1:0', 'us.amazon.nova-pro-v1:0'] },
 * });
 */
export function trackBedrockClient(client: BedrockRuntimeClient, options: TrackedBedrockClientOptions): BedrockRuntimeClient {
  const marked = client as BedrockRuntimeClient & { [TRACKED]?: true };
  if (marked[TRACKED]) {
    throw new UsageError('INVALID_CONFIG', 'This BedrockRuntimeClient is already tracked — call trackBedrockClient once per client');
  }
  const tracker = new Tracker(client, options);
  Object.defineProperty(marked, TRACKED, { value: true, enumerable: false });
  (client as unknown as { send: Send }).send = (command: unknown, optionsOrCb?: unknown, cb?: unknown) => tracker.send(command, optionsOrCb, cb);
  return client;
}
