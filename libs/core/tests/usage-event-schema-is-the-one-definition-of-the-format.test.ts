import { decodeUsageEvent, encodeUsageEvent, parseUsd, tokenUsage, USAGE_EVENT_JSON_SCHEMA, USAGE_EVENT_SCHEMA_VERSION, usageEventProblems, type UsageEvent } from '../src';

const makeEventForSchemaTest = (): UsageEvent => ({
  eventId: 'bf67b782-ee87-4be1-9303-8877b083f081',
  time: '2025-03-11T14:22:09.000Z',
  agentId: 'jira',
  tags: {},
  api: 'ConverseStream',
  modelId: 'us.anthropic.claude-3-5-haiku-20241022-v1:0',
  resolvedModel: 'anthropic.claude-3-5-haiku-20241022-v1:0',
  region: 'us-east-1',
  outcome: 'success',
  usage: tokenUsage({ inputTokens: 100, outputTokens: 20, cacheWriteInputTokens: 1024, cacheWrite1hTokens: 1024 }),
  cost: { total: parseUsd('0.0017'), input: parseUsd('0.00008'), output: parseUsd('0.00008'), cacheRead: 0n, cacheWrite: 0n, cacheWrite1h: parseUsd('0.00154') },
  priceRef: { model: 'anthropic.claude-3-5-haiku-20241022-v1:0', region: 'us-east-1', routing: 'geo', from: '2024-11-04', source: 'https://aws.amazon.com/bedrock/pricing/' },
  latencyMs: null,
  firstByteLatencyMs: 210,
  apiLatencyMs: 980,
  usageSource: 'stream-metadata',
  flags: ['truncated'],
});

describe('the usage event schema (v1)', () => {
  it('is what the codec writes: every encoded event carries schemaVersion 1 and passes the schema', () => {
    // Act
    const record = JSON.parse(JSON.stringify(encodeUsageEvent(makeEventForSchemaTest())));
    // Assess
    expect(record.schemaVersion).toBe(USAGE_EVENT_SCHEMA_VERSION);
    expect(usageEventProblems(record)).toEqual([]);
  });

  it('accepts an event built by hand to the schema, as an agent in another language would (Python, boto3)', () => {
    // Prepare: the dict a Python agent writes with json.dumps after bedrock.converse(...)
    const fromPython = {
      schemaVersion: 1,
      eventId: '7c1e1d34-3c1b-4a57-9b1a-2f0d6c0e9a11',
      time: '2025-03-11T14:22:09Z',
      agentId: 'python-triage',
      incidentId: 'INC-20250311-0042',
      tags: { language: 'python' },
      api: 'Converse',
      modelId: 'amazon.nova-lite-v1:0',
      resolvedModel: null,
      region: 'us-east-1',
      outcome: 'success',
      usage: { inputTokens: 812, outputTokens: 96, cacheReadInputTokens: 0, cacheWriteInputTokens: 0, totalTokens: 908 },
      cost: null,
      priceRef: null,
      latencyMs: 640,
      apiLatencyMs: 702.4,
      flags: [],
    };
    // Act
    const event = decodeUsageEvent(fromPython);
    // Assess
    expect(event).toMatchObject({ agentId: 'python-triage', usage: { totalTokens: 908 }, cost: null });
    expect(event).not.toHaveProperty('schemaVersion');
  });

  it.each([
    [{ schemaVersion: 2 }, 'usage event field "schemaVersion" is 2 — expected 1 (this reader knows schema version 1)'],
    [{ inputTokens: 5 }, 'usage event field "inputTokens" is not part of the schema (v1) — remove it, or check its spelling'],
    [{ time: 'yesterday' }, 'usage event field "time" is "yesterday" — expected an ISO-8601 timestamp'],
    [{ flags: ['urgent'] }, 'usage event field "flags[0]" is "urgent" — expected usage_missing, truncated'],
    [{ latencyMs: -3 }, 'usage event field "latencyMs" is -3 — expected a non-negative number or null'],
    [{ agentId: undefined }, 'usage event field "agentId" is missing — expected a non-empty string'],
  ])('refuses %j, naming the field, the value and what is allowed', (change, message) => {
    // Prepare
    const record = { ...JSON.parse(JSON.stringify(encodeUsageEvent(makeEventForSchemaTest()))), ...change };
    // Act
    const decode = (): unknown => decodeUsageEvent(record);
    // Assess
    expect(decode).toThrow(message);
  });

  it('lists every field it requires among its properties, and its version in its $id', () => {
    // Assess
    for (const key of USAGE_EVENT_JSON_SCHEMA.required ?? []) expect(USAGE_EVENT_JSON_SCHEMA.properties).toHaveProperty(key);
    expect(USAGE_EVENT_JSON_SCHEMA.$id).toMatch(/\/v1\.json$/);
  });
});
