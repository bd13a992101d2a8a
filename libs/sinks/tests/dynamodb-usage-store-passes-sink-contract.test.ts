import { InMemoryHealthMetrics, describeUsageSinkContract, startDynaliteBehindFaultProxy } from '@bedrock-usage/testing';

import { DynamoDbUsageStore, createUsageTable } from '../src';

describeUsageSinkContract('DynamoDbUsageStore (dynalite behind a fault proxy; outage = refused connections)', async () => {
  const local = await startDynaliteBehindFaultProxy();
  await createUsageTable(local.direct, 'usage');
  const reader = new DynamoDbUsageStore({ client: local.direct, tableName: 'usage', health: new InMemoryHealthMetrics() });
  return {
    sink: new DynamoDbUsageStore({ client: local.client, tableName: 'usage', health: new InMemoryHealthMetrics() }),
    readBack: () => reader.scanEventIds(),
    outage: { begin: () => local.proxy.mode('refuse'), end: () => local.proxy.heal() },
    close: () => local.close(),
  };
});
