import { decodeUsageEvent, encodeUsageEvent, parseUsd, tokenUsage, type UsageEvent } from '../src';

const event: UsageEvent = {
  eventId: 'bf67b782-ee87-4be1-9303-8877b083f081',
  time: '2025-03-11T14:22:09.000Z',
  agentId: 'cloud-engineer',
  incidentId: 'INC-20250311-0042',
  tags: { team: 'sre' },
  api: 'InvokeModel',
  modelId: 'amazon.nova-micro-v1:0',
  resolvedModel: 'amazon.nova-micro-v1:0',
  region: 'us-east-1',
  outcome: 'success',
  usage: tokenUsage({ inputTokens: 7, cacheReadInputTokens: 1 }),
  cost: { total: parseUsd('0.00000025375'), input: parseUsd('0.000000245'), output: 0n, cacheRead: parseUsd('0.00000000875'), cacheWrite: 0n, cacheWrite1h: 0n },
  priceRef: { model: 'amazon.nova-micro-v1:0', region: 'us-east-1', routing: 'in-region', from: '2024-12-03', source: 'https://aws.amazon.com/bedrock/pricing/' },
  latencyMs: 120,
  apiLatencyMs: 131,
  flags: [],
};

describe('usage event codec', () => {
  it('round-trips through JSON exactly, costs as decimal strings', () => {
    const json = JSON.stringify(encodeUsageEvent(event));
    expect(json).toContain('"cacheRead":"0.00000000875"');
    expect(decodeUsageEvent(JSON.parse(json))).toEqual(event);
  });

  it('keeps a null cost null', () => {
    const unpriced: UsageEvent = { ...event, cost: null, flags: ['unpriced'] };
    expect(decodeUsageEvent(JSON.parse(JSON.stringify(encodeUsageEvent(unpriced))))).toEqual(unpriced);
  });

  it('names the field of a corrupt record', () => {
    const record = JSON.parse(JSON.stringify(encodeUsageEvent(event)));
    expect(() => decodeUsageEvent({ ...record, api: 'Chat' })).toThrow('usage event field "api" is "Chat" — expected InvokeModel');
    expect(() => decodeUsageEvent({ ...record, usage: { ...record.usage, inputTokens: -1 } })).toThrow('"usage.inputTokens" is -1');
    expect(() => decodeUsageEvent({ ...record, cost: { ...record.cost, total: 'lots' } })).toThrow('usage event field "cost.total" is "lots" — expected an exact decimal string of USD');
    expect(() => decodeUsageEvent('x')).toThrow('usage event field "event" is "x" — expected an object');
  });
});
