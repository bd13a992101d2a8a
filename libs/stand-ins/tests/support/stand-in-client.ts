import { BedrockRuntimeClient, type BedrockRuntimeClientConfig } from '@aws-sdk/client-bedrock-runtime';

import { startBedrockStandIn, type BedrockStandIn } from '../../src';

/** A Bedrock stand-in and a real SDK runtime client pointed at it. */
export interface StandInClient {
  readonly standIn: BedrockStandIn;
  readonly client: BedrockRuntimeClient;
  /** Destroys the client, then closes the stand-in. */
  close(): Promise<void>;
}

/** Starts a stand-in and a client for it; `clientConfig` is merged into the client's settings (e.g. `{ maxAttempts: 1 }`). */
export async function startStandInClient(clientConfig: Partial<BedrockRuntimeClientConfig> = {}): Promise<StandInClient> {
  const standIn = await startBedrockStandIn();
  const client = new BedrockRuntimeClient({
    endpoint: standIn.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    ...clientConfig,
  });
  return {
    standIn,
    client,
    async close() {
      client.destroy();
      await standIn.close();
    },
  };
}

/** Decodes the byte bodies and chunks the SDK hands back. */
export const decoder = new TextDecoder();

/** The smallest Converse conversation. */
export const messages = [{ role: 'user' as const, content: [{ text: 'hello' }] }];
