import { ZERO_USAGE, tokenUsage, type TokenUsage, type UsageEvent, type UsageFlag, type UsageRecorder } from '@bedrock-usage/core';
import { extractUsage, type RawBedrockCall } from '@bedrock-usage/extraction';
import type { PriceBook, PriceResult } from '@bedrock-usage/pricing';

/**
 * Options of {@link HotPath}.
 *
 * @example
 * const options: HotPathOptions = { recorder: pipeline, pricer: PriceBook.builtIn(), calls: loadBedrockFixtures(), agents: ['jira'] };
 */
export interface HotPathOptions {
  readonly recorder: UsageRecorder;
  readonly pricer: Pick<PriceBook, 'price'>;
  /** Bedrock responses already in memory, tracked in turn. */
  readonly calls: readonly RawBedrockCall[];
  /** Agents the calls are attributed to, in turn. */
  readonly agents: readonly string[];
  /** @default 'us-east-1' */
  readonly region?: string;
  /** Prefix of the event ids (each event needs its own: the sinks skip ids they already wrote). @default 'bench' */
  readonly idPrefix?: string;
}

/**
 * What the tracked Bedrock client does once a response is in memory, step by step as in libs/bedrock's
 * `UsageAccountant`: extract the usage, price it, build the `UsageEvent`, `record()` it. Its cost per call is the
 * time tracking adds to one Bedrock call (the SDK middleware that captures headers is not included).
 *
 * @example
 * const hotPath = new HotPath({ recorder: pipeline, pricer: PriceBook.builtIn(), calls: loadBedrockFixtures(), agents: ['jira'] });
 * hotPath.track(); // one call accounted and recorded
 */
export class HotPath {
  readonly #options: HotPathOptions;
  readonly #region: string;
  readonly #idPrefix: string;
  #sequence = 0;

  constructor(options: HotPathOptions) {
    if (options.calls.length === 0 || options.agents.length === 0) throw new Error('HotPath needs at least one call and one agent');
    this.#options = options;
    this.#region = options.region ?? 'us-east-1';
    this.#idPrefix = options.idPrefix ?? 'bench';
  }

  /** Accounts and records the next call. */
  track(): void {
    const { calls, agents, recorder } = this.#options;
    const index = this.#sequence++;
    const call = calls[index % calls.length] as RawBedrockCall;
    const agentId = agents[index % agents.length] as string;
    const completedAt = Date.now();
    const result = extractUsage(call);
    const flags: UsageFlag[] = [];
    let usage: TokenUsage = ZERO_USAGE;
    let event: Partial<UsageEvent>;
    if ('rejected' in result) {
      event = { outcome: 'rejected', rejectReason: result.reason };
      flags.push('extraction_rejected');
    } else if ('error' in result) {
      event = { outcome: 'error', errorCode: result.error, retryable: result.retryable };
    } else {
      usage = tokenUsage(result);
      event = { outcome: 'success', latencyMs: result.latencyMs, usageSource: result.usageSource };
      flags.push(...result.flags);
    }
    const price: PriceResult = this.#options.pricer.price({ modelId: call.modelId, region: this.#region, at: completedAt, usage });
    flags.push(...price.flags);
    recorder.record({
      eventId: `${this.#idPrefix}-${index}`,
      time: new Date(completedAt).toISOString(),
      agentId,
      tags: {},
      api: call.api,
      modelId: call.modelId,
      resolvedModel: price.resolvedModel,
      region: this.#region,
      usage,
      // A rejected call was answered (and may be billed) but its usage is unknown: no cost, never a silent $0.
      cost: event.outcome === 'rejected' ? null : price.cost,
      priceRef: event.outcome === 'rejected' ? null : price.priceRef,
      latencyMs: null,
      apiLatencyMs: 0,
      statusCode: call.statusCode,
      ...event,
      flags: [...new Set(flags)],
    } as UsageEvent);
  }
}
