import { BedrockClient, GetInferenceProfileCommand, ResourceNotFoundException } from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';

import { startBedrockStandIn, type BedrockStandIn, type StandInRequest } from '../src';

const ARN = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/k3yp4ab0c9de';

describe('Bedrock stand-in resolves application inference profiles (GetInferenceProfile)', () => {
  let standIn: BedrockStandIn;
  let control: BedrockClient;

  beforeAll(async () => {
    standIn = await startBedrockStandIn({ inferenceProfiles: [{ arn: ARN, modelId: 'anthropic.claude-3-5-haiku-20241022-v1:0', name: 'jira-agent' }] });
    control = new BedrockClient({ endpoint: standIn.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, maxAttempts: 1 });
  });

  afterAll(async () => {
    control.destroy();
    await standIn.close();
  });

  it('returns a registered application profile by ARN with its model ARN', async () => {
    // Act
    const profile = await control.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: ARN }));

    // Assess
    expect(profile).toMatchObject({
      inferenceProfileArn: ARN,
      inferenceProfileId: 'k3yp4ab0c9de',
      inferenceProfileName: 'jira-agent',
      models: [{ modelArn: 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0' }],
      status: 'ACTIVE',
      type: 'APPLICATION',
    });
    expect(profile.createdAt).toBeInstanceOf(Date);
    expect(standIn.requests.at(-1)).toMatchObject({ api: 'GetInferenceProfile', modelId: ARN, method: 'GET' });
  });

  it('returns a profile registered later by its id', async () => {
    // Prepare
    const arn = 'arn:aws:bedrock:eu-west-1:123456789012:application-inference-profile/later0001';
    standIn.registerInferenceProfile({ arn, modelId: 'amazon.nova-micro-v1:0' });

    // Act
    const profile = await control.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: 'later0001' }));

    // Assess
    expect(profile.models?.[0]?.modelArn).toBe('arn:aws:bedrock:eu-west-1::foundation-model/amazon.nova-micro-v1:0');
  });

  it('answers 404 ResourceNotFoundException for an unknown profile', async () => {
    // Act
    const error = await control.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/missing' })).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect((error as ResourceNotFoundException).$metadata.httpStatusCode).toBe(404);
  });

  it('tells the runtime responder which model a called profile ARN routes to', async () => {
    // Prepare
    const seen: StandInRequest[] = [];
    standIn.respondWith((request) => {
      seen.push(request);
      return { status: 200, body: { output: { message: { role: 'assistant', content: [{ text: 'ok' }] } }, stopReason: 'end_turn', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 }, metrics: { latencyMs: 5 } } };
    });
    const runtime = new BedrockRuntimeClient({ endpoint: standIn.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });

    // Act
    await runtime.send(new ConverseCommand({ modelId: ARN, messages: [{ role: 'user', content: [{ text: 'hi' }] }] }));
    runtime.destroy();

    // Assess
    expect(seen[0]).toMatchObject({ modelId: ARN, foundationModelId: 'anthropic.claude-3-5-haiku-20241022-v1:0' });
  });
});
