import { parseArgs } from 'node:util';

import { Container } from 'inversify';

import { UsageError } from '@bedrock-usage/core';
import { batchPublisherModule, domainModule, runAsProcess, runCommandLine, TOKENS, usageStoreModule, type CommandIo, type DynamoDbStreamEvent } from '@bedrock-usage/di';

import { loadConfig, type PublisherConfig } from './config';

export const HELP = `Usage: npm run -s batch-publisher -- <command> [options]

Commands:
  run            keep the aggregates current from the store's new events until SIGTERM/SIGINT (stops after checkpointing)
  run --once     process every new event, then exit (prints how many; failures are retried until SIGTERM/SIGINT)

New events come from a local feed: Scans of the usage table for events not yet in the checkpoint file
BEDROCK_USAGE_PUBLISHER_CHECKPOINT_FILE (default <BEDROCK_USAGE_DATA_DIR>/batch-publisher/checkpointed-event-ids-<table>).
BEDROCK_USAGE_METRICS_PRODUCER=publisher (default agents) also publishes each event's metrics with PutMetricData
(BEDROCK_USAGE_CLOUDWATCH_ENDPOINT, BEDROCK_USAGE_NAMESPACE). Also: BEDROCK_USAGE_PUBLISHER_BATCH_SIZE (500),
BEDROCK_USAGE_PUBLISHER_POLL_MS (5000), and the store's BEDROCK_USAGE_DATA_DIR, BEDROCK_USAGE_TABLE,
BEDROCK_USAGE_DYNAMODB_ENDPOINT, BEDROCK_USAGE_REGION / AWS_REGION.
On AWS the entry point is the exported Lambda handler, subscribed to the usage table's DynamoDB Stream.`;

/**
 * Where the worker writes, and how it learns it must stop; the real process wires stdout/stderr and SIGTERM/SIGINT.
 *
 * @example
 * const io: PublisherIo = { out: console.log, err: console.error, onStop: (stop) => process.once('SIGTERM', stop) };
 */
export type PublisherIo = CommandIo;

/**
 * Runs one invocation of the worker; resolves with the exit code (0 ok, 1 the store failed, 2 bad usage or
 * configuration). Never rejects.
 *
 * @example
 * process.exitCode = await runPublisher(['run', '--once'], process.env, io);
 */
export function runPublisher(argv: readonly string[], env: NodeJS.ProcessEnv, io: PublisherIo): Promise<number> {
  return runCommandLine({ run: runCommand }, HELP, argv, env, io);
}

async function runCommand(argv: readonly string[], env: NodeJS.ProcessEnv, io: PublisherIo): Promise<number> {
  const { values } = parseArgs({ args: [...argv], strict: true, options: { once: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    io.out(HELP);
    return 0;
  }
  const config = loadConfig(env);
  if (config.checkpointFile === undefined) {
    throw new UsageError('INVALID_CONFIG', 'the usage store is DynamoDB on AWS: there the batch publisher is the Lambda handler of the table\'s DynamoDB Stream (deploy it); "run" serves local stores — set BEDROCK_USAGE_PUBLISHER_CHECKPOINT_FILE to scan an AWS table anyway');
  }
  const container = createContainer(config);
  try {
    const publisher = await container.getAsync(TOKENS.BatchPublisher);
    const feed = await container.getAsync(TOKENS.UsageEventFeed);
    const metrics = config.metricsProducer === 'publisher' ? `metrics to CloudWatch namespace ${config.metrics.kind === 'cloudwatch' ? config.metrics.namespace : ''}` : 'metrics by the agents (EMF)';
    const stop = new AbortController();
    io.onStop(() => stop.abort());
    if (values.once) {
      // Failures are retried until the feed is drained; SIGTERM/SIGINT end the wait (what is done stays checkpointed).
      const processed = await publisher.drain(feed, stop.signal);
      io.out(`processed ${processed} new event(s) from table ${config.tableName}; ${metrics}; checkpoint ${config.checkpointFile}`);
      return stop.signal.aborted ? 1 : 0;
    }
    io.out(`publishing new events of table ${config.tableName} (polling every ${config.pollIntervalMs} ms; ${metrics}; checkpoint ${config.checkpointFile})`);
    await publisher.run(feed, stop.signal);
    io.out('stopped');
    return 0;
  } finally {
    await container.get(TOKENS.BatchPublisherShutdown)();
    await container.get(TOKENS.StoreShutdown)();
  }
}

/**
 * What the Lambda handler returns: the partial batch response (`ReportBatchItemFailures`). A failed batch names its
 * first record, so Lambda retries the whole batch — harmless, the refresh is idempotent and metrics are deduplicated.
 *
 * @example
 * const { batchItemFailures } = await handler(streamEvent); // [] when the batch is done
 */
export interface StreamBatchResponse {
  readonly batchItemFailures: readonly { readonly itemIdentifier: string }[];
}

/**
 * The DynamoDB Stream handler over `env` (read once, at the first invocation; the container lives as long as the
 * Lambda environment), with `close()` for tests.
 *
 * @example
 * const stream = createStreamHandler(process.env);
 * export const handler = (event: DynamoDbStreamEvent) => stream.handle(event);
 */
export function createStreamHandler(env: NodeJS.ProcessEnv): { handle(event: DynamoDbStreamEvent): Promise<StreamBatchResponse>; close(): Promise<void> } {
  let container: Container | undefined;
  return {
    async handle(event) {
      container ??= createContainer(loadConfig(env));
      const { events, ignored, undecodable, firstSequenceNumber } = container.get(TOKENS.UsageStreamDecoder)(event);
      for (const record of undecodable) log('error', 'undecodable usage event record skipped', { sequence_number: record.sequenceNumber, pk: record.pk, error: record.error });
      if (events.length === 0) return { batchItemFailures: [] };
      try {
        const publisher = await container.getAsync(TOKENS.BatchPublisher);
        const done = await publisher.publish(events);
        log('info', 'stream batch published', { events: done.events, ignored, aggregates_written: done.written, metrics_published: done.published, restated_days: done.restatedDays });
        return { batchItemFailures: [] };
      } catch (error) {
        log('error', 'stream batch failed — Lambda retries it', { error: error instanceof Error ? error.message : String(error), events: events.length });
        if (firstSequenceNumber === undefined) throw error;
        return { batchItemFailures: [{ itemIdentifier: firstSequenceNumber }] };
      }
    },
    async close() {
      if (!container) return;
      await container.get(TOKENS.BatchPublisherShutdown)();
      await container.get(TOKENS.StoreShutdown)();
      container = undefined;
    },
  };
}

const stream = createStreamHandler(process.env);

/**
 * The Lambda entry point, subscribed to the usage table's DynamoDB Stream (view NEW_IMAGE, `ReportBatchItemFailures`).
 *
 * @example
 * // CDK: fn.addEventSource(new DynamoEventSource(table, { startingPosition: TRIM_HORIZON, reportBatchItemFailures: true }))
 */
export const handler = (event: DynamoDbStreamEvent): Promise<StreamBatchResponse> => stream.handle(event);

/** The composition root: the only container of the publisher. */
function createContainer(config: PublisherConfig): Container {
  const container = new Container();
  container.load(
    domainModule(),
    usageStoreModule(config),
    batchPublisherModule({
      metricsProducer: config.metricsProducer,
      metrics: config.metrics,
      checkpointFile: config.checkpointFile,
      batchSize: config.batchSize,
      pollIntervalMs: config.pollIntervalMs,
    }),
  );
  return container;
}

function log(level: 'info' | 'error', message: string, fields: Record<string, unknown>): void {
  const line = JSON.stringify({ timestamp: new Date().toISOString(), level: level.toUpperCase(), message, ...fields });
  if (level === 'error') console.error(line);
  else console.log(line);
}

if (require.main === module) runAsProcess(runPublisher);
