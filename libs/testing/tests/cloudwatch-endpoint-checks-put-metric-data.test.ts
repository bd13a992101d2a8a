import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';

import { startCloudWatchEndpoint, type CloudWatchEndpoint } from '../src';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const datum = (overrides: Partial<MetricDatum> = {}): MetricDatum => ({
  MetricName: 'Requests',
  Unit: 'Count',
  Timestamp: new Date(),
  Dimensions: [{ Name: 'AgentId', Value: 'jira' }],
  Values: [1, 2],
  Counts: [3, 1],
  ...overrides,
});

describe('startCloudWatchEndpoint with the real CloudWatchClient', () => {
  let endpoint: CloudWatchEndpoint;
  let client: CloudWatchClient;
  const put = (MetricData: MetricDatum[]): Promise<unknown> => client.send(new PutMetricDataCommand({ Namespace: 'BedrockUsage', MetricData }));

  beforeEach(async () => {
    endpoint = await startCloudWatchEndpoint();
    client = new CloudWatchClient({ endpoint: endpoint.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, maxAttempts: 1 });
  });

  afterEach(async () => {
    client.destroy();
    await endpoint.close();
  });

  it('decodes the awsJson1_0 request, plain and gzip-compressed', async () => {
    // Prepare
    const small = [datum()];
    const large = Array.from({ length: 300 }, () => datum());

    // Act
    await put(small);
    await put(large);

    // Assess
    expect(endpoint.requests.map((r) => [r.status, r.gzip, r.data.length])).toEqual([[200, false, 1], [200, true, 300]]);
    expect(endpoint.requests[0].headers).toMatchObject({ 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'GraniteServiceVersion20100801.PutMetricData' });
    expect(endpoint.data[0]).toMatchObject({ Namespace: 'BedrockUsage', MetricName: 'Requests', Unit: 'Count', Values: [1, 2], Counts: [3, 1], Dimensions: [{ Name: 'AgentId', Value: 'jira' }] });
  });

  it.each<[string, MetricDatum[], string]>([
    ['1001 data', Array.from({ length: 1001 }, () => datum()), 'MetricData has 1001 members — at most 1000 allowed'],
    ['151 values', [datum({ Values: Array.from({ length: 151 }, (_, i) => i), Counts: undefined })], 'Values has 151 values — at most 150 allowed'],
    ['31 dimensions', [datum({ Dimensions: Array.from({ length: 31 }, (_, i) => ({ Name: `D${i}`, Value: 'v' })) })], 'Dimensions has 31 members — at most 30 allowed'],
    ['a bad unit', [datum({ Unit: 'Tokens' as never })], 'Unit "Tokens" is not a valid unit'],
    ['Counts not matching Values', [datum({ Counts: [1] })], 'Counts must have as many members as Values (2)'],
    ['a timestamp three weeks old', [datum({ Timestamp: new Date(Date.now() - 21 * 86_400_000) })], 'more than two weeks in the past'],
    ['over 1 MB', Array.from({ length: 1000 }, () => datum({ Values: Array.from({ length: 150 }, (_, i) => i + 0.123456789), Counts: undefined })), 'at most 1 MB'],
  ])('answers 400 InvalidParameterValueException for %s', async (_case, data, message) => {
    // Prepare
    const request = put(data);

    // Act
    const error = await request.then(() => undefined, (e: Error) => e);

    // Assess
    expect(error).toMatchObject({ name: 'InvalidParameterValueException', $metadata: { httpStatusCode: 400 } });
    expect(endpoint.requests[0].error).toContain(message);
    expect(endpoint.data).toEqual([]);
  });

  it('fails the next requests as told: throttling, server errors and resets, then recovers', async () => {
    // Prepare
    endpoint.failNext(1, 'throttle');

    // Act
    const throttled = await put([datum()]).catch((e: { name: string }) => e.name);
    endpoint.failNext(1, 'server-error');
    const failed = await put([datum()]).catch((e: { name: string }) => e.name);
    endpoint.failNext(1, 'reset');
    const reset = await put([datum()]).catch((e: Error & { code?: string }) => `${e.code ?? ''} ${e.message}`);
    const recovered = await put([datum()]);

    // Assess
    expect([throttled, failed]).toEqual(['Throttling', 'InternalServiceFault']);
    expect(reset).toMatch(/ECONNRESET|socket hang up|EPIPE/);
    expect(recovered).toMatchObject({ $metadata: { httpStatusCode: 200 } });
    expect(endpoint.data).toHaveLength(1);
  });
});
