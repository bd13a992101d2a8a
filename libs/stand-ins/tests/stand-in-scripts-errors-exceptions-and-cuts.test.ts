import {
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
  ThrottlingException,
  ValidationException,
  type BedrockRuntimeClient,
} from '@aws-sdk/client-bedrock-runtime';

import { bedrockErrorResponse, type BedrockStandIn, type StandInRequest } from '../src';

import { decoder, messages, startStandInClient, type StandInClient } from './support/stand-in-client';

async function drain(iterable: AsyncIterable<unknown> | undefined): Promise<{ events: unknown[]; error?: unknown }> {
  const events: unknown[] = [];
  try {
    for await (const event of iterable ?? []) events.push(event);
    return { events };
  } catch (error) {
    return { events, error };
  }
}

describe('Bedrock stand-in scripts errors, stream exceptions and network cuts', () => {
  let local: StandInClient;
  let standIn: BedrockStandIn;
  let client: BedrockRuntimeClient;

  beforeAll(async () => {
    local = await startStandInClient({ maxAttempts: 1 });
    ({ standIn, client } = local);
  });

  afterAll(() => local.close());

  it('answers an error response the SDK turns into its ThrottlingException', async () => {
    // Prepare
    standIn.respondWith(() => bedrockErrorResponse('ThrottlingException', 'Too many requests, please wait before trying again.'));

    // Act
    const error = await client.send(new InvokeModelCommand({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', body: '{}' })).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ThrottlingException);
    expect((error as ThrottlingException).message).toBe('Too many requests, please wait before trying again.');
    expect((error as ThrottlingException).$metadata.httpStatusCode).toBe(429);
    expect((error as ThrottlingException).$metadata.requestId).toBe(standIn.requests.at(-1)?.requestId);
  });

  it('answers a 400 ValidationException on Converse', async () => {
    // Prepare
    standIn.respondWith(() => bedrockErrorResponse('ValidationException', 'The provided model identifier is invalid.'));

    // Act
    const error = await client.send(new ConverseCommand({ modelId: 'nope', messages })).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ValidationException);
    expect((error as ValidationException).$metadata.httpStatusCode).toBe(400);
  });

  it('sends an exception event inside an InvokeModelWithResponseStream, which the SDK throws while iterating', async () => {
    // Prepare
    standIn.respondWith(() => ({
      stream: [{ chunk: { type: 'message_start', message: { usage: { input_tokens: 12, output_tokens: 1 } } } }, { exception: 'throttlingException', message: 'slow down' }],
    }));

    // Act
    const output = await client.send(new InvokeModelWithResponseStreamCommand({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', body: '{}' }));
    const { events, error } = await drain(output.body);

    // Assess
    expect(events).toHaveLength(1);
    const first = events[0] as { chunk: { bytes: Uint8Array } };
    expect(JSON.parse(decoder.decode(first.chunk.bytes))).toMatchObject({ type: 'message_start' });
    expect(error).toBeInstanceOf(ThrottlingException);
    expect((error as Error).message).toBe('slow down');
  });

  it('sends an exception event inside a ConverseStream (PascalCase names accepted)', async () => {
    // Prepare
    standIn.respondWith(() => ({
      stream: [
        { event: 'messageStart', payload: { role: 'assistant' } },
        { exception: 'ModelStreamErrorException', message: 'model failed mid-stream' },
      ],
    }));

    // Act
    const output = await client.send(new ConverseStreamCommand({ modelId: 'amazon.nova-lite-v1:0', messages }));
    const { events, error } = await drain(output.stream);

    // Assess
    expect(events).toEqual([{ messageStart: { role: 'assistant' } }]);
    expect((error as Error).name).toBe('ModelStreamErrorException');
  });

  it('cuts the stream after N events, which the SDK reports as an error while iterating', async () => {
    // Prepare
    standIn.respondWith(() => ({
      stream: [
        { event: 'messageStart', payload: { role: 'assistant' } },
        { event: 'contentBlockDelta', payload: { delta: { text: 'partial' }, contentBlockIndex: 0 } },
        { event: 'contentBlockStop', payload: { contentBlockIndex: 0 } },
        { event: 'metadata', payload: { usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 }, metrics: { latencyMs: 1 } } },
      ],
      cutAfter: 2,
    }));

    // Act
    const output = await client.send(new ConverseStreamCommand({ modelId: 'amazon.nova-lite-v1:0', messages }));
    const { events, error } = await drain(output.stream);

    // Assess
    expect(events).toHaveLength(2);
    expect((error as { code?: string }).code).toBe('ERR_HTTP2_STREAM_ERROR');
  });

  it('waits delayMs before each stream event', async () => {
    // Prepare
    standIn.respondWith(() => ({ stream: [{ chunk: { n: 1 } }, { chunk: { n: 2 } }], delayMs: 30 }));
    const started = Date.now();

    // Act
    const output = await client.send(new InvokeModelWithResponseStreamCommand({ modelId: 'meta.llama3-8b-instruct-v1:0', body: '{}' }));
    const { events } = await drain(output.body);

    // Assess
    expect(events).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('passes the decoded request to the responder and answers a failing responder with a 500', async () => {
    // Prepare
    const seen: StandInRequest[] = [];
    standIn.respondWith((request) => {
      seen.push(request);
      throw new Error('scripted failure');
    });

    // Act
    const error = await client.send(new ConverseCommand({ modelId: 'eu.amazon.nova-pro-v1:0', messages })).catch((e: unknown) => e);

    // Assess
    expect(seen[0]).toMatchObject({ api: 'Converse', modelId: 'eu.amazon.nova-pro-v1:0', foundationModelId: 'eu.amazon.nova-pro-v1:0', body: { messages } });
    expect((error as Error).name).toBe('InternalServerException');
    expect((error as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(500);
  });
});
