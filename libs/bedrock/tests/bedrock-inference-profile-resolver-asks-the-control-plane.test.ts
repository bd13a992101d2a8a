import { BedrockClient } from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { PriceBook } from '@bedrock-usage/pricing';
import { startBedrockStandIn, type BedrockStandIn } from '@bedrock-usage/stand-ins';

import { BedrockInferenceProfileResolver, modelIdOfProfile, trackBedrockClient } from '../src';
import { CREDENTIALS } from './support/tracked-stand-in';

const ARN = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/jira0agent01';
const HAIKU = 'anthropic.claude-3-5-haiku-20241022-v1:0';

describe('BedrockInferenceProfileResolver resolves application inference profiles via GetInferenceProfile', () => {
  let standIn: BedrockStandIn;
  let control: BedrockClient;

  beforeAll(async () => {
    standIn = await startBedrockStandIn({ inferenceProfiles: [{ arn: ARN, modelId: HAIKU }] });
  });

  beforeEach(() => {
    control = new BedrockClient({ endpoint: standIn.endpoint, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
  });

  afterEach(() => control.destroy());

  afterAll(async () => {
    await standIn.close();
  });

  it('answers lookup from memory only, resolves in the background once, and reports the model', async () => {
    // Prepare
    const resolved: [string, string][] = [];
    const resolver = new BedrockInferenceProfileResolver({ client: control, onResolved: (arn, model) => resolved.push([arn, model]) });
    const before = standIn.requests.length;

    // Act
    const first = resolver.lookup(ARN);
    resolver.request(ARN);
    resolver.request(ARN);
    await resolver.settled();
    resolver.request(ARN);

    // Assess
    expect(first).toBeUndefined();
    expect(resolver.lookup(ARN)).toBe(HAIKU);
    expect(resolved).toEqual([[ARN, HAIKU]]);
    expect(standIn.requests.slice(before).filter((r) => r.api === 'GetInferenceProfile')).toHaveLength(1);
  });

  it('reports an unknown profile without throwing and keeps it unresolved', async () => {
    // Prepare
    const errors: [string, string][] = [];
    const resolver = new BedrockInferenceProfileResolver({ client: control, onError: (error, arn) => errors.push([(error as Error).name, arn]) });
    const missing = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/missing0001';

    // Act
    resolver.request(missing);
    await resolver.settled();
    resolver.request(missing); // within retryAfterMs: not asked again
    await resolver.settled();

    // Assess
    expect(resolver.lookup(missing)).toBeUndefined();
    expect(errors).toEqual([['ResourceNotFoundException', missing]]);
  });

  it('lets the price book price a profile call once resolved (pending until then)', async () => {
    // Prepare
    const resolver = new BedrockInferenceProfileResolver({ client: control });
    const pricer = PriceBook.builtIn({ resolver });
    const events: { flags: readonly string[]; resolvedModel: string | null }[] = [];
    const runtime = trackBedrockClient(
      new BedrockRuntimeClient({ endpoint: standIn.endpoint, region: 'us-east-1', credentials: CREDENTIALS }),
      { recorder: { record: (event) => events.push(event) }, pricer },
    );
    const call = () => runtime.send(new ConverseCommand({ modelId: ARN, messages: [{ role: 'user', content: [{ text: 'hi' }] }] }));

    // Act
    await call();
    await resolver.settled();
    await call();
    runtime.destroy();

    // Assess
    expect(events[0]).toMatchObject({ resolvedModel: null, flags: ['pricing_pending'] });
    expect(events[1]).toMatchObject({ resolvedModel: HAIKU, flags: [] });
  });

  it('maps a profile spanning several regions of one area to the geo profile id', () => {
    // Act
    const single = modelIdOfProfile([{ modelArn: `arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}` }]);
    const geo = modelIdOfProfile([
      { modelArn: `arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}` },
      { modelArn: `arn:aws:bedrock:us-west-2::foundation-model/${HAIKU}` },
    ]);
    const none = modelIdOfProfile([{ modelArn: 'arn:aws:bedrock:us-east-1:123456789012:custom-model/x' }]);

    // Assess
    expect(single).toBe(HAIKU);
    expect(geo).toBe(`us.${HAIKU}`);
    expect(none).toBeUndefined();
  });
});
