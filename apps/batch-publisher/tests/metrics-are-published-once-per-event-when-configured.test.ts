import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { makeUsageEvents, startCloudWatchEndpoint, startDynalite, type CloudWatchEndpoint, type DecodedMetricDatum, type DynaliteServer } from '@bedrock-usage/testing';

import { createStreamHandler, runPublisher } from '../src/main';
import { bufferedIo, eventItems, publisherEnv, streamEvent, streamRecord, UsageTable } from './support/usage-table';

/** The fleet-wide `Requests` (no dimensions) in what the endpoint accepted. */
function requests(data: readonly DecodedMetricDatum[]): number {
  return data
    .filter((datum) => datum.MetricName === 'Requests' && datum.Dimensions.length === 0)
    .reduce((total, datum) => total + (datum.Values ? datum.Values.reduce((sum, value, i) => sum + value * (datum.Counts?.[i] ?? 1), 0) : (datum.StatisticValues?.Sum ?? datum.Value ?? 0)), 0);
}

describe('the batch publisher as the metrics producer', () => {
  let dynamo: DynaliteServer;
  let cloudWatch: CloudWatchEndpoint;
  let dir: string;
  beforeAll(async () => {
    dynamo = await startDynalite();
    cloudWatch = await startCloudWatchEndpoint();
    dir = mkdtempSync(join(tmpdir(), 'batch-publisher-metrics-'));
  });
  afterAll(async () => {
    await Promise.all([dynamo.close(), cloudWatch.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes each event once through the Streams handler, re-deliveries included, and nothing by default', async () => {
    // Prepare: 50 recent events; the first 30 come in one batch, then all 50 with the 30 again and 10 repeated inside
    const time = new Date(Date.now() - 30 * 60_000).toISOString();
    const events = makeUsageEvents(50, { time });
    const table = new UsageTable(publisherEnv(dynamo.endpoint, 'metrics', join(dir, 'metrics.ids'), { BEDROCK_USAGE_METRICS_PRODUCER: 'publisher', BEDROCK_USAGE_CLOUDWATCH_ENDPOINT: cloudWatch.endpoint }));
    const quiet = new UsageTable(publisherEnv(dynamo.endpoint, 'metrics-by-agents', join(dir, 'agents.ids'), { BEDROCK_USAGE_CLOUDWATCH_ENDPOINT: cloudWatch.endpoint }));
    await table.write(events);
    await quiet.write(events);
    const items = eventItems(await table.rawItems(), events.map((event) => event.eventId));
    const stream = createStreamHandler(table.env);
    const byAgents = createStreamHandler(quiet.env);

    try {
      // Act
      const first = await stream.handle(streamEvent(items.slice(0, 30).map((item) => streamRecord('INSERT', item))));
      const second = await stream.handle(streamEvent([...items, ...items.slice(0, 10)].map((item) => streamRecord('INSERT', item))));
      const before = cloudWatch.requests.length;
      await byAgents.handle(streamEvent(items.map((item) => streamRecord('INSERT', item))));

      // Assess
      expect([first, second]).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }]);
      expect(requests(cloudWatch.data)).toBe(50);
      expect(cloudWatch.requests.length).toBe(before);
      expect(cloudWatch.requests.every((request) => request.status === 200)).toBe(true);
    } finally {
      await Promise.all([stream.close(), byAgents.close()]);
      await Promise.all([table.close(), quiet.close()]);
    }
  }, 60_000);

  it('publishes each event once through the local feed across runs', async () => {
    // Prepare
    const time = new Date(Date.now() - 20 * 60_000).toISOString();
    const events = makeUsageEvents(40, { time });
    const env = publisherEnv(dynamo.endpoint, 'metrics-feed', join(dir, 'feed.ids'), {
      BEDROCK_USAGE_METRICS_PRODUCER: 'publisher',
      BEDROCK_USAGE_CLOUDWATCH_ENDPOINT: cloudWatch.endpoint,
      BEDROCK_USAGE_NAMESPACE: 'FeedTest',
    });
    const table = new UsageTable(env);
    const before = cloudWatch.data.length;

    try {
      // Act: two deliveries, the second repeating the first, each followed by a run
      await table.write(events.slice(0, 25));
      expect(await runPublisher(['run', '--once'], env, bufferedIo())).toBe(0);
      await table.write(events);
      expect(await runPublisher(['run', '--once'], env, bufferedIo())).toBe(0);

      // Assess
      const data = cloudWatch.data.slice(before).filter((datum) => datum.Namespace === 'FeedTest');
      expect(requests(data)).toBe(40);
    } finally {
      await table.close();
    }
  }, 60_000);
});
