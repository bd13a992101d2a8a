import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  InternalServerException,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
  ServiceUnavailableException,
  ThrottlingException,
} from '@aws-sdk/client-bedrock-runtime';
import { NodeHttp2Handler } from '@smithy/node-http-handler';

import { startBedrockStandIn, type BedrockStandIn } from '../src';

import { messages } from './support/stand-in-client';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const NOVA = 'amazon.nova-lite-v1:0';
const anthropicBody = JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });

function clientFor(standIn: BedrockStandIn, requestTimeout?: number): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    endpoint: standIn.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    maxAttempts: 1,
    ...(requestTimeout === undefined ? {} : { requestHandler: new NodeHttp2Handler({ requestTimeout }) }),
  });
}

type AnyCommand = InvokeModelCommand | InvokeModelWithResponseStreamCommand | ConverseCommand | ConverseStreamCommand;

/** Sends `command`, draining a stream answer; resolves to the error it failed with, or undefined. */
async function failureOf(client: BedrockRuntimeClient, command: AnyCommand): Promise<unknown> {
  const send = client.send.bind(client) as (command: AnyCommand) => Promise<unknown>;
  try {
    const output = (await send(command)) as { body?: unknown; stream?: unknown };
    const stream = (command instanceof InvokeModelWithResponseStreamCommand ? output.body : output.stream) as AsyncIterable<unknown> | undefined;
    for await (const event of stream ?? []) void event;
    return undefined;
  } catch (error) {
    return error;
  }
}

const EVERY_API = [
  ['InvokeModel', () => new InvokeModelCommand({ modelId: HAIKU, body: anthropicBody })],
  ['InvokeModelWithResponseStream', () => new InvokeModelWithResponseStreamCommand({ modelId: HAIKU, body: anthropicBody })],
  ['Converse', () => new ConverseCommand({ modelId: NOVA, messages })],
  ['ConverseStream', () => new ConverseStreamCommand({ modelId: NOVA, messages })],
] as const;

/** The indexes of the calls that failed among `count` sequential Converse calls to a stand-in with `seed`. */
async function failedCalls(seed: number, count: number): Promise<number[]> {
  const standIn = await startBedrockStandIn({ faults: { seed, throttlingRate: 0.3 } });
  const client = clientFor(standIn);
  try {
    const failed: number[] = [];
    for (let i = 0; i < count; i++) {
      const error = await failureOf(client, new ConverseCommand({ modelId: NOVA, messages }));
      if (error !== undefined) {
        expect(error).toBeInstanceOf(ThrottlingException);
        failed.push(i);
      }
    }
    expect(standIn.requests.filter((r) => r.fault === 'ThrottlingException').length).toBe(failed.length);
    return failed;
  } finally {
    client.destroy();
    await standIn.close();
  }
}

describe('Bedrock stand-in injects seeded faults the real SDK maps to its exceptions', () => {
  let standIn: BedrockStandIn;
  let client: BedrockRuntimeClient;

  beforeAll(async () => {
    standIn = await startBedrockStandIn();
    client = clientFor(standIn);
  });

  afterEach(() => {
    standIn.setFaults(undefined);
    standIn.setLatency(undefined);
  });

  afterAll(async () => {
    client.destroy();
    await standIn.close();
  });

  it.each(EVERY_API)('throttles every %s call at a throttling rate of 1.0 with a 429 ThrottlingException', async (api, command) => {
    // Prepare
    standIn.setFaults({ throttlingRate: 1 });

    // Act
    const error = await failureOf(client, command());

    // Assess
    expect(error).toBeInstanceOf(ThrottlingException);
    expect((error as ThrottlingException).$metadata.httpStatusCode).toBe(429);
    expect((error as ThrottlingException).message).toBe('Too many requests, please wait before trying again.');
    expect(standIn.requests.at(-1)).toMatchObject({ api, fault: 'ThrottlingException' });
    expect((error as ThrottlingException).$metadata.requestId).toBe(standIn.requests.at(-1)?.requestId);
  });

  it('fails the same calls for the same seed at a rate of 0.3 over 200 calls, and others for another seed', async () => {
    // Act
    const first = await failedCalls(42, 200);
    const again = await failedCalls(42, 200);
    const other = await failedCalls(43, 200);

    // Assess
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    // Seeded, so not a statistical test: these are the exact counts of seeds 42 and 43, checked to be near 30 %.
    expect(first.length).toBeGreaterThan(40);
    expect(first.length).toBeLessThan(80);
    expect(other.length).toBeGreaterThan(40);
    expect(other.length).toBeLessThan(80);
  }, 120_000);

  it.each([
    ['serviceUnavailableRate', ServiceUnavailableException, 503],
    ['internalErrorRate', InternalServerException, 500],
  ] as const)('answers %s 1.0 with the SDK exception of its 5xx', async (rate, exception, status) => {
    // Prepare
    standIn.setFaults({ [rate]: 1 });

    // Act
    const invoke = await failureOf(client, new InvokeModelCommand({ modelId: HAIKU, body: anthropicBody }));
    const converse = await failureOf(client, new ConverseStreamCommand({ modelId: NOVA, messages }));

    // Assess
    for (const error of [invoke, converse]) {
      expect(error).toBeInstanceOf(exception);
      expect((error as InstanceType<typeof exception>).$metadata.httpStatusCode).toBe(status);
    }
  });

  it('injects per model: the throttled model fails, another model answers', async () => {
    // Prepare
    standIn.setFaults({ models: { [HAIKU]: { throttlingRate: 1 } } });

    // Act
    const throttled = await failureOf(client, new InvokeModelCommand({ modelId: HAIKU, body: anthropicBody }));
    const answered = await failureOf(client, new ConverseCommand({ modelId: NOVA, messages }));
    const profileOfTheSameModel = await failureOf(client, new InvokeModelCommand({ modelId: `us.${HAIKU}`, body: anthropicBody }));

    // Assess
    expect(throttled).toBeInstanceOf(ThrottlingException);
    expect(answered).toBeUndefined();
    expect(profileOfTheSameModel).toBeUndefined();
  });

  it('answers normally after a seeded latency (fixed + jitter)', async () => {
    // Prepare
    standIn.setLatency({ fixedMs: 5, jitterMs: 10, seed: 3 });

    // Act
    const error = await failureOf(client, new ConverseStreamCommand({ modelId: NOVA, messages }));

    // Assess
    expect(error).toBeUndefined();
    expect(standIn.requests.at(-1)?.fault).toBeUndefined();
  });

  it('refuses rates outside [0, 1], rates summing above 1 and a negative latency', () => {
    // Act + Assess
    expect(() => standIn.setFaults({ throttlingRate: 1.5 })).toThrow('faults.throttlingRate is 1.5 — expected a number in [0, 1]');
    expect(() => standIn.setFaults({ models: { m: { throttlingRate: 0.6, timeoutRate: 0.6 } } })).toThrow('faults.models["m"].fault rates sum to 1.2');
    expect(() => standIn.setLatency({ jitterMs: -1 })).toThrow('latency.jitterMs is -1');
  });

  describe('timeouts', () => {
    let impatient: BedrockRuntimeClient;

    beforeAll(() => {
      // Generous for a noisy 2-core machine: the stall lasts 30 s, so the client always gives up first.
      impatient = clientFor(standIn, 1_000);
    });

    afterAll(() => impatient.destroy());

    it('never answers a timed-out Converse, so the SDK call times out', async () => {
      // Prepare
      standIn.setFaults({ timeoutRate: 1 });

      // Act
      const error = await failureOf(impatient, new ConverseCommand({ modelId: NOVA, messages }));

      // Assess
      expect((error as Error).name).toBe('TimeoutError');
      expect(standIn.requests.at(-1)).toMatchObject({ api: 'Converse', fault: 'timeout' });
    });

    it('stalls a timed-out ConverseStream after its first event: the SDK closes the stream and it just ends there', async () => {
      // Prepare
      standIn.setFaults({ timeoutRate: 1 });
      const seen: unknown[] = [];

      // Act
      let error: unknown;
      try {
        const output = await impatient.send(new ConverseStreamCommand({ modelId: NOVA, messages }));
        for await (const event of output.stream ?? []) seen.push(event);
      } catch (e) {
        error = e;
      }

      // Assess: NodeHttp2Handler closes a stream idle past requestTimeout, and the SDK ends the iteration without an
      // error — no metadata event ever arrives (the tracked client flags such a stream truncated).
      expect(error).toBeUndefined();
      expect(seen).toEqual([{ messageStart: { role: 'assistant' } }]);
      expect(standIn.requests.at(-1)).toMatchObject({ api: 'ConverseStream', fault: 'timeout' });
    });

    it('still answers after the timeouts (the stalled exchanges were dropped)', async () => {
      // Act
      const error = await failureOf(impatient, new ConverseCommand({ modelId: NOVA, messages }));

      // Assess
      expect(error).toBeUndefined();
    });
  });
});
