import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { withUsageContext } from '@bedrock-usage/core';
import { PriceBook } from '@bedrock-usage/pricing';
import { InMemoryUsageRecorder } from '@bedrock-usage/testing';
import { defaultBedrockResponder } from '@bedrock-usage/stand-ins';

import { trackBedrockClient } from '../src';
import { CREDENTIALS, drain, useTrackedStandIn } from './support/tracked-stand-in';

const messages = [{ role: 'user' as const, content: [{ text: 'hello' }] }];

describe('trackBedrockClient attributes each call to the usage context it was made in', () => {
  const t = useTrackedStandIn({ afterEach: ({ standIn }) => standIn.respondWith(defaultBedrockResponder) });

  it('takes agent, incident and tags from withUsageContext, across awaits', async () => {
    // Act
    await withUsageContext({ agentId: 'jira', incidentId: 'INC-20250311-0042', tags: { team: 'sre' } }, async () => {
      await Promise.resolve();
      await t.client.send(new ConverseCommand({ modelId: 'amazon.nova-lite-v1:0', messages }));
    });

    // Assess
    expect(t.recorder.events[0]).toMatchObject({ agentId: 'jira', incidentId: 'INC-20250311-0042', tags: { team: 'sre' } });
  });

  it('attributes concurrent calls in different contexts each to its own', async () => {
    // Prepare
    const agents = ['cloud-engineer', 'knowledge-base', 'error-analysis', 'jira', 'operations'];
    t.standIn.respondWith(async (request) => {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
      return {
        status: 200,
        body: { output: { message: { role: 'assistant', content: [{ text: 'ok' }] } }, stopReason: 'end_turn', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 }, metrics: { latencyMs: 3 }, echo: request.modelId },
      };
    });

    // Act
    const outputs = await Promise.all(
      agents.flatMap((agentId) =>
        [1, 2, 3].map((n) =>
          withUsageContext({ agentId, incidentId: `INC-${agentId}-${n}` }, () => t.client.send(new ConverseCommand({ modelId: 'amazon.nova-micro-v1:0', messages }))),
        ),
      ),
    );

    // Assess
    expect(t.recorder.events).toHaveLength(15);
    const byRequest = new Map(t.recorder.events.map((e) => [e.eventId, e]));
    agents.forEach((agentId, i) =>
      [1, 2, 3].forEach((n, j) => {
        const event = byRequest.get(outputs[i * 3 + j]?.$metadata.requestId ?? '');
        expect(event).toMatchObject({ agentId, incidentId: `INC-${agentId}-${n}` });
      }),
    );
  });

  it('attributes a stream to the context of the call even when consumed outside it', async () => {
    // Act
    const output = await withUsageContext({ agentId: 'operations' }, () => t.client.send(new ConverseStreamCommand({ modelId: 'amazon.nova-lite-v1:0', messages })));
    await withUsageContext({ agentId: 'someone-else' }, () => drain(output.stream));

    // Assess
    expect(t.recorder.events).toHaveLength(1);
    expect(t.recorder.events[0]?.agentId).toBe('operations');
  });

  it('uses defaultAgentId outside any context', async () => {
    // Prepare
    const recorder = new InMemoryUsageRecorder();
    const client = trackBedrockClient(new BedrockRuntimeClient({ endpoint: t.standIn.endpoint, region: 'eu-west-1', credentials: CREDENTIALS }), {
      recorder,
      pricer: PriceBook.builtIn(),
      defaultAgentId: 'batch-jobs',
    });

    // Act
    await client.send(new ConverseCommand({ modelId: 'amazon.nova-lite-v1:0', messages }));
    client.destroy();

    // Assess
    expect(recorder.events[0]).toMatchObject({ agentId: 'batch-jobs', tags: {}, region: 'eu-west-1' });
    expect(recorder.events[0]?.incidentId).toBeUndefined();
  });
});
