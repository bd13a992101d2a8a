import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
  ServiceUnavailableException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-bedrock-runtime';
import { UsageError } from '@bedrock-usage/core';
import { NodeHttp2Handler } from '@smithy/node-http-handler';
import { PriceBook } from '@bedrock-usage/pricing';
import { InMemoryUsageRecorder } from '@bedrock-usage/testing';
import { bedrockErrorResponse, createDefaultBedrockResponder, type StandInFaults } from '@bedrock-usage/stand-ins';

import { trackBedrockClient, type TrackedBedrockClientOptions } from '../src';

import { CREDENTIALS, decoder, drain, startTrackedStandIn, type TrackedStandIn } from './support/tracked-stand-in';

const HAIKU_3 = 'anthropic.claude-3-haiku-20240307-v1:0';
const HAIKU_35 = 'anthropic.claude-3-5-haiku-20241022-v1:0';
const NOVA = 'amazon.nova-lite-v1:0';
const messages = [{ role: 'user' as const, content: [{ text: 'Why is the queue backing up?' }] }];
const anthropicBody = JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 100, messages: [{ role: 'user', content: 'Why is the queue backing up?' }] });

const THROTTLE_HAIKU_3: StandInFaults = { models: { [HAIKU_3]: { throttlingRate: 1 } } };

describe('trackBedrockClient falls back along the configured chain on throttling and unavailability', () => {
  let t: TrackedStandIn | undefined;

  async function start(faults: StandInFaults, tracking: Partial<TrackedBedrockClientOptions>, maxAttempts = 1): Promise<TrackedStandIn> {
    t = await startTrackedStandIn({ standIn: { faults }, tracking, client: { maxAttempts } });
    return t;
  }

  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('Converse: the throttled model is an error event, the fallback answers the agent and carries the cost', async () => {
    // Prepare
    const { client, recorder, standIn } = await start(THROTTLE_HAIKU_3, { fallbacks: { [HAIKU_3]: [NOVA] } });

    // Act
    const output = await client.send(new ConverseCommand({ modelId: HAIKU_3, messages }));

    // Assess
    expect(output.output?.message?.content?.[0]?.text?.length).toBeGreaterThan(0);
    expect(standIn.requests.map((r) => [r.modelId, r.fault])).toEqual([
      [HAIKU_3, 'ThrottlingException'],
      [NOVA, undefined],
    ]);
    const [throttled, answered] = recorder.events;
    expect(recorder.events).toHaveLength(2);
    expect(throttled).toMatchObject({
      api: 'Converse',
      modelId: HAIKU_3,
      outcome: 'error',
      errorCode: 'ThrottlingException',
      retryable: true,
      statusCode: 429,
      eventId: standIn.requests[0]?.requestId,
      usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
    });
    expect(throttled?.cost?.total ?? 0n).toBe(0n);
    expect(answered).toMatchObject({ api: 'Converse', modelId: NOVA, outcome: 'success', eventId: output.$metadata.requestId });
    expect(answered?.usage).toMatchObject({ inputTokens: output.usage?.inputTokens, outputTokens: output.usage?.outputTokens });
    expect(answered?.cost?.total).toBeGreaterThan(0n);
  });

  it('falls back only after the SDK retries: each throttled retry is its own error event', async () => {
    // Prepare
    const { client, recorder } = await start(THROTTLE_HAIKU_3, { fallbacks: { [HAIKU_3]: [NOVA] } }, 2);

    // Act
    await client.send(new ConverseCommand({ modelId: HAIKU_3, messages }));

    // Assess
    expect(recorder.events.map((e) => [e.modelId, e.outcome, e.errorCode])).toEqual([
      [HAIKU_3, 'error', 'ThrottlingException'],
      [HAIKU_3, 'error', 'ThrottlingException'],
      [NOVA, 'success', undefined],
    ]);
  });

  it('ConverseStream: the fallback stream reaches the agent and is accounted when it ends', async () => {
    // Prepare
    const { client, recorder } = await start(THROTTLE_HAIKU_3, { fallbacks: { [HAIKU_3]: [NOVA] } });

    // Act
    const output = await client.send(new ConverseStreamCommand({ modelId: HAIKU_3, messages }));
    const { events, error } = await drain(output.stream);

    // Assess
    expect(error).toBeUndefined();
    expect(events.at(-1)).toHaveProperty('metadata');
    expect(recorder.events.map((e) => [e.api, e.modelId, e.outcome])).toEqual([
      ['ConverseStream', HAIKU_3, 'error'],
      ['ConverseStream', NOVA, 'success'],
    ]);
    expect(recorder.events[1]?.usage.outputTokens).toBeGreaterThan(0);
  });

  it('InvokeModel: skips a fallback taking another body format and answers from the next compatible one', async () => {
    // Prepare
    const { client, recorder, standIn } = await start(THROTTLE_HAIKU_3, { fallbacks: { [HAIKU_3]: [NOVA, HAIKU_35] } });

    // Act
    const output = await client.send(new InvokeModelCommand({ modelId: HAIKU_3, body: anthropicBody }));

    // Assess
    const body = JSON.parse(decoder.decode(output.body)) as { type: string; usage: { input_tokens: number } };
    expect(body.type).toBe('message');
    expect(standIn.requests.map((r) => r.modelId)).toEqual([HAIKU_3, HAIKU_35]);
    expect(recorder.events.map((e) => [e.modelId, e.outcome])).toEqual([
      [HAIKU_3, 'error'],
      [HAIKU_35, 'success'],
    ]);
    expect(recorder.events[1]?.usage.inputTokens).toBe(body.usage.input_tokens);
  });

  it('InvokeModelWithResponseStream falls back within the family too', async () => {
    // Prepare
    const { client, recorder } = await start(THROTTLE_HAIKU_3, { fallbacks: { [HAIKU_3]: [`us.${HAIKU_35}`] } });

    // Act
    const output = await client.send(new InvokeModelWithResponseStreamCommand({ modelId: HAIKU_3, body: anthropicBody }));
    await drain(output.body);

    // Assess
    expect(recorder.events.map((e) => [e.modelId, e.outcome])).toEqual([
      [HAIKU_3, 'error'],
      [`us.${HAIKU_35}`, 'success'],
    ]);
  });

  it('InvokeModel with no compatible fallback: the throttling error reaches the agent, one event', async () => {
    // Prepare
    const { client, recorder, standIn } = await start(THROTTLE_HAIKU_3, { fallbacks: { [HAIKU_3]: [NOVA] } });

    // Act
    const error = await client.send(new InvokeModelCommand({ modelId: HAIKU_3, body: anthropicBody })).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ThrottlingException);
    expect(standIn.requests).toHaveLength(1);
    expect(recorder.events).toHaveLength(1);
  });

  it('every model unavailable: each attempt is an error event and the agent gets the last error', async () => {
    // Prepare
    const { client, recorder, standIn } = await start({ serviceUnavailableRate: 1 }, { fallbacks: { [HAIKU_3]: [HAIKU_35, NOVA] } });

    // Act
    const error = await client.send(new ConverseCommand({ modelId: HAIKU_3, messages })).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ServiceUnavailableException);
    expect((error as ServiceUnavailableException).$metadata.requestId).toBe(standIn.requests.at(-1)?.requestId);
    expect(standIn.requests.map((r) => r.modelId)).toEqual([HAIKU_3, HAIKU_35, NOVA]);
    expect(recorder.events.map((e) => [e.modelId, e.outcome, e.errorCode, e.statusCode])).toEqual([
      [HAIKU_3, 'error', 'ServiceUnavailableException', 503],
      [HAIKU_35, 'error', 'ServiceUnavailableException', 503],
      [NOVA, 'error', 'ServiceUnavailableException', 503],
    ]);
  });

  it('does not fall back on an error another model would share (ValidationException)', async () => {
    // Prepare
    const { client, recorder, standIn } = await start({}, { fallbacks: { [HAIKU_3]: [NOVA] } });
    standIn.respondWith(() => bedrockErrorResponse('ValidationException', 'messages: at least one message is required'));

    // Act
    const error = await client.send(new ConverseCommand({ modelId: HAIKU_3, messages })).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ValidationException);
    expect(standIn.requests).toHaveLength(1);
    expect(recorder.events).toHaveLength(1);
  });

  it('takes the chain from a function and the trigger from fallbackOn', async () => {
    // Prepare
    const asked: string[] = [];
    const { client, recorder, standIn } = await start(
      {},
      {
        fallbacks: (modelId, api) => {
          asked.push(`${api} ${modelId}`);
          return [NOVA];
        },
        fallbackOn: (error) => (error as Error).name === 'ValidationException',
      },
    );
    const answer = createDefaultBedrockResponder();
    standIn.respondWith((request) => (request.modelId === HAIKU_3 ? bedrockErrorResponse('ValidationException') : answer(request)));

    // Act
    await client.send(new ConverseCommand({ modelId: HAIKU_3, messages }));

    // Assess
    expect(asked).toEqual([`Converse ${HAIKU_3}`]);
    expect(recorder.events.map((e) => [e.modelId, e.outcome])).toEqual([
      [HAIKU_3, 'error'],
      [NOVA, 'success'],
    ]);
  });

  it('a throwing fallbacks function is reported, never thrown: the call goes on without fallbacks', async () => {
    // Prepare
    const { client, recorder, trackingErrors } = await start(THROTTLE_HAIKU_3, {
      fallbacks: () => {
        throw new Error('chain bug');
      },
    });

    // Act
    const error = await client.send(new ConverseCommand({ modelId: HAIKU_3, messages })).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ThrottlingException);
    expect(recorder.events).toHaveLength(1);
    expect(trackingErrors).toEqual([new Error('chain bug')]);
  });

  it('a throwing fallbackOn is reported and the original error reaches the agent', async () => {
    // Prepare
    const { client, recorder, trackingErrors } = await start(THROTTLE_HAIKU_3, {
      fallbacks: { [HAIKU_3]: [NOVA] },
      fallbackOn: () => {
        throw new Error('predicate bug');
      },
    });

    // Act
    const error = await client.send(new ConverseCommand({ modelId: HAIKU_3, messages })).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ThrottlingException);
    expect(recorder.events).toHaveLength(1);
    expect(trackingErrors).toEqual([new Error('predicate bug')]);
  });

  it('ConverseStream whose first event is a throttlingException (HTTP 200): falls back too', async () => {
    // Prepare
    const { client, recorder, standIn } = await start({}, { fallbacks: { [HAIKU_3]: [NOVA] } });
    const answer = createDefaultBedrockResponder();
    standIn.respondWith((request) =>
      request.modelId === HAIKU_3 ? { stream: [{ exception: 'throttlingException', message: 'Too many tokens, please wait.' }] } : answer(request),
    );

    // Act
    const output = await client.send(new ConverseStreamCommand({ modelId: HAIKU_3, messages }));
    await drain(output.stream);

    // Assess
    expect(recorder.events.map((e) => [e.modelId, e.outcome, e.errorCode])).toEqual([
      [HAIKU_3, 'error', 'ThrottlingException'],
      [NOVA, 'success', undefined],
    ]);
  });

  it('does not fall back when the client timed out (the request may have run and been billed)', async () => {
    // Prepare
    const { client, recorder, standIn } = await start(
      { models: { [HAIKU_3]: { timeoutRate: 1 } } },
      { fallbacks: { [HAIKU_3]: [NOVA] } },
    );
    client.config.requestHandler = new NodeHttp2Handler({ requestTimeout: 1_000 });

    // Act
    const error = await client.send(new ConverseCommand({ modelId: HAIKU_3, messages })).catch((e: unknown) => e);

    // Assess
    expect((error as Error).name).toBe('TimeoutError');
    expect(standIn.requests.map((r) => r.modelId)).toEqual([HAIKU_3]);
    expect(recorder.events.map((e) => [e.modelId, e.outcome, e.errorCode])).toEqual([[HAIKU_3, 'error', 'TimeoutError']]);
  });

  it('refuses a malformed fallback table at tracking time', () => {
    // Prepare
    const track = (fallbacks: TrackedBedrockClientOptions['fallbacks']) => () =>
      trackBedrockClient(new BedrockRuntimeClient({ region: 'us-east-1', credentials: CREDENTIALS }), { recorder: new InMemoryUsageRecorder(), pricer: PriceBook.builtIn(), fallbacks });

    // Act + Assess
    expect(track({ [HAIKU_3]: [HAIKU_3] })).toThrow(UsageError);
    expect(track({ [HAIKU_3]: [HAIKU_3] })).toThrow(`"fallbacks['${HAIKU_3}']" lists the model itself — a model is never its own fallback`);
    expect(track({ [HAIKU_3]: NOVA as unknown as string[] })).toThrow(`"fallbacks['${HAIKU_3}']" is "${NOVA}" — expected an array of model ids`);
  });
});
