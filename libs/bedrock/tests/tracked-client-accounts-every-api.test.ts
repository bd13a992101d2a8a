import {
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
} from '@aws-sdk/client-bedrock-runtime';

import { decoder, drain, useTrackedStandIn } from './support/tracked-stand-in';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const messages = [{ role: 'user' as const, content: [{ text: 'Why is the queue backing up?' }] }];
const anthropicBody = JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 300, messages: [{ role: 'user', content: 'Why is the queue backing up?' }] });

describe('trackBedrockClient accounts every Bedrock runtime API over the real SDK', () => {
  const t = useTrackedStandIn();

  it('accounts InvokeModel from the token headers, priced exactly, keyed by the Bedrock request id', async () => {
    // Act
    const output = await t.client.send(new InvokeModelCommand({ modelId: HAIKU, body: anthropicBody }));

    // Assess
    const body = JSON.parse(decoder.decode(output.body)) as { usage: { input_tokens: number; output_tokens: number } };
    const [event] = t.recorder.events;
    expect(t.recorder.events).toHaveLength(1);
    expect(event).toMatchObject({
      eventId: output.$metadata.requestId,
      api: 'InvokeModel',
      modelId: HAIKU,
      resolvedModel: HAIKU,
      region: 'us-east-1',
      outcome: 'success',
      statusCode: 200,
      usageSource: 'headers',
      agentId: 'unattributed',
      flags: [],
      usage: { inputTokens: body.usage.input_tokens, outputTokens: body.usage.output_tokens, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
    });
    // Claude 3 Haiku in us-east-1: $0.25 / $1.25 per million tokens = 250e6 / 1250e6 femto-USD per token.
    expect(event?.cost?.input).toBe(BigInt(body.usage.input_tokens) * 250_000_000n);
    expect(event?.cost?.output).toBe(BigInt(body.usage.output_tokens) * 1_250_000_000n);
    expect(event?.priceRef).toMatchObject({ model: HAIKU, region: 'us-east-1', routing: 'in-region' });
    expect(event?.latencyMs).toBeGreaterThan(0);
    expect(event?.apiLatencyMs).toBeGreaterThanOrEqual(0);
    expect(Date.parse(event?.time ?? '')).not.toBeNaN();
  });

  it('reads the cache-read header the SDK output does not expose', async () => {
    // Prepare
    const cached = JSON.stringify({ max_tokens: 300, system: [{ type: 'text', text: 'runbook', cache_control: { type: 'ephemeral' } }], messages: [{ role: 'user', content: 'q' }] });
    await t.client.send(new InvokeModelCommand({ modelId: HAIKU, body: cached })); // writes the cache

    // Act
    await t.client.send(new InvokeModelCommand({ modelId: HAIKU, body: cached }));

    // Assess
    const usage = t.recorder.events[1]?.usage;
    expect(usage?.cacheReadInputTokens).toBeGreaterThan(0);
    expect(usage?.totalTokens).toBe((usage?.inputTokens ?? 0) + (usage?.outputTokens ?? 0) + (usage?.cacheReadInputTokens ?? 0));
    expect(t.recorder.events[1]?.usageSource).toBe('headers');
  });

  it('accounts InvokeModelWithResponseStream from amazon-bedrock-invocationMetrics when the stream ends', async () => {
    // Act
    const output = await t.client.send(new InvokeModelWithResponseStreamCommand({ modelId: HAIKU, body: anthropicBody }));
    const recordedBeforeConsuming = t.recorder.events.length;
    const { events, error } = await drain(output.body);

    // Assess
    expect(recordedBeforeConsuming).toBe(0);
    expect(error).toBeUndefined();
    const last = JSON.parse(decoder.decode((events.at(-1) as { chunk: { bytes: Uint8Array } }).chunk.bytes)) as Record<string, { inputTokenCount: number; outputTokenCount: number; invocationLatency: number; firstByteLatency: number }>;
    const metrics = last['amazon-bedrock-invocationMetrics'];
    expect(t.recorder.events).toHaveLength(1);
    expect(t.recorder.events[0]).toMatchObject({
      api: 'InvokeModelWithResponseStream',
      outcome: 'success',
      usageSource: 'stream-metrics',
      usage: { inputTokens: metrics?.inputTokenCount, outputTokens: metrics?.outputTokenCount },
      latencyMs: metrics?.invocationLatency,
      firstByteLatencyMs: metrics?.firstByteLatency,
      flags: [],
      eventId: output.$metadata.requestId,
    });
    expect(t.recorder.events[0]?.cost?.total).toBeGreaterThan(0n);
  });

  it('accounts Converse from its usage and metrics', async () => {
    // Act
    const output = await t.client.send(new ConverseCommand({ modelId: 'amazon.nova-lite-v1:0', messages }));

    // Assess
    expect(t.recorder.events).toHaveLength(1);
    expect(t.recorder.events[0]).toMatchObject({
      api: 'Converse',
      resolvedModel: 'amazon.nova-lite-v1:0',
      outcome: 'success',
      usageSource: 'converse',
      usage: { inputTokens: output.usage?.inputTokens, outputTokens: output.usage?.outputTokens, totalTokens: output.usage?.totalTokens },
      latencyMs: output.metrics?.latencyMs,
    });
  });

  it('accounts ConverseStream from its metadata event, priced with geo routing for a us. profile', async () => {
    // Act
    const output = await t.client.send(new ConverseStreamCommand({ modelId: 'us.anthropic.claude-3-5-haiku-20241022-v1:0', messages }));
    const { events } = await drain(output.stream);

    // Assess
    const metadata = (events.at(-1) as { metadata: { usage: { inputTokens: number; outputTokens: number }; metrics: { latencyMs: number } } }).metadata;
    expect(t.recorder.events).toHaveLength(1);
    expect(t.recorder.events[0]).toMatchObject({
      api: 'ConverseStream',
      modelId: 'us.anthropic.claude-3-5-haiku-20241022-v1:0',
      resolvedModel: 'anthropic.claude-3-5-haiku-20241022-v1:0',
      priceRef: { routing: 'geo' },
      usage: { inputTokens: metadata.usage.inputTokens, outputTokens: metadata.usage.outputTokens },
      latencyMs: metadata.metrics.latencyMs,
      flags: [],
    });
  });

  it.each([
    ['amazon.titan-text-lite-v1', { inputText: 'hi', textGenerationConfig: { maxTokenCount: 100 } }],
    ['meta.llama3-2-3b-instruct-v1:0', { prompt: 'hi', max_gen_len: 100 }],
    ['mistral.mistral-large-2402-v1:0', { prompt: 'hi', max_tokens: 100 }],
  ])('accounts InvokeModel of %s', async (modelId, body) => {
    // Act
    await t.client.send(new InvokeModelCommand({ modelId, body: JSON.stringify(body) }));

    // Assess
    expect(t.recorder.events[0]).toMatchObject({ modelId, resolvedModel: modelId, outcome: 'success' });
    expect(t.recorder.events[0]?.usage.outputTokens).toBeGreaterThan(0);
    expect(t.recorder.events[0]?.cost?.total).toBeGreaterThan(0n);
  });

  it('flags an unknown model unpriced, never $0', async () => {
    // Act
    await t.client.send(new ConverseCommand({ modelId: 'acme.unknown-model-v1:0', messages }));

    // Assess
    expect(t.recorder.events[0]).toMatchObject({ outcome: 'success', cost: null, resolvedModel: null });
    expect(t.recorder.events[0]?.flags).toContain('unpriced');
  });
});
