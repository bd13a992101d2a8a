import {
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
  BedrockRuntimeClient,
} from '@aws-sdk/client-bedrock-runtime';

import { fixtureResponse, loadBedrockFixtures, type BedrockFixture } from '../src';
import { startBedrockStandIn, type BedrockStandIn } from '@bedrock-usage/stand-ins';

const decoder = new TextDecoder();
const messages = [{ role: 'user' as const, content: [{ text: 'hello' }] }];

async function callAs(client: BedrockRuntimeClient, fixture: BedrockFixture): Promise<unknown> {
  const { modelId } = fixture;
  switch (fixture.api) {
    case 'InvokeModel': {
      const output = await client.send(new InvokeModelCommand({ modelId, body: '{}' }));
      const text = decoder.decode(output.body);
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text;
      }
    }
    case 'InvokeModelWithResponseStream': {
      const output = await client.send(new InvokeModelWithResponseStreamCommand({ modelId, body: '{}' }));
      const chunks: unknown[] = [];
      for await (const event of output.body ?? []) if (event.chunk?.bytes) chunks.push(JSON.parse(decoder.decode(event.chunk.bytes)));
      return chunks;
    }
    case 'Converse': {
      const { usage, metrics } = await client.send(new ConverseCommand({ modelId, messages }));
      return { usage, metrics };
    }
    case 'ConverseStream': {
      const output = await client.send(new ConverseStreamCommand({ modelId, messages }));
      const events: unknown[] = [];
      for await (const event of output.stream ?? []) events.push(event);
      return events;
    }
  }
}

describe('Bedrock stand-in replays the shared fixtures through the real SDK', () => {
  let standIn: BedrockStandIn;
  let client: BedrockRuntimeClient;

  beforeAll(async () => {
    standIn = await startBedrockStandIn();
    client = new BedrockRuntimeClient({ endpoint: standIn.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, maxAttempts: 1 });
  });

  afterAll(async () => {
    client.destroy();
    await standIn.close();
  });

  it.each(loadBedrockFixtures().map((fixture) => [fixture.id, fixture] as const))('replays %s', async (_id, fixture) => {
    // Prepare
    standIn.respondWith(() => fixtureResponse(fixture));

    // Act
    const result = await callAs(client, fixture).then(
      (body) => ({ body }),
      (error: unknown) => ({ error: error as { name: string; $metadata: { httpStatusCode?: number } } }),
    );

    // Assess
    if (fixture.statusCode === 200) {
      const expected = fixture.api === 'Converse' ? { usage: (fixture.body as { usage: unknown }).usage, metrics: (fixture.body as { metrics: unknown }).metrics } : fixture.body;
      expect(result).toEqual({ body: expected });
    } else {
      expect('error' in result && result.error.name).toBe(fixture.expected['error']);
      expect('error' in result && result.error.$metadata.httpStatusCode).toBe(fixture.statusCode);
    }
  });
});
