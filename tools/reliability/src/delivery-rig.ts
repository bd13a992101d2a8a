import { NO_HEALTH_METRICS } from '@bedrock-usage/core';
import { createUsageTable, DynamoDbUsageStore } from '@bedrock-usage/sinks';
import { startDynaliteBehindFaultProxy, type DynaliteBehindFaultProxy } from '@bedrock-usage/testing';

import { auditDelivery, type DeliveryAudit } from './delivery-audit';

const TABLE_NAME = 'bedrock-usage-reliability';

/** What the table holds for a set of recorded ids. */
export interface TableAudit extends DeliveryAudit {
  /** Extra occurrences of an id in the by-day index reads (what a report would count twice). */
  readonly indexDuplicated: number;
  /** Sum of totalTokens over the by-day index reads (each test event has 120). */
  readonly totalTokens: number;
}

/**
 * The parent's side of a delivery scenario: dynalite in this process with the usage table, and a fault proxy in
 * front of it (the endpoint the writers use). The audit reads dynalite directly, past the proxy.
 *
 * @example
 * const rig = await DeliveryRig.start();
 * try {
 *   await rig.proxy.mode('refuse');
 *   // … run a load process against rig.endpoint …
 *   const audit = await rig.audit(readLedger(ledgerPath), [utcDay(Date.now())]);
 * } finally {
 *   await rig.close();
 * }
 */
export class DeliveryRig {
  readonly tableName = TABLE_NAME;
  readonly #local: DynaliteBehindFaultProxy;
  readonly #reader: DynamoDbUsageStore;

  private constructor(local: DynaliteBehindFaultProxy) {
    this.#local = local;
    // The audit reads whole days back from a table of up to a few hundred thousand items: not the hot path, so a
    // generous request timeout.
    this.#reader = new DynamoDbUsageStore({ client: local.direct, tableName: TABLE_NAME, health: NO_HEALTH_METRICS, requestTimeoutMs: 120_000 });
  }

  static async start(): Promise<DeliveryRig> {
    const local = await startDynaliteBehindFaultProxy();
    try {
      await createUsageTable(local.direct, TABLE_NAME);
      return new DeliveryRig(local);
    } catch (error) {
      await local.close();
      throw error;
    }
  }

  /** The writers' endpoint: the fault proxy. */
  get endpoint(): string {
    return this.#local.proxy.endpoint;
  }

  get proxy(): DynaliteBehindFaultProxy['proxy'] {
    return this.#local.proxy;
  }

  /** A client through the proxy (for in-process writers). */
  get client(): DynaliteBehindFaultProxy['client'] {
    return this.#local.client;
  }

  /** The event ids the table holds (a full scan past the proxy). */
  storedIds(): Promise<string[]> {
    return this.#reader.scanEventIds();
  }

  /** The recorded ids against the table: the base-table scan, and the by-day index for the given UTC days. */
  async audit(recorded: readonly string[], days: readonly string[]): Promise<TableAudit> {
    const base = auditDelivery(recorded, await this.#reader.scanEventIds());
    const indexed = (await Promise.all([...new Set(days)].map((day) => this.#reader.eventsOnDay(day)))).flat();
    return {
      ...base,
      indexDuplicated: auditDelivery(recorded, indexed.map((event) => event.eventId)).duplicated,
      totalTokens: indexed.reduce((sum, event) => sum + event.usage.totalTokens, 0),
    };
  }

  close(): Promise<void> {
    return this.#local.close();
  }
}

/** The UTC day (`YYYY-MM-DD`) of a time in ms. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
