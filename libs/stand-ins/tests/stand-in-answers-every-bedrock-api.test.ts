import { request as httpRequest } from 'node:http';

import {
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
  type BedrockRuntimeClient,
} from '@aws-sdk/client-bedrock-runtime';

import type { BedrockStandIn } from '../src';

import { decoder, startStandInClient, type StandInClient } from './support/stand-in-client';

function post(url: string, body: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('Bedrock stand-in answers every runtime API for the real SDK client', () => {
  let local: StandInClient;
  let standIn: BedrockStandIn;
  let client: BedrockRuntimeClient;

  beforeAll(async () => {
    local = await startStandInClient();
    ({ standIn, client } = local);
  });

  afterAll(() => local.close());

  it('answers InvokeModel for an Anthropic model with a Messages body, percent-decoding the model id', async () => {
    // Prepare
    const modelId = 'us.anthropic.claude-3-5-haiku-20241022-v1:0';
    const body = JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 200, messages: [{ role: 'user', content: 'Why did the deploy fail?' }] });

    // Act
    const output = await client.send(new InvokeModelCommand({ modelId, body, contentType: 'application/json' }));

    // Assess
    const parsed = JSON.parse(decoder.decode(output.body)) as { type: string; content: { text: string }[]; usage: { input_tokens: number; output_tokens: number } };
    expect(parsed.type).toBe('message');
    expect(parsed.content[0]?.text.length).toBeGreaterThan(0);
    expect(parsed.usage.input_tokens).toBeGreaterThan(0);
    expect(parsed.usage.output_tokens).toBeGreaterThan(0);
    const recorded = standIn.requests.at(-1);
    expect(recorded).toMatchObject({ api: 'InvokeModel', modelId, protocol: 'h2', method: 'POST' });
    expect(recorded?.path).toContain('%3A');
    expect(output.$metadata.requestId).toBe(recorded?.requestId);
  });

  it.each([
    ['amazon.titan-text-lite-v1', { inputText: 'hi', textGenerationConfig: { maxTokenCount: 100 } }, 'inputTextTokenCount'],
    ['meta.llama3-2-3b-instruct-v1:0', { prompt: 'hi', max_gen_len: 100 }, 'generation_token_count'],
    ['amazon.nova-lite-v1:0', { messages: [{ role: 'user', content: [{ text: 'hi' }] }] }, 'usage'],
    ['mistral.mistral-large-2402-v1:0', { prompt: '<s>[INST] hi [/INST]', max_tokens: 100 }, 'outputs'],
  ])('answers InvokeModel for %s with that family body shape', async (modelId, request, field) => {
    // Act
    const output = await client.send(new InvokeModelCommand({ modelId, body: JSON.stringify(request) }));

    // Assess
    expect(JSON.parse(decoder.decode(output.body))).toHaveProperty(field);
  });

  it('sends the X-Amzn-Bedrock token and latency headers on InvokeModel, also over HTTP/1.1', async () => {
    // Act
    const response = await post(`${standIn.endpoint}/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke`, JSON.stringify({ messages: [{ role: 'user', content: 'x' }], max_tokens: 50 }));

    // Assess
    expect(response.status).toBe(200);
    const usage = (JSON.parse(response.body) as { usage: { input_tokens: number; output_tokens: number } }).usage;
    expect(response.headers['x-amzn-bedrock-input-token-count']).toBe(String(usage.input_tokens));
    expect(response.headers['x-amzn-bedrock-output-token-count']).toBe(String(usage.output_tokens));
    expect(response.headers['x-amzn-bedrock-cache-read-input-token-count']).toBe('0');
    expect(response.headers['x-amzn-bedrock-cache-write-input-token-count']).toBe('0');
    expect(Number(response.headers['x-amzn-bedrock-invocation-latency'])).toBeGreaterThan(0);
    expect(response.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(standIn.requests.at(-1)?.protocol).toBe('http/1.1');
  });

  it('derives usage deterministically from the request', async () => {
    // Prepare
    const body = JSON.stringify({ messages: [{ role: 'user', content: 'same prompt' }], max_tokens: 300 });
    const call = async () => JSON.parse(decoder.decode((await client.send(new InvokeModelCommand({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', body }))).body)) as { usage: unknown };

    // Act
    const [first, second] = [await call(), await call()];

    // Assess
    expect(first.usage).toEqual(second.usage);
  });

  it('streams InvokeModelWithResponseStream chunks whose last carries amazon-bedrock-invocationMetrics', async () => {
    // Prepare
    const body = JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 200, messages: [{ role: 'user', content: 'Summarise' }] });

    // Act
    const output = await client.send(new InvokeModelWithResponseStreamCommand({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', body }));
    const chunks: Record<string, unknown>[] = [];
    for await (const event of output.body ?? []) {
      if (event.chunk?.bytes) chunks.push(JSON.parse(decoder.decode(event.chunk.bytes)) as Record<string, unknown>);
    }

    // Assess
    expect(chunks[0]?.['type']).toBe('message_start');
    expect(chunks.at(-1)?.['type']).toBe('message_stop');
    expect(chunks.at(-1)?.['amazon-bedrock-invocationMetrics']).toEqual(
      expect.objectContaining({ inputTokenCount: expect.any(Number), outputTokenCount: expect.any(Number), invocationLatency: expect.any(Number), firstByteLatency: expect.any(Number) }),
    );
    expect(output.contentType).toBe('application/json');
  });

  it('answers Converse with output, usage and metrics', async () => {
    // Act
    const output = await client.send(new ConverseCommand({ modelId: 'amazon.nova-lite-v1:0', messages: [{ role: 'user', content: [{ text: 'hello' }] }] }));

    // Assess
    expect(output.output?.message?.content?.[0]?.text?.length).toBeGreaterThan(0);
    expect(output.stopReason).toBe('end_turn');
    expect(output.usage).toEqual(expect.objectContaining({ inputTokens: expect.any(Number), outputTokens: expect.any(Number), totalTokens: expect.any(Number) }));
    expect(output.metrics?.latencyMs).toBeGreaterThan(0);
  });

  it('reports a cache read when a repeated request marks a cache point (the first one wrote it)', async () => {
    // Prepare
    const cached = new ConverseCommand({ modelId: 'anthropic.claude-3-5-haiku-20241022-v1:0', messages: [{ role: 'user', content: [{ text: 'long shared context' }, { cachePoint: { type: 'default' } }] }] });
    const written = await client.send(cached);

    // Act
    const output = await client.send(cached);

    // Assess
    expect(written.usage?.cacheWriteInputTokens).toBeGreaterThan(0);
    expect(output.usage?.cacheReadInputTokens).toBe(written.usage?.cacheWriteInputTokens);
    const { inputTokens = 0, outputTokens = 0, cacheReadInputTokens = 0, cacheWriteInputTokens = 0 } = output.usage ?? {};
    expect(output.usage?.totalTokens).toBe(inputTokens + outputTokens + cacheReadInputTokens + cacheWriteInputTokens);
  });

  it('streams ConverseStream events ending with a metadata event', async () => {
    // Act
    const output = await client.send(new ConverseStreamCommand({ modelId: 'amazon.nova-micro-v1:0', messages: [{ role: 'user', content: [{ text: 'hello' }] }] }));
    const names: string[] = [];
    let metadata: unknown;
    for await (const event of output.stream ?? []) {
      names.push(Object.keys(event).filter((key) => (event as unknown as Record<string, unknown>)[key] !== undefined)[0] ?? '?');
      if (event.metadata) metadata = event.metadata;
    }

    // Assess
    expect(names[0]).toBe('messageStart');
    expect(names).toContain('contentBlockDelta');
    expect(names.slice(-3)).toEqual(['contentBlockStop', 'messageStop', 'metadata']);
    expect(metadata).toEqual(expect.objectContaining({ usage: expect.objectContaining({ inputTokens: expect.any(Number) }), metrics: { latencyMs: expect.any(Number) } }));
  });
});
