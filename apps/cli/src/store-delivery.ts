import type { UsageEvent } from '@bedrock-usage/core';

import type { StoreDeps } from './cli-args';

/** What delivering batches to the store did (spool replay, log replay, ingest). */
export interface Delivery {
  delivered: number;
  aggregatesWritten: number;
  readonly restatedDays: Set<string>;
  /** Why the store refused, when it did. */
  refusal?: string;
}

/** Writes one batch and refreshes its hours' aggregates; false (with `delivery.refusal`) when either failed. */
export async function deliver(store: StoreDeps, batch: readonly UsageEvent[], delivery: Delivery): Promise<boolean> {
  const written = await store.writer.write(batch);
  if (!written.ok) {
    delivery.refusal = `the usage store refused a batch of ${batch.length}: ${written.error.message}${written.retryable ? ' (retryable)' : ''}`;
    return false;
  }
  try {
    const refreshed = await store.analyzer.refreshAggregates(batch);
    delivery.aggregatesWritten += refreshed.written;
    for (const day of refreshed.restatedDays) delivery.restatedDays.add(day);
  } catch (error) {
    delivery.refusal = `the events were written but refreshing their aggregates failed: ${(error as Error).message}`;
    return false;
  }
  delivery.delivered += batch.length;
  return true;
}
