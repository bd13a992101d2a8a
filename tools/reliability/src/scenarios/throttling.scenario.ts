import { join } from 'node:path';

import { makeUsageEvents } from '@bedrock-usage/testing';

import { DeliveryRig } from '../delivery-rig';
import { type Scenario, ScenarioReport } from '../scenario';
import { composeInProcess } from './in-process-delivery';

/**
 * N capacity refusals injected by the proxy (quick: 10, full: 40), alternating a
 * ProvisionedThroughputExceededException response and a BatchWriteItem answered with half its items as
 * UnprocessedItems, while 1000 events (full: 5000) go through the pipeline in-process. Asserts: every event is in
 * the table once; `DynamoDBThrottles` = N (one per refusing response), as the proxy counted them.
 */
export const throttlingScenario: Scenario = {
  name: 'throttling',
  asserts: 'N injected throttles / UnprocessedItems: all items written; DynamoDBThrottles == N',
  async run(context) {
    const report = new ScenarioReport();
    const injected = context.mode === 'quick' ? 10 : 40;
    const events = makeUsageEvents(context.mode === 'quick' ? 1000 : 5000, { time: new Date().toISOString() });
    const rig = await DeliveryRig.start();
    const { health, pipeline } = composeInProcess(rig, join(context.workDir, 'spool'));
    try {
      for (let i = 0; i < injected; i++) rig.proxy.throttleNext(1, i % 2 === 0 ? 'ProvisionedThroughputExceededException' : 'UnprocessedItems');
      for (const event of events) pipeline.record(event);
      await pipeline.forceFlush();
      await pipeline.replay();
      const proxied = rig.proxy.stats;
      const throttles = health.sum('DynamoDBThrottles');
      const audit = await rig.audit(events.map((event) => event.eventId), [events[0]?.time.slice(0, 10) ?? '']);
      report.figure('events', events.length);
      report.figure('injected', proxied.throttled + proxied.unprocessedRounds);
      report.figure('DynamoDBThrottles', throttles);
      report.figure('missing', audit.missing);
      report.check(proxied.throttled + proxied.unprocessedRounds === injected, `the proxy injected ${proxied.throttled + proxied.unprocessedRounds} of ${injected} throttles`);
      report.check(throttles === injected, `DynamoDBThrottles = ${throttles}, expected ${injected}`);
      report.check(audit.totalTokens === 120 * audit.delivered, `token total ${audit.totalTokens} ≠ 120 × ${audit.delivered} events`);
      report.account(audit.missing, audit.duplicated + audit.indexDuplicated);
    } finally {
      await pipeline.shutdown({ deadlineMs: 10_000 });
      await rig.close();
    }
    return report.outcome();
  },
};
