import { randomUUID } from 'node:crypto';

import {
  ZERO_USAGE,
  tokenUsage,
  type Clock,
  type TokenUsage,
  type UsageEvent,
  type UsageFlag,
  type UsageRecorder,
} from '@bedrock-usage/core';
import type { PriceResult } from '@bedrock-usage/pricing';

import type { UsagePricer } from '../tracked-bedrock-client.types';
import { requestIdOf, type Attempt, type CallState } from './call-state';
import type { FailureResult } from './failure-result';

export interface AccountantOptions {
  readonly recorder: UsageRecorder;
  readonly pricer: UsagePricer;
  readonly region: () => string;
  readonly defaultAgentId: string;
  readonly clock: Clock;
  readonly reportError: (error: unknown) => void;
}

/** When and how long one accounted Bedrock request took, and its id. */
export interface Timing {
  readonly startedAt: number;
  readonly completedAt: number;
  readonly requestId?: string;
  readonly statusCode?: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The Bedrock request id of an attempt or an SDK result/error, when there is one. */
export function requestIdFor(attempt: Attempt | undefined, metadataBearer: unknown): string | undefined {
  const fromMetadata = (metadataBearer as { $metadata?: { requestId?: unknown } } | null | undefined)?.$metadata?.requestId;
  if (typeof fromMetadata === 'string' && fromMetadata.length > 0) return fromMetadata;
  return requestIdOf(attempt?.headers);
}

/**
 * Turns one Bedrock request's extraction into a priced {@link UsageEvent} and hands it to the recorder.
 * Never throws: its own failures (and the recorder's or pricer's) go to `reportError`.
 */
export class UsageAccountant {
  readonly #options: AccountantOptions;

  constructor(options: AccountantOptions) {
    this.#options = options;
  }

  account(call: CallState, timing: Timing, result: FailureResult): void {
    let event: UsageEvent;
    try {
      event = this.#event(call, timing, result);
    } catch (error) {
      this.#options.reportError(error);
      return;
    }
    try {
      this.#options.recorder.record(event);
    } catch (error) {
      this.#options.reportError(error);
    }
  }

  #price(call: CallState, usage: TokenUsage, at: number, flags: UsageFlag[]): PriceResult | undefined {
    try {
      return this.#options.pricer.price({ modelId: call.modelId, region: this.#options.region(), at, usage });
    } catch (error) {
      this.#options.reportError(error);
      flags.push('tracking_error');
      return undefined;
    }
  }

  #event(call: CallState, timing: Timing, result: FailureResult): UsageEvent {
    const context = call.context;
    const flags: UsageFlag[] = [];
    const event: Mutable<UsageEvent> = {
      eventId: timing.requestId ?? randomUUID(),
      time: new Date(timing.completedAt).toISOString(),
      agentId: context?.agentId ?? this.#options.defaultAgentId,
      tags: { ...context?.tags },
      api: call.api,
      modelId: call.modelId,
      resolvedModel: null,
      region: this.#options.region(),
      outcome: 'success',
      usage: ZERO_USAGE,
      cost: null,
      priceRef: null,
      latencyMs: null,
      apiLatencyMs: Math.max(0, timing.completedAt - timing.startedAt),
      flags,
    };
    if (context?.incidentId !== undefined) event.incidentId = context.incidentId;
    if (timing.statusCode !== undefined) event.statusCode = timing.statusCode;

    if ('rejected' in result) {
      event.outcome = 'rejected';
      event.rejectReason = result.reason;
      flags.push('extraction_rejected');
      const price = this.#price(call, ZERO_USAGE, timing.completedAt, flags);
      // The call was answered (and may be billed) but its usage is unknown: no cost, never a silent $0.
      event.resolvedModel = price?.resolvedModel ?? null;
      for (const flag of price?.flags ?? []) flags.push(flag);
    } else if ('error' in result) {
      event.outcome = 'error';
      event.errorCode = result.error;
      event.retryable = result.retryable;
      if (result.statusCode !== undefined) event.statusCode = result.statusCode;
      this.#applyPrice(event, this.#price(call, ZERO_USAGE, timing.completedAt, flags));
    } else {
      event.usage = tokenUsage(result);
      event.latencyMs = result.latencyMs;
      if (result.firstByteLatencyMs !== undefined) event.firstByteLatencyMs = result.firstByteLatencyMs;
      event.usageSource = result.usageSource;
      for (const flag of result.flags) flags.push(flag);
      this.#applyPrice(event, this.#price(call, event.usage, timing.completedAt, flags));
    }
    event.flags = [...new Set(flags)];
    return event;
  }

  #applyPrice(event: Mutable<UsageEvent>, price: PriceResult | undefined): void {
    if (!price) return;
    event.resolvedModel = price.resolvedModel;
    event.cost = price.cost;
    event.priceRef = price.priceRef;
    for (const flag of price.flags) (event.flags as UsageFlag[]).push(flag);
  }
}
