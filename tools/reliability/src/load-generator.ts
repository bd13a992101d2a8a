import { setTimeout as sleep } from 'node:timers/promises';

import type { UsageEvent } from '@bedrock-usage/core';
import { makeUsageEvent } from '@bedrock-usage/testing';

import type { LedgerWriter } from './ledger';

/** How {@link generateLoad} paces itself. */
export interface LoadGeneratorOptions {
  readonly ratePerSecond: number;
  readonly durationMs: number;
  readonly idPrefix: string;
  readonly agentId: string;
  readonly ledger: LedgerWriter;
  /** Called once per event, after its id is in the ledger. */
  readonly record: (event: UsageEvent) => void;
  /** Stops the load early (checked before every tick). */
  readonly stopped: () => boolean;
}

/** Ticks per second; one ledger append (one fsync) per tick. */
export const TICKS_PER_SECOND = 50;

/**
 * The most events one tick records: the ledger's own slack in the durability window (ids fsynced to the ledger whose
 * `record()` a kill -9 cut short look lost, see `LedgerWriter`).
 *
 * @example
 * ledgerSlack(200) // 16: a late tick records up to 4 ticks' worth
 */
export function ledgerSlack(ratePerSecond: number): number {
  return Math.ceil(ratePerSecond / TICKS_PER_SECOND) * MAX_CATCH_UP_TICKS;
}

/** A late tick (GC, a busy core) records at most this many ticks' worth of events; a longer lag is caught up over the next ticks. */
const MAX_CATCH_UP_TICKS = 4;

/**
 * Records `ratePerSecond` events with unique ids (`<idPrefix>-<n>`) for `durationMs`, at 50 ticks per second: each
 * tick appends its ids to the ledger (fsync) and then records them, synchronously. Returns how many were recorded.
 *
 * @example
 * const recorded = await generateLoad({ ratePerSecond: 200, durationMs: 15_000, idPrefix, agentId, ledger, record, stopped });
 */
export async function generateLoad(options: LoadGeneratorOptions): Promise<number> {
  const perTick = Math.ceil(options.ratePerSecond / TICKS_PER_SECOND);
  const started = Date.now();
  let recorded = 0;
  while (!options.stopped() && Date.now() - started < options.durationMs) {
    const due = Math.floor((options.ratePerSecond * (Date.now() - started)) / 1000);
    const owed = Math.min(due - recorded, perTick * MAX_CATCH_UP_TICKS);
    if (owed > 0) {
      const ids = Array.from({ length: owed }, (_, i) => `${options.idPrefix}-${recorded + i}`);
      options.ledger.append(ids);
      for (const eventId of ids) options.record(makeUsageEvent({ eventId, agentId: options.agentId, time: new Date().toISOString() }));
      recorded += owed;
    }
    await sleep(1000 / TICKS_PER_SECOND);
  }
  return recorded;
}
