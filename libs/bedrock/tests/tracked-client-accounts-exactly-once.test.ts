import { ConverseCommand, ConverseStreamCommand, InvokeModelWithResponseStreamCommand } from '@aws-sdk/client-bedrock-runtime';

import { drain, useTrackedStandIn } from './support/tracked-stand-in';

const messages = [{ role: 'user' as const, content: [{ text: 'hello' }] }];

describe('trackBedrockClient accounts each Bedrock request exactly once', () => {
  const t = useTrackedStandIn();

  it('records one event per request, keyed by its Bedrock request id, for many concurrent calls and streams', async () => {
    // Act
    await Promise.all([
      ...Array.from({ length: 10 }, () => t.client.send(new ConverseCommand({ modelId: 'amazon.nova-lite-v1:0', messages }))),
      ...Array.from({ length: 10 }, async () => drain((await t.client.send(new ConverseStreamCommand({ modelId: 'amazon.nova-lite-v1:0', messages }))).stream)),
    ]);

    // Assess
    const ids = t.recorder.events.map((e) => e.eventId);
    expect(ids).toHaveLength(20);
    expect(new Set(ids).size).toBe(20);
    expect(new Set(ids)).toEqual(new Set(t.standIn.requests.slice(-20).map((r) => r.requestId)));
  });

  it('does not record a stream again when it is iterated again, returned twice, or broken after completion', async () => {
    // Prepare
    const output = await t.client.send(new InvokeModelWithResponseStreamCommand({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', body: '{"max_tokens":50,"messages":[]}' }));
    const body = output.body;
    if (!body) throw new Error('no body');

    // Act
    await drain(body);
    const iterator = body[Symbol.asyncIterator]();
    await iterator.return?.();
    await iterator.return?.();
    await drain(body);

    // Assess
    expect(t.recorder.events).toHaveLength(1);
    expect(t.recorder.events[0]?.flags).toEqual([]);
  });

  it('records nothing for a stream until it ends', async () => {
    // Act
    const output = await t.client.send(new ConverseStreamCommand({ modelId: 'amazon.nova-lite-v1:0', messages }));
    const before = t.recorder.events.length;
    await drain(output.stream);

    // Assess
    expect(before).toBe(0);
    expect(t.recorder.events).toHaveLength(1);
  });
});
