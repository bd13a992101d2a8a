import type { ServiceIdentifier } from 'inversify';

import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

import type { CostAnalyzer, UsageStore } from '@bedrock-usage/analyzer';
import type { Clock, Spool, UsageSink } from '@bedrock-usage/core';
import type { PriceBook } from '@bedrock-usage/pricing';
import type { DailyReportJob, ReportNotifier, ReportStore } from '@bedrock-usage/reporting';
import type { DynamoDbStreamEvent, FileSpoolInspector, UsageStreamRecords } from '@bedrock-usage/sinks';
import type { BatchPublisher, ProcessStatusStore, ShutdownReport, UsageEventFeed, UsagePipeline } from '@bedrock-usage/recorder';
import type { ModelPort } from '@bedrock-usage/agent-runtime';

import type { Diagnostics } from './diagnostics.module';

/**
 * Every injectable of bedrock-usage, by port. Domain classes carry no decorators: the modules bind them with
 * `toResolvedValue`, and only apps create a container.
 *
 * @example
 * const book = container.get(TOKENS.PriceBook);
 */
export const TOKENS = {
  Clock: Symbol.for('bedrock-usage.Clock') as ServiceIdentifier<Clock>,
  PriceBook: Symbol.for('bedrock-usage.PriceBook') as ServiceIdentifier<PriceBook>,
  /** The DynamoDB client of the usage store (resolve with `getAsync`). */
  DynamoDbClient: Symbol.for('bedrock-usage.DynamoDbClient') as ServiceIdentifier<DynamoDBClient>,
  /** The usage store's endpoint: the embedded dynalite's or a configured local one; `undefined` on AWS (`getAsync`). */
  StoreEndpoint: Symbol.for('bedrock-usage.StoreEndpoint') as ServiceIdentifier<string | undefined>,
  /** Raw-event retention in days (BEDROCK_USAGE_EVENT_RETENTION_DAYS), or null: events are kept. */
  EventRetentionDays: Symbol.for('bedrock-usage.EventRetentionDays') as ServiceIdentifier<number | null>,
  /** The usage table's name. */
  TableName: Symbol.for('bedrock-usage.TableName') as ServiceIdentifier<string>,
  /** Writes usage events (DynamoDbUsageStore). */
  UsageStoreWriter: Symbol.for('bedrock-usage.UsageStoreWriter') as ServiceIdentifier<UsageSink>,
  /** Reads them, for the analyzer (DynamoDbUsageStoreReader). */
  UsageStoreReader: Symbol.for('bedrock-usage.UsageStoreReader') as ServiceIdentifier<UsageStore>,
  CostAnalyzer: Symbol.for('bedrock-usage.CostAnalyzer') as ServiceIdentifier<CostAnalyzer>,
  /** Processes' heartbeats and breaker reset requests, in the usage table (DynamoDbProcessStatusStore). */
  ProcessStatusStore: Symbol.for('bedrock-usage.ProcessStatusStore') as ServiceIdentifier<ProcessStatusStore>,
  /** The file spool of a directory (FileSpool): what a sink could not take, replayed later (spoolModule). */
  Spool: Symbol.for('bedrock-usage.Spool') as ServiceIdentifier<Spool>,
  /** Reads that directory without changing it, for `cli spool inspect` (FileSpoolInspector). */
  SpoolInspector: Symbol.for('bedrock-usage.SpoolInspector') as ServiceIdentifier<FileSpoolInspector>,
  /** `cli doctor`'s read-only checks (diagnosticsModule). */
  Diagnostics: Symbol.for('bedrock-usage.Diagnostics') as ServiceIdentifier<Diagnostics>,
  /** Where daily reports are written (FileReportStore; reportingModule). */
  ReportStore: Symbol.for('bedrock-usage.ReportStore') as ServiceIdentifier<ReportStore>,
  /** The configured report notifiers (SNS, webhook), possibly none. */
  ReportNotifiers: Symbol.for('bedrock-usage.ReportNotifiers') as ServiceIdentifier<readonly ReportNotifier[]>,
  /** Builds, writes and announces a daily report (resolve with `getAsync`: it needs the CostAnalyzer). */
  DailyReportJob: Symbol.for('bedrock-usage.DailyReportJob') as ServiceIdentifier<DailyReportJob>,
  /** Releases the notifiers' clients. Safe to call when nothing was resolved. */
  ReportingShutdown: Symbol.for('bedrock-usage.ReportingShutdown') as ServiceIdentifier<() => Promise<void>>,
  /** Destroys the store's client and stops an embedded store. Safe to call when nothing was resolved. */
  StoreShutdown: Symbol.for('bedrock-usage.StoreShutdown') as ServiceIdentifier<() => Promise<void>>,
  /** An agent process's started usage pipeline, the `UsageRecorder` of its tracked client (agentPipelineModule; `getAsync`). */
  UsagePipeline: Symbol.for('bedrock-usage.UsagePipeline') as ServiceIdentifier<UsagePipeline>,
  /** The tracked `BedrockRuntimeClient`: every call recorded into the pipeline, priced by the PriceBook (`getAsync`). */
  BedrockRuntime: Symbol.for('bedrock-usage.BedrockRuntime') as ServiceIdentifier<BedrockRuntimeClient>,
  /** The agent runtime's Bedrock port over the tracked client (`getAsync`). */
  ModelPort: Symbol.for('bedrock-usage.ModelPort') as ServiceIdentifier<ModelPort>,
  /** Stops the heartbeat, flushes or spools within the deadline, closes clients and files; once only. */
  AgentShutdown: Symbol.for('bedrock-usage.AgentShutdown') as ServiceIdentifier<() => Promise<ShutdownReport>>,
  /** Keeps the aggregates current from new events; publishes metrics when it is the producer (batchPublisherModule; `getAsync`). */
  BatchPublisher: Symbol.for('bedrock-usage.BatchPublisher') as ServiceIdentifier<BatchPublisher>,
  /** New events of a local store (DynamoDbTableScanFeed, persisted checkpoint; `getAsync`). */
  UsageEventFeed: Symbol.for('bedrock-usage.UsageEventFeed') as ServiceIdentifier<UsageEventFeed>,
  /** DynamoDB Stream records of the usage table → new usage events (INSERT of event items only). */
  UsageStreamDecoder: Symbol.for('bedrock-usage.UsageStreamDecoder') as ServiceIdentifier<(event: DynamoDbStreamEvent) => UsageStreamRecords>,
  /** Flushes the publisher's metrics and closes its feed and CloudWatch client. Safe when nothing was resolved. */
  BatchPublisherShutdown: Symbol.for('bedrock-usage.BatchPublisherShutdown') as ServiceIdentifier<() => Promise<void>>,
} as const;
