import {
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
  type BedrockRuntimeClient,
} from '@aws-sdk/client-bedrock-runtime';

import { createDefaultBedrockResponder, type BedrockStandIn } from '../src';

import { decoder, startStandInClient, type StandInClient } from './support/stand-in-client';

const HAIKU = 'anthropic.claude-3-5-haiku-20241022-v1:0';
const NOVA = 'amazon.nova-pro-v1:0';
const RUNBOOK = 'Runbook 2: when a model throttles, switch the agent to its fallback model and page the on-call. '.repeat(20);

function anthropicBody(question: string, ttl?: '1h'): string {
  return JSON.stringify({
    anthropic_version: 'bedrock-2023-05-31',
    max_tokens: 200,
    system: [{ type: 'text', text: RUNBOOK, cache_control: { type: 'ephemeral', ...(ttl ? { ttl } : {}) } }],
    messages: [{ role: 'user', content: question }],
  });
}

function converseInput(question: string): ConstructorParameters<typeof ConverseCommand>[0] {
  return {
    modelId: NOVA,
    system: [{ text: RUNBOOK }, { cachePoint: { type: 'default' } }],
    messages: [{ role: 'user', content: [{ text: question }] }],
  };
}

/** Cache counts of an Anthropic body, under the names extraction reads them by. */
interface CacheCounts {
  readonly cacheReadInputTokens: number;
  readonly cacheWriteInputTokens: number;
}

/**
 * InvokeModel through the real SDK; the body's Anthropic `usage` cache fields. (Extraction and the tracked client
 * reading them are tested in libs/bedrock: testing may not import extraction, whose tests import testing.)
 */
async function invoke(client: BedrockRuntimeClient, body: string): Promise<CacheCounts> {
  const output = await client.send(new InvokeModelCommand({ modelId: HAIKU, body }));
  const { usage } = JSON.parse(decoder.decode(output.body)) as { usage: { cache_read_input_tokens: number; cache_creation_input_tokens: number } };
  return { cacheReadInputTokens: usage.cache_read_input_tokens, cacheWriteInputTokens: usage.cache_creation_input_tokens };
}

describe('Bedrock stand-in writes the prompt cache on a first call and reads it within the TTL', () => {
  let local: StandInClient;
  let standIn: BedrockStandIn;
  let client: BedrockRuntimeClient;
  let now = Date.parse('2026-03-10T09:00:00Z');

  beforeEach(async () => {
    now = Date.parse('2026-03-10T09:00:00Z');
    local = await startStandInClient({ maxAttempts: 1 });
    ({ standIn, client } = local);
    standIn.respondWith(createDefaultBedrockResponder({ now: () => now }));
  });

  afterEach(() => local.close());

  it('Anthropic InvokeModel: cache_creation_input_tokens first, then cache_read_input_tokens of the same prefix', async () => {
    // Act
    const first = await invoke(client, anthropicBody('Why is checkout slow?'));
    now += 4 * 60_000;
    const second = await invoke(client, anthropicBody('And the payments API?'));

    // Assess
    expect(first).toMatchObject({ cacheReadInputTokens: 0, cacheWriteInputTokens: expect.any(Number) });
    const written = first.cacheWriteInputTokens;
    expect(written).toBeGreaterThan(RUNBOOK.length / 4);
    expect(second).toEqual({ cacheReadInputTokens: written, cacheWriteInputTokens: 0 });
    expect(standIn.requests.map((r) => r.api)).toEqual(['InvokeModel', 'InvokeModel']);
  });

  it('sends the same counts in the X-Amzn-Bedrock cache headers', async () => {
    // Prepare
    const headers: Record<string, string>[] = [];
    client.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        headers.push((result.response as { headers: Record<string, string> }).headers);
        return result;
      },
      { step: 'deserialize', priority: 'high' },
    );

    // Act
    const first = await invoke(client, anthropicBody('q1'));
    const second = await invoke(client, anthropicBody('q2'));

    // Assess
    const written = first.cacheWriteInputTokens;
    expect(headers[0]).toMatchObject({ 'x-amzn-bedrock-cache-write-input-token-count': String(written), 'x-amzn-bedrock-cache-read-input-token-count': '0' });
    expect(headers[1]).toMatchObject({ 'x-amzn-bedrock-cache-write-input-token-count': '0', 'x-amzn-bedrock-cache-read-input-token-count': String(written) });
    expect(second).toMatchObject({ cacheReadInputTokens: written });
  });

  it('writes again once the 5-minute TTL has passed, and keeps a 1-hour entry', async () => {
    // Act
    await invoke(client, anthropicBody('q1'));
    now += 5 * 60_000 + 1;
    const expired = await invoke(client, anthropicBody('q2'));
    await invoke(client, anthropicBody('q1', '1h'));
    now += 50 * 60_000;
    const hourLater = await invoke(client, anthropicBody('q2', '1h'));

    // Assess
    expect(expired).toMatchObject({ cacheReadInputTokens: 0, cacheWriteInputTokens: expect.any(Number) });
    expect(expired.cacheWriteInputTokens).toBeGreaterThan(0);
    expect(hourLater.cacheReadInputTokens).toBeGreaterThan(0);
  });

  it('Anthropic streams report the write in message_start and in amazon-bedrock-invocationMetrics', async () => {
    // Act
    await invoke(client, anthropicBody('q1'));
    const output = await client.send(new InvokeModelWithResponseStreamCommand({ modelId: HAIKU, body: anthropicBody('q2') }));
    const chunks: Record<string, unknown>[] = [];
    for await (const event of output.body ?? []) chunks.push(JSON.parse(decoder.decode(event.chunk?.bytes)) as Record<string, unknown>);

    // Assess
    const start = chunks[0] as { message: { usage: { cache_read_input_tokens: number; cache_creation_input_tokens: number } } };
    expect(start.message.usage.cache_read_input_tokens).toBeGreaterThan(0);
    expect(start.message.usage.cache_creation_input_tokens).toBe(0);
    expect(chunks.at(-1)?.['amazon-bedrock-invocationMetrics']).toMatchObject({ cacheReadInputTokenCount: start.message.usage.cache_read_input_tokens });
  });

  it('Converse cachePoint: cacheWriteInputTokens first, then cacheReadInputTokens (also in the ConverseStream metadata)', async () => {
    // Act
    const first = await client.send(new ConverseCommand(converseInput('Why is checkout slow?')));
    const second = await client.send(new ConverseCommand(converseInput('And the payments API?')));
    const streamed = await client.send(new ConverseStreamCommand(converseInput('And search?')));
    let metadata: { usage?: { cacheReadInputTokens?: number; cacheWriteInputTokens?: number } } | undefined;
    for await (const event of streamed.stream ?? []) if (event.metadata) metadata = event.metadata;

    // Assess
    const written = first.usage?.cacheWriteInputTokens ?? 0;
    expect(written).toBeGreaterThan(RUNBOOK.length / 4);
    expect(first.usage?.cacheReadInputTokens).toBe(0);
    expect(second.usage).toMatchObject({ cacheReadInputTokens: written, cacheWriteInputTokens: 0 });
    expect(metadata?.usage).toMatchObject({ cacheReadInputTokens: written, cacheWriteInputTokens: 0 });
  });

  it('keys the cache by model and prefix: another model or another system prompt writes its own entry', async () => {
    // Act
    await client.send(new ConverseCommand(converseInput('q1')));
    const otherModel = await client.send(new ConverseCommand({ ...converseInput('q1'), modelId: 'amazon.nova-lite-v1:0' }));
    const otherPrefix = await client.send(new ConverseCommand({ ...converseInput('q1'), system: [{ text: `${RUNBOOK}!` }, { cachePoint: { type: 'default' } }] }));
    const uncached = await client.send(new ConverseCommand({ modelId: NOVA, messages: [{ role: 'user', content: [{ text: 'q1' }] }] }));

    // Assess
    expect(otherModel.usage).toMatchObject({ cacheReadInputTokens: 0, cacheWriteInputTokens: expect.any(Number) });
    expect(otherModel.usage?.cacheWriteInputTokens).toBeGreaterThan(0);
    expect(otherPrefix.usage?.cacheReadInputTokens).toBe(0);
    expect(uncached.usage).toMatchObject({ cacheReadInputTokens: 0, cacheWriteInputTokens: 0 });
  });
});
