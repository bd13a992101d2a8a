import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
  ThrottlingException,
} from '@aws-sdk/client-bedrock-runtime';
import { PriceBook } from '@bedrock-usage/pricing';
import { InMemoryUsageRecorder } from '@bedrock-usage/testing';
import { bedrockErrorResponse, createDefaultBedrockResponder, startBedrockStandIn } from '@bedrock-usage/stand-ins';

import { trackBedrockClient } from '../src';
import { CREDENTIALS, decoder, drain, useTrackedStandIn } from './support/tracked-stand-in';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const messages = [{ role: 'user' as const, content: [{ text: 'hello' }] }];
const anthropicBody = JSON.stringify({ max_tokens: 300, messages: [{ role: 'user', content: 'Explain the outage' }] });
const defaults = createDefaultBedrockResponder();

describe('trackBedrockClient accounts errors, stream exceptions, cuts and early stops', () => {
  const t = useTrackedStandIn({ afterEach: ({ standIn }) => standIn.respondWith(defaults) });

  it('records a 429 as a retryable ThrottlingException error while the agent gets the SDK error unchanged', async () => {
    // Prepare
    t.standIn.respondWith(() => bedrockErrorResponse('ThrottlingException', 'Too many requests, please wait before trying again.'));

    // Act
    const error = await t.client.send(new InvokeModelCommand({ modelId: HAIKU, body: anthropicBody })).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ThrottlingException);
    expect((error as ThrottlingException).message).toBe('Too many requests, please wait before trying again.');
    expect(t.recorder.events).toHaveLength(1);
    expect(t.recorder.events[0]).toMatchObject({
      eventId: t.standIn.requests.at(-1)?.requestId,
      outcome: 'error',
      errorCode: 'ThrottlingException',
      retryable: true,
      statusCode: 429,
      usage: { totalTokens: 0 },
      resolvedModel: HAIKU,
    });
    expect(t.recorder.events[0]?.cost?.total).toBe(0n);
  });

  it('records a 400 ValidationException on Converse as not retryable', async () => {
    // Prepare
    t.standIn.respondWith(() => bedrockErrorResponse('ValidationException', 'Malformed input request'));

    // Act
    await t.client.send(new ConverseCommand({ modelId: 'amazon.nova-lite-v1:0', messages })).catch(() => undefined);

    // Assess
    expect(t.recorder.events[0]).toMatchObject({ outcome: 'error', errorCode: 'ValidationException', retryable: false, statusCode: 400 });
  });

  it('records an exception event inside a stream as an error when the agent meets it', async () => {
    // Prepare
    t.standIn.respondWith(() => ({
      stream: [
        { chunk: { type: 'message_start', message: { usage: { input_tokens: 40, output_tokens: 1 } } } },
        { chunk: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'The' } } },
        { exception: 'throttlingException', message: 'slow down' },
      ],
    }));

    // Act
    const output = await t.client.send(new InvokeModelWithResponseStreamCommand({ modelId: HAIKU, body: anthropicBody }));
    const { events, error } = await drain(output.body);

    // Assess
    expect(events).toHaveLength(2);
    expect(error).toBeInstanceOf(ThrottlingException);
    expect(t.recorder.events).toHaveLength(1);
    expect(t.recorder.events[0]).toMatchObject({ outcome: 'error', errorCode: 'ThrottlingException', retryable: true, statusCode: 200, eventId: output.$metadata.requestId });
  });

  it('records a stream whose first event is an exception (the SDK throws it from send)', async () => {
    // Prepare
    t.standIn.respondWith(() => ({ stream: [{ exception: 'serviceUnavailableException', message: 'try later' }] }));

    // Act
    const error = await t.client.send(new ConverseStreamCommand({ modelId: 'amazon.nova-lite-v1:0', messages })).catch((e: unknown) => e);

    // Assess
    expect((error as Error).name).toBe('ServiceUnavailableException');
    expect(t.recorder.events).toHaveLength(1);
    expect(t.recorder.events[0]).toMatchObject({ outcome: 'error', errorCode: 'ServiceUnavailableException', retryable: true });
  });

  it('records an early-stopped stream once, flagged truncated, estimated from message_start', async () => {
    // Act
    const output = await t.client.send(new InvokeModelWithResponseStreamCommand({ modelId: HAIKU, body: anthropicBody }));
    let first: unknown;
    for await (const event of output.body ?? []) {
      first = event;
      break;
    }

    // Assess
    const messageStart = JSON.parse(decoder.decode((first as { chunk: { bytes: Uint8Array } }).chunk.bytes)) as { type: string; message: { usage: { input_tokens: number; output_tokens: number } } };
    expect(messageStart.type).toBe('message_start');
    expect(t.recorder.events).toHaveLength(1);
    expect(t.recorder.events[0]).toMatchObject({
      outcome: 'success',
      usage: { inputTokens: messageStart.message.usage.input_tokens, outputTokens: messageStart.message.usage.output_tokens },
    });
    expect(t.recorder.events[0]?.flags).toContain('truncated');
    expect(t.recorder.events[0]?.cost?.total).toBeGreaterThan(0n);
  });

  it('records a network-cut stream once, flagged truncated, and the agent sees the cut', async () => {
    // Prepare
    t.standIn.respondWith(async (request) => {
      const full = await defaults(request);
      return { ...full, cutAfter: 3 };
    });

    // Act
    const output = await t.client.send(new InvokeModelWithResponseStreamCommand({ modelId: HAIKU, body: anthropicBody }));
    const { events, error } = await drain(output.body);

    // Assess
    expect(events).toHaveLength(3);
    expect((error as { code?: string }).code).toBe('ERR_HTTP2_STREAM_ERROR');
    expect(t.recorder.events).toHaveLength(1);
    expect(t.recorder.events[0]?.outcome).toBe('success');
    expect(t.recorder.events[0]?.flags).toContain('truncated');
    expect(t.recorder.events[0]?.usage.inputTokens).toBeGreaterThan(0);
  });

  it('records a stream the agent closes by calling return() on its iterator', async () => {
    // Act
    const output = await t.client.send(new ConverseStreamCommand({ modelId: 'amazon.nova-lite-v1:0', messages }));
    if (!output.stream) throw new Error('no stream');
    const iterator = output.stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    await iterator.return?.();

    // Assess
    expect(first.value).toEqual({ messageStart: { role: 'assistant' } });
    expect(t.recorder.events).toHaveLength(1);
    expect(t.recorder.events[0]?.flags).toContain('truncated');
  });

  it('records a response whose usage cannot be read as rejected — billed, never dropped', async () => {
    // Prepare
    t.standIn.respondWith(() => ({
      status: 200,
      headers: { 'X-Amzn-Bedrock-Input-Token-Count': '-5', 'X-Amzn-Bedrock-Output-Token-Count': 'many' },
      body: '{"truncated json',
    }));

    // Act
    const output = await t.client.send(new InvokeModelCommand({ modelId: HAIKU, body: anthropicBody }));

    // Assess
    expect(decoder.decode(output.body)).toBe('{"truncated json');
    expect(t.recorder.events).toHaveLength(1);
    expect(t.recorder.events[0]).toMatchObject({ outcome: 'rejected', cost: null, usage: { totalTokens: 0 }, resolvedModel: HAIKU });
    expect(t.recorder.events[0]?.flags).toContain('extraction_rejected');
    expect(t.recorder.events[0]?.rejectReason).toEqual(expect.any(String));
  });

  it('records each failed attempt of a call the SDK retried, and the final success', async () => {
    // Prepare
    let calls = 0;
    t.standIn.respondWith((request) => (++calls === 1 ? bedrockErrorResponse('ThrottlingException') : defaults(request)));
    const retrying = new BedrockRuntimeClient({ endpoint: t.standIn.endpoint, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 2 });
    trackBedrockClient(retrying, { recorder: t.recorder, pricer: PriceBook.builtIn() });

    // Act
    const output = await retrying.send(new ConverseCommand({ modelId: 'amazon.nova-lite-v1:0', messages }));
    retrying.destroy();

    // Assess
    expect(t.recorder.events.map((e) => [e.outcome, e.errorCode])).toEqual([
      ['error', 'ThrottlingException'],
      ['success', undefined],
    ]);
    expect(t.recorder.events.map((e) => e.eventId)).toEqual(t.standIn.requests.slice(-2).map((r) => r.requestId));
    expect(t.recorder.events[1]?.eventId).toBe(output.$metadata.requestId);
  });

  it('records a call that got no response at all as a retryable network error', async () => {
    // Prepare
    const gone = await startBedrockStandIn();
    const endpoint = gone.endpoint;
    await gone.close();
    const recorder = new InMemoryUsageRecorder();
    const client = trackBedrockClient(new BedrockRuntimeClient({ endpoint, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 }), {
      recorder,
      pricer: PriceBook.builtIn(),
    });

    // Act
    const error = await client.send(new ConverseCommand({ modelId: 'amazon.nova-lite-v1:0', messages })).catch((e: unknown) => e);
    client.destroy();

    // Assess
    expect(error).toBeDefined();
    expect(recorder.events).toHaveLength(1);
    expect(recorder.events[0]).toMatchObject({ outcome: 'error', errorCode: 'ECONNREFUSED', retryable: true });
    expect(recorder.events[0]?.statusCode).toBeUndefined();
    expect(recorder.events[0]?.eventId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
