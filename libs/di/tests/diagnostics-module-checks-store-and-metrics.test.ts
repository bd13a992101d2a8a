import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { Container } from 'inversify';

import { startCloudWatchEndpoint, startDynalite, type CloudWatchEndpoint, type DynaliteServer } from '@bedrock-usage/testing';

import { diagnosticsModule, domainModule, loadMetricsLocation, storeModule, TOKENS } from '../src';

describe('diagnosticsModule', () => {
  let dynamo: DynaliteServer;
  let cloudWatch: CloudWatchEndpoint;
  beforeAll(async () => {
    [dynamo, cloudWatch] = await Promise.all([startDynalite(), startCloudWatchEndpoint()]);
  });
  afterAll(async () => {
    await Promise.all([dynamo.close(), cloudWatch.close()]);
  });

  it('checks the usage table, the store clock and the metrics that reached CloudWatch', async () => {
    // Prepare: a metric already published to the namespace
    const publisher = new CloudWatchClient({ region: 'us-east-1', endpoint: cloudWatch.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await publisher.send(new PutMetricDataCommand({ Namespace: 'BedrockUsage', MetricData: [{ MetricName: 'InputTokens', Value: 5, Unit: 'Count' }] }));
    publisher.destroy();
    const metrics = loadMetricsLocation({ BEDROCK_USAGE_CLOUDWATCH_ENDPOINT: cloudWatch.endpoint }, { region: 'us-east-1', onAws: false });
    const container = new Container();
    container.load(domainModule(), storeModule({ tableName: 'diag', region: 'us-east-1', endpoint: dynamo.endpoint, createTable: true }), diagnosticsModule(metrics));
    // Act
    const diagnostics = await container.getAsync(TOKENS.Diagnostics);
    const [problems, skew, recent] = await Promise.all([diagnostics.tableProblems(), diagnostics.clockSkew(), diagnostics.recentMetrics()]);
    diagnostics.close();
    await container.get(TOKENS.StoreShutdown)();
    // Assess
    expect(problems).toEqual([]);
    expect(Math.abs(skew.skewMs!)).toBeLessThanOrEqual(skew.uncertaintyMs);
    expect(recent).toEqual(['InputTokens']);
    expect(metrics).toEqual({ kind: 'cloudwatch', namespace: 'BedrockUsage', region: 'us-east-1', endpoint: cloudWatch.endpoint });
  });

  it('locates metrics: local without AWS, CloudWatch on AWS, and names a bad variable', () => {
    expect(loadMetricsLocation({}, { region: 'us-east-1', onAws: false })).toEqual({ kind: 'local' });
    expect(loadMetricsLocation({ BEDROCK_USAGE_NAMESPACE: 'Team/Usage' }, { region: 'eu-west-1', onAws: true })).toEqual({ kind: 'cloudwatch', namespace: 'Team/Usage', region: 'eu-west-1' });
    expect(() => loadMetricsLocation({ BEDROCK_USAGE_NAMESPACE: 'AWS/Bedrock' }, { region: 'us-east-1', onAws: true })).toThrow('BEDROCK_USAGE_NAMESPACE="AWS/Bedrock" is not a custom CloudWatch namespace');
    expect(() => loadMetricsLocation({ BEDROCK_USAGE_CLOUDWATCH_ENDPOINT: 'cw:1' }, { region: 'us-east-1', onAws: false })).toThrow('BEDROCK_USAGE_CLOUDWATCH_ENDPOINT="cw:1" is not an http(s) URL');
  });
});
