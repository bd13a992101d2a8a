import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Container } from 'inversify';

import { makeUsageEvents, startCloudWatchEndpoint, startDynalite, type CloudWatchEndpoint, type DynaliteServer } from '@bedrock-usage/testing';

import { batchPublisherModule, domainModule, storeModule, TOKENS } from '../src';

describe('batchPublisherModule', () => {
  let dynamo: DynaliteServer;
  let cloudWatch: CloudWatchEndpoint;
  let dir: string;
  beforeAll(async () => {
    dynamo = await startDynalite();
    cloudWatch = await startCloudWatchEndpoint();
    dir = mkdtempSync(join(tmpdir(), 'di-batch-publisher-'));
  });
  afterAll(async () => {
    await Promise.all([dynamo.close(), cloudWatch.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('binds the local feed and a publisher that refreshes aggregates and, as the producer, publishes metrics', async () => {
    // Prepare
    const checkpointFile = join(dir, 'ids');
    const container = new Container();
    container.load(
      domainModule(),
      storeModule({ tableName: 'di-publisher', region: 'us-east-1', endpoint: dynamo.endpoint, createTable: true }),
      batchPublisherModule({ metricsProducer: 'publisher', metrics: { kind: 'cloudwatch', namespace: 'DiTest', region: 'us-east-1', endpoint: cloudWatch.endpoint }, checkpointFile }),
    );
    const events = makeUsageEvents(8, { time: new Date(Date.now() - 600_000).toISOString() });
    await (await container.getAsync(TOKENS.UsageStoreWriter)).write(events);

    // Act
    const processed = await (await container.getAsync(TOKENS.BatchPublisher)).drain(await container.getAsync(TOKENS.UsageEventFeed));
    const day = events[0].time.slice(0, 10);
    const aggregates = await (await container.getAsync(TOKENS.UsageStoreReader)).aggregatesOfDay(day);
    await container.get(TOKENS.BatchPublisherShutdown)();
    await container.get(TOKENS.StoreShutdown)();

    // Assess
    expect(processed).toBe(8);
    expect(aggregates.reduce((sum, aggregate) => sum + aggregate.requests, 0)).toBe(8);
    expect(readFileSync(checkpointFile, 'utf8').trim().split('\n')).toHaveLength(8);
    expect(cloudWatch.data.some((datum) => datum.Namespace === 'DiTest' && datum.MetricName === 'Requests')).toBe(true);
  });

  it('refuses publisher as the producer without CloudWatch, and a feed without a checkpoint file', async () => {
    // Act / Assess
    expect(() => batchPublisherModule({ metricsProducer: 'publisher', metrics: { kind: 'local' } })).toThrow('the batch publisher produces the metrics but CloudWatch is not configured');
    const container = new Container();
    container.load(domainModule(), storeModule({ tableName: 'di-no-feed', region: 'us-east-1', endpoint: dynamo.endpoint, createTable: true }), batchPublisherModule({ metricsProducer: 'agents' }));
    await expect(container.getAsync(TOKENS.UsageEventFeed)).rejects.toThrow('the local feed has no checkpoint file — set BEDROCK_USAGE_PUBLISHER_CHECKPOINT_FILE');
    await container.get(TOKENS.StoreShutdown)();
  });
});
