/** How the parent configures one load process (passed as JSON in `RELIABILITY_LOAD`). */
export interface LoadConfig {
  /** The DynamoDB endpoint (the fault proxy in front of dynalite), `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  readonly tableName: string;
  /** The file spool's directory (kept across restarts of the load process). */
  readonly spoolDir: string;
  /** Where the recorded ids go (see `LedgerWriter`). */
  readonly ledgerPath: string;
  /** Events per second; 0 records nothing (replay the spool, then idle until told to stop). */
  readonly ratePerSecond: number;
  /** How long to record, in ms; the process keeps running (delivering) afterwards until signalled. */
  readonly durationMs: number;
  /** Prefix of every event id, unique per process run. */
  readonly idPrefix: string;
  readonly agentId: string;
  /** Pipeline sizing (the durability window follows from it). */
  readonly capacity: number;
  readonly overflowCapacity: number;
  readonly batchSize: number;
  readonly flushIntervalMs: number;
  readonly concurrency: number;
  /** The breaker's recovery probe delay. */
  readonly resetTimeoutMs: number;
  readonly shutdownDeadlineMs: number;
  /** Where the SIGTERM handler writes `{ report: ShutdownReport, stats: LoadStats }` just before exiting. */
  readonly reportPath: string;
}

/** What the load process reports on itself. */
export interface LoadStats {
  /** Ids handed to `record()`. */
  readonly recorded: number;
  /** Highest buffer depth seen right after a `record()` (the buffer only grows there). */
  readonly peakDepth: number;
  readonly depth: number;
  readonly peakRssBytes: number;
  /** Health metric counts so far, by `name{dim=value,…}`. */
  readonly counts: Readonly<Record<string, number>>;
}

/** Messages from the load process to the parent (over the IPC channel). */
export type LoadMessage =
  | {
      readonly type: 'ready';
      readonly pid: number;
      /** The pipeline's documented durability window in events for this sizing. */
      readonly durabilityWindow: number;
      /** Events the start-up replay of the spool delivered. */
      readonly replayed: number;
    }
  | { readonly type: 'load-done'; readonly stats: LoadStats }
  | { readonly type: 'stats'; readonly stats: LoadStats };

/** Messages from the parent to the load process. */
export type ParentMessage = { readonly type: 'stats' };
