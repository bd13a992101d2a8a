import { ConverseCommand, ConverseStreamCommand, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';

import { drain, useTrackedStandIn } from './support/tracked-stand-in';

const HAIKU = 'anthropic.claude-3-5-haiku-20241022-v1:0';
const NOVA = 'amazon.nova-pro-v1:0';
const RUNBOOK = 'Runbook 2: on throttling, switch to the fallback model and tell the on-call. '.repeat(25);

function anthropicBody(question: string): string {
  return JSON.stringify({
    anthropic_version: 'bedrock-2023-05-31',
    max_tokens: 100,
    system: [{ type: 'text', text: RUNBOOK, cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: question }],
  });
}

function converseInput(question: string): ConstructorParameters<typeof ConverseCommand>[0] {
  return { modelId: NOVA, system: [{ text: RUNBOOK }, { cachePoint: { type: 'default' } }], messages: [{ role: 'user', content: [{ text: question }] }] };
}

describe('trackBedrockClient accounts the stand-in prompt cache: a write, then reads within the TTL', () => {
  const t = useTrackedStandIn();

  it('Anthropic InvokeModel: the first call is a cache write, the repeat a cache read of the same size, each priced', async () => {
    // Act
    await t.client.send(new InvokeModelCommand({ modelId: HAIKU, body: anthropicBody('Why is checkout slow?') }));
    await t.client.send(new InvokeModelCommand({ modelId: HAIKU, body: anthropicBody('And payments?') }));

    // Assess
    const [write, read] = t.recorder.events;
    const written = write?.usage.cacheWriteInputTokens ?? 0;
    expect(written).toBeGreaterThan(RUNBOOK.length / 4);
    expect(write?.usage.cacheReadInputTokens).toBe(0);
    expect(read?.usage).toMatchObject({ cacheReadInputTokens: written, cacheWriteInputTokens: 0 });
    expect(write?.cost?.cacheWrite).toBeGreaterThan(0n);
    expect(read?.cost?.cacheRead).toBeGreaterThan(0n);
    expect(read?.cost?.cacheRead).toBeLessThan(write?.cost?.cacheWrite ?? 0n);
  });

  it('Converse and ConverseStream: cacheWriteInputTokens first, then cacheReadInputTokens', async () => {
    // Act
    await t.client.send(new ConverseCommand(converseInput('q1')));
    await t.client.send(new ConverseCommand(converseInput('q2')));
    const streamed = await t.client.send(new ConverseStreamCommand(converseInput('q3')));
    await drain(streamed.stream);

    // Assess
    const [write, read, streamRead] = t.recorder.events;
    const written = write?.usage.cacheWriteInputTokens ?? 0;
    expect(written).toBeGreaterThan(0);
    expect(write).toMatchObject({ usageSource: 'converse', usage: { cacheReadInputTokens: 0 } });
    expect(read?.usage).toMatchObject({ cacheReadInputTokens: written, cacheWriteInputTokens: 0 });
    expect(streamRead).toMatchObject({ api: 'ConverseStream', usage: { cacheReadInputTokens: written, cacheWriteInputTokens: 0 } });
  });
});
