import { parseUsd, tokenUsage, type UsageEvent } from '@bedrock-usage/core';

let sequence = 0;
const run = globalThis.crypto.randomUUID().slice(0, 8);

/**
 * A valid, priced {@link UsageEvent} for tests, with a fresh unique `eventId` (unique across processes too) unless
 * one is given. Claude 3 Haiku in us-east-1: 100 input and 20 output tokens, $0.00005 exactly.
 *
 * @example
 * const event = makeUsageEvent({ agentId: 'jira', incidentId: 'INC-20250311-0042' });
 */
export function makeUsageEvent(overrides: Partial<UsageEvent> = {}): UsageEvent {
  sequence += 1;
  return {
    eventId: `evt-${run}-${sequence}`,
    time: '2025-03-11T10:00:00.000Z',
    agentId: 'cloud-engineer',
    tags: {},
    api: 'Converse',
    modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
    resolvedModel: 'anthropic.claude-3-haiku-20240307-v1:0',
    region: 'us-east-1',
    outcome: 'success',
    usage: tokenUsage({ inputTokens: 100, outputTokens: 20 }),
    cost: {
      total: parseUsd('0.00005'),
      input: parseUsd('0.000025'),
      output: parseUsd('0.000025'),
      cacheRead: 0n,
      cacheWrite: 0n,
      cacheWrite1h: 0n,
    },
    priceRef: null,
    latencyMs: 310,
    apiLatencyMs: 342,
    statusCode: 200,
    flags: [],
    ...overrides,
  };
}

/**
 * `count` events from {@link makeUsageEvent}, each with the same overrides (and its own id).
 *
 * @example
 * for (const event of makeUsageEvents(100, { agentId: 'jira' })) pipeline.record(event);
 */
export function makeUsageEvents(count: number, overrides: Partial<Omit<UsageEvent, 'eventId'>> = {}): UsageEvent[] {
  return Array.from({ length: count }, () => makeUsageEvent(overrides));
}
