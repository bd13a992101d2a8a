import { ConverseCommand, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttp2Handler } from '@smithy/node-http-handler';

import { drain, startTrackedStandIn, type TrackedStandIn } from './support/tracked-stand-in';

const NOVA = 'amazon.nova-lite-v1:0';
const messages = [{ role: 'user' as const, content: [{ text: 'hello' }] }];

describe('trackBedrockClient accounts the stand-in injected timeouts', () => {
  let t: TrackedStandIn;

  beforeAll(async () => {
    // 1 s of silence is enough for the client to give up; the stand-in would stall for 30 s.
    t = await startTrackedStandIn({
      standIn: { faults: { timeoutRate: 1 } },
      client: { requestHandler: new NodeHttp2Handler({ requestTimeout: 1_000 }) },
    });
  });

  afterEach(() => t.recorder.clear());

  afterAll(() => t.close());

  it('records a Converse the client timed out on as a retryable TimeoutError with no usage', async () => {
    // Act
    const error = await t.client.send(new ConverseCommand({ modelId: NOVA, messages })).catch((e: unknown) => e);

    // Assess
    expect((error as Error).name).toBe('TimeoutError');
    expect(t.recorder.events).toHaveLength(1);
    expect(t.recorder.events[0]).toMatchObject({ outcome: 'error', errorCode: 'TimeoutError', retryable: true, usage: { totalTokens: 0 } });
  });

  it('records a ConverseStream that stalled after its first event (the SDK just ends it) as truncated', async () => {
    // Act
    const output = await t.client.send(new ConverseStreamCommand({ modelId: NOVA, messages }));
    const { events, error } = await drain(output.stream);

    // Assess
    expect(error).toBeUndefined();
    expect(events).toHaveLength(1);
    expect(t.recorder.events).toHaveLength(1);
    expect(t.recorder.events[0]?.flags).toContain('truncated');
  });
});
