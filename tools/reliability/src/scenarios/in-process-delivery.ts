import { GuardedSink } from '@bedrock-usage/circuit-breaker';
import { UsagePipeline } from '@bedrock-usage/recorder';
import { DynamoDbUsageStore, FileSpool } from '@bedrock-usage/sinks';
import { InMemoryHealthMetrics } from '@bedrock-usage/testing';

import type { DeliveryRig } from '../delivery-rig';

/** The load process's composition, in this process: pipeline → breaker → DynamoDB store (through the proxy), file spool. */
export interface InProcessDelivery {
  readonly health: InMemoryHealthMetrics;
  readonly guarded: GuardedSink;
  readonly spool: FileSpool;
  readonly pipeline: UsagePipeline;
}

/**
 * Composes the production pipeline against the rig's proxy, with a file spool in `spoolDir`.
 *
 * @example
 * const delivery = composeInProcess(rig, join(workDir, 'spool'));
 * delivery.pipeline.record(event);
 * await delivery.pipeline.forceFlush();
 */
export function composeInProcess(rig: DeliveryRig, spoolDir: string): InProcessDelivery {
  const health = new InMemoryHealthMetrics();
  const store = new DynamoDbUsageStore({ client: rig.client, tableName: rig.tableName, health });
  const guarded = new GuardedSink(store, { health, agentId: 'reliability' });
  const spool = new FileSpool({ dir: spoolDir });
  const pipeline = new UsagePipeline({ sinks: [guarded], spool, health, agentId: 'reliability', logger: { error: () => undefined } });
  return { health, guarded, spool, pipeline };
}
