import { loadConfig } from '../src/config';
import { runPublisher } from '../src/main';
import { bufferedIo } from './support/usage-table';

describe('the batch publisher configuration', () => {
  it('defaults to the embedded store, agents as the metrics producer and a checkpoint beside the store', () => {
    // Act
    const config = loadConfig({ BEDROCK_USAGE_DATA_DIR: '/var/lib/bedrock-usage' });
    // Assess
    expect(config).toMatchObject({
      metricsProducer: 'agents',
      metrics: { kind: 'local' },
      checkpointFile: '/var/lib/bedrock-usage/batch-publisher/checkpointed-event-ids-bedrock-usage',
      batchSize: 500,
      pollIntervalMs: 5000,
      location: { kind: 'embedded', dataDir: '/var/lib/bedrock-usage' },
    });
  });

  it.each([
    [{ BEDROCK_USAGE_METRICS_PRODUCER: 'both' }, 'BEDROCK_USAGE_METRICS_PRODUCER="both" is not a metrics producer — use agents'],
    [{ BEDROCK_USAGE_METRICS_PRODUCER: 'publisher' }, 'BEDROCK_USAGE_METRICS_PRODUCER="publisher" needs CloudWatch — set BEDROCK_USAGE_CLOUDWATCH_ENDPOINT'],
    [{ BEDROCK_USAGE_PUBLISHER_BATCH_SIZE: '0' }, 'BEDROCK_USAGE_PUBLISHER_BATCH_SIZE="0" is not an integer from 1 to 10000 (default 500)'],
    [{ BEDROCK_USAGE_PUBLISHER_POLL_MS: 'soon' }, 'BEDROCK_USAGE_PUBLISHER_POLL_MS="soon" is not an integer from 100 to 3600000 (default 5000)'],
  ])('refuses %j naming the variable', (env, message) => {
    // Act / Assess
    expect(() => loadConfig({ BEDROCK_USAGE_DATA_DIR: '/tmp/x', ...env })).toThrow(message);
  });

  it('publisher as the producer on AWS publishes to CloudWatch; run refuses an AWS table without a checkpoint file', async () => {
    // Prepare
    const env = { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_REGION: 'eu-central-1', BEDROCK_USAGE_METRICS_PRODUCER: 'publisher' };
    const io = bufferedIo();
    // Act
    const config = loadConfig(env);
    const code = await runPublisher(['run'], env, io);
    // Assess
    expect(config).toMatchObject({ metricsProducer: 'publisher', metrics: { kind: 'cloudwatch', namespace: 'BedrockUsage', region: 'eu-central-1' }, checkpointFile: undefined });
    expect(code).toBe(2);
    expect(io.stderr[0]).toMatch(/^the usage store is DynamoDB on AWS: there the batch publisher is the Lambda handler of the table's DynamoDB Stream/);
  });

  it('an unknown command exits 2 with the help', async () => {
    const io = bufferedIo();
    expect(await runPublisher(['publish'], {}, io)).toBe(2);
    expect(io.stderr[0]).toMatch(/^unknown command "publish" — allowed: run/);
  });
});
