import { ZERO_USAGE, type UsageEvent } from '@bedrock-usage/core';

import { InMemoryUsageRecorder } from '../src';

const event = (eventId: string): UsageEvent => ({
  eventId,
  time: '2025-03-11T10:00:00.000Z',
  agentId: 'jira',
  tags: {},
  api: 'Converse',
  modelId: 'amazon.nova-lite-v1:0',
  resolvedModel: null,
  region: 'us-east-1',
  outcome: 'success',
  usage: ZERO_USAGE,
  cost: null,
  priceRef: null,
  latencyMs: null,
  apiLatencyMs: 1,
  flags: [],
});

describe('InMemoryUsageRecorder', () => {
  it('keeps recorded events in order until cleared', () => {
    // Prepare
    const recorder = new InMemoryUsageRecorder();

    // Act
    recorder.record(event('a'));
    recorder.record(event('b'));
    const before = recorder.events.map((e) => e.eventId);
    recorder.clear();

    // Assess
    expect(before).toEqual(['a', 'b']);
    expect(recorder.events).toEqual([]);
  });
});
