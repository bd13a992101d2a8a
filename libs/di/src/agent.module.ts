import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';

import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ContainerModule, type ServiceIdentifier } from 'inversify';

import { startUsagePipeline, type StartedUsagePipeline } from '@bedrock-usage/agent-kit';
import { trackBedrockClient } from '@bedrock-usage/bedrock';
import { settleWithin } from '@bedrock-usage/core';
import type { PriceBook } from '@bedrock-usage/pricing';
import { StatusReporter, type ProcessStatusStore, type ShutdownReport, type UsagePipeline } from '@bedrock-usage/recorder';
import type { EmfHealthMetrics } from '@bedrock-usage/sinks';

import type { AgentPipelineOptions } from './agent-config';
import { SdkModelPort } from './internal/sdk-model-port';
import { TOKENS } from './tokens';

/** The usage store's client, table and status store, resolved only when the `store` sink is on (so no client otherwise). */
interface StoreParts {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly status: ProcessStatusStore;
  readonly eventRetentionDays: number | null;
}

const STORE_PARTS = Symbol.for('bedrock-usage.agent.StoreParts') as ServiceIdentifier<StoreParts | null>;

/** What the module created, for its shutdown. */
interface Running {
  readonly started: StartedUsagePipeline;
  readonly reporter: StatusReporter | undefined;
}

const NOTHING_TO_DO: ShutdownReport = { flushed: true, spooled: 0, dropped: 0 };

/**
 * One agent process's accounting, bound for the app's container (load `domainModule` and `usageStoreModule` beside it):
 *
 * - `TOKENS.UsagePipeline` — a started `UsagePipeline` (its spool replayed) over the sinks of `options.sinks`, each
 *   behind its own `GuardedSink`: the usage store (`DynamoDbUsageStore` on the store module's client), EMF lines
 *   (`EmfMetricsSink`, to `emfFile` or stdout) and JSON log lines (`JsonLogSink`, to `logFile` or stdout); the spool is
 *   a `FileSpool` on `spool.dir`, or `StdoutSpool` (Lambda). Its health metrics are EMF lines on the same output, and
 *   with the store on and `heartbeatIntervalMs` > 0 a `StatusReporter` beats into the usage table.
 * - `TOKENS.BedrockRuntime` — a `BedrockRuntimeClient` (at `bedrockEndpoint` with dummy credentials, else AWS in
 *   `region`) tracked by `trackBedrockClient` with the container's `PriceBook` into the pipeline.
 * - `TOKENS.ModelPort` — the agent runtime's port over that tracked client.
 * - `TOKENS.AgentShutdown` — once only: stops the heartbeat, shuts the pipeline down within `shutdownDeadlineMs`
 *   (deliver, else spool), flushes health metrics, closes the clients, files and the store; resolves with the
 *   pipeline's report. Safe to call when nothing was resolved.
 *
 * Resolve with `getAsync` (the store's client and the pipeline's start are asynchronous).
 *
 * @example
 * container.load(domainModule(), usageStoreModule(config.store), agentPipelineModule(config.pipeline));
 * const port = await container.getAsync(TOKENS.ModelPort);
 * // … run tasks …
 * const report = await container.get(TOKENS.AgentShutdown)();
 */
export function agentPipelineModule(options: AgentPipelineOptions): ContainerModule {
  return new ContainerModule(({ bind }) => {
    const streams: WriteStream[] = [];
    let running: Promise<Running> | undefined;
    let bedrock: BedrockRuntimeClient | undefined;
    let trackingHealth: EmfHealthMetrics | undefined;
    let shutdown: Promise<ShutdownReport> | undefined;

    const output = (file: string | undefined): Writable => {
      if (file === undefined) return process.stdout;
      mkdirSync(dirname(file), { recursive: true });
      const stream = createWriteStream(file, { flags: 'a' });
      // A failing file fails the sink's writes (retryable: spooled); it must not crash the agent.
      stream.on('error', (error) => process.stderr.write(`${JSON.stringify({ level: 'error', message: 'bedrock-usage output file failed', file, error: error.message })}\n`));
      streams.push(stream);
      return stream;
    };

    if (options.sinks.includes('store')) {
      bind(STORE_PARTS)
        .toResolvedValue(
          (client: DynamoDBClient, tableName: string, status: ProcessStatusStore, eventRetentionDays: number | null): StoreParts => ({ client, tableName, status, eventRetentionDays }),
          [TOKENS.DynamoDbClient, TOKENS.TableName, TOKENS.ProcessStatusStore, TOKENS.EventRetentionDays],
        )
        .inSingletonScope();
    } else {
      bind(STORE_PARTS).toConstantValue(null);
    }

    bind(TOKENS.UsagePipeline)
      .toResolvedValue(
        (store: StoreParts | null) => {
          running ??= start(options, store, output);
          return running.then(({ started }) => {
            trackingHealth = started.health;
            return started.pipeline;
          });
        },
        [STORE_PARTS],
      )
      .inSingletonScope();

    bind(TOKENS.BedrockRuntime)
      .toResolvedValue(
        (pipeline: UsagePipeline, pricer: PriceBook) => {
          const client = new BedrockRuntimeClient(
            options.bedrockEndpoint === undefined
              ? { region: options.region }
              : { region: options.region, endpoint: options.bedrockEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } },
          );
          bedrock = client;
          return trackBedrockClient(client, {
            recorder: pipeline,
            pricer,
            region: options.region,
            defaultAgentId: options.agentId,
            ...(options.fallbacks === undefined ? {} : { fallbacks: options.fallbacks }),
            onTrackingError: (error) => {
              // Counted and logged, never thrown (invariant 1); the error's type only, never its text.
              trackingHealth?.count('LoggingErrors', { AgentId: options.agentId, LoggingBackend: 'Tracking', ErrorType: 'TrackingError' });
              process.stderr.write(`${JSON.stringify({ level: 'warn', message: 'usage tracking failed (the Bedrock call was not affected)', agentId: options.agentId, error: error instanceof Error ? error.name : typeof error })}\n`);
            },
          });
        },
        [TOKENS.UsagePipeline, TOKENS.PriceBook],
      )
      .inSingletonScope();

    bind(TOKENS.ModelPort)
      .toResolvedValue((client: BedrockRuntimeClient) => new SdkModelPort(client), [TOKENS.BedrockRuntime])
      .inSingletonScope();

    bind(TOKENS.AgentShutdown)
      .toResolvedValue(
        (storeShutdown: () => Promise<void>) => () => {
          shutdown ??= (async () => {
            const parts = await running?.catch(() => undefined);
            if (parts?.reporter) await settleWithin(parts.reporter.stop(), Math.min(2000, options.shutdownDeadlineMs / 4));
            const report = parts ? await parts.started.shutdown(options.shutdownDeadlineMs) : NOTHING_TO_DO;
            bedrock?.destroy();
            await Promise.all(streams.map((stream) => new Promise<void>((resolve) => stream.end(() => resolve()))));
            await storeShutdown();
            return report;
          })();
          return shutdown;
        },
        [TOKENS.StoreShutdown],
      )
      .inSingletonScope();
  });
}

async function start(options: AgentPipelineOptions, store: StoreParts | null, output: (file: string | undefined) => Writable): Promise<Running> {
  const { agentId } = options;
  // The pipeline's health metrics are EMF lines too, on the same output as the usage EMF lines.
  const emfOutput = output(options.emfFile);
  const started = await startUsagePipeline({
    agentId,
    store: store ? { client: store.client, tableName: store.tableName, ...(store.eventRetentionDays === null ? {} : { eventRetentionDays: store.eventRetentionDays }) } : false,
    emf: { output: emfOutput, namespace: options.namespace, usageMetrics: options.sinks.includes('emf') },
    ...(options.sinks.includes('log') ? { log: { output: output(options.logFile) } } : {}),
    spool: options.spool.kind === 'file' ? { dir: options.spool.dir } : 'stdout',
    flushIntervalMs: options.flushIntervalMs,
    breakerResetMs: options.breakerResetMs,
  });
  let reporter: StatusReporter | undefined;
  if (store && options.heartbeatIntervalMs > 0) {
    reporter = new StatusReporter({
      store: store.status,
      agentId,
      host: hostname(),
      pid: process.pid,
      stats: () => started.pipeline.stats,
      breakers: started.sinks,
      intervalMs: options.heartbeatIntervalMs,
    });
    reporter.start();
  }
  return { started, reporter };
}
