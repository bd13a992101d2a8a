import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { Container } from 'inversify';
import PQueue from 'p-queue';

import { AGENT_DEFINITIONS } from '@bedrock-usage/agents';
import { AgentRuntime } from '@bedrock-usage/agent-runtime';
import { sleep } from '@bedrock-usage/core';
import {
  agentModules,
  batchPublisherModule,
  domainModule,
  loadAgentConfig,
  reportingModule,
  TOKENS,
  usageStoreModule,
  type AgentConfig,
  type UsageStoreConfig,
} from '@bedrock-usage/di';
import { DEFAULT_REPORT_THRESHOLDS } from '@bedrock-usage/reporting';
import type { UsagePipeline } from '@bedrock-usage/recorder';
import { startBedrockStandIn, startFaultProxy, type BedrockStandIn, type FaultProxy, type StandInFaults } from '@bedrock-usage/stand-ins';

import { incidentWorkload, type IncidentWorkload, type WorkloadOptions } from './incident-workload';
import { readNewLines, sizeOf, tallyEmfLines, tallyUsageLogLines, type EmfTally, type UsageTally } from './run-files';

/**
 * Options of {@link runLocalPlatform}: the workload's and where the platform keeps its state.
 *
 * @example
 * const options: PlatformOptions = { durationMs: 60_000, rate: 3, agents: ['jira'], seed: 1, outage: true, reset: false, store };
 */
export interface PlatformOptions extends WorkloadOptions {
  /** Empty the data directory (store, spools, logs, reports, checkpoint) once its lock is held. */
  readonly reset: boolean;
  /** The embedded store's settings (`loadUsageStoreConfig`); its data directory holds everything else too. */
  readonly store: UsageStoreConfig & { readonly location: { readonly kind: 'embedded'; readonly dataDir: string } };
  /** The environment the agents' configuration is read from (model and fallback overrides, namespace). */
  readonly env: NodeJS.ProcessEnv;
  /** Aborting stops sending tasks; the tasks in progress finish and the run ends as usual. */
  readonly signal?: AbortSignal;
}

/** What the platform did while it ran, for the progress bar. */
export interface PlatformProgress {
  readonly done: number;
  readonly total: number;
  /** What is going on now: `store outage`, `throttling burst`, or ''. */
  readonly phase: string;
}

/** One agent's pipeline over the run. */
export interface AgentPipelineFigures {
  readonly agentId: string;
  readonly model: string;
  readonly tasksDone: number;
  readonly tasksFailed: number;
  /** Events the pipeline spooled (store outage) and the spool's replays delivered. */
  readonly spooled: number;
  readonly replayed: number;
  /** Left in the spool at shutdown (delivered by the next start or `cli spool replay`), and dropped (never expected). */
  readonly spooledAtShutdown: number;
  readonly dropped: number;
}

/** The figures of one run, and where its files are. */
export interface PlatformRun {
  readonly dataDir: string;
  readonly workload: IncidentWorkload;
  readonly agents: readonly AgentPipelineFigures[];
  /** This run's usage log lines (the `Log` sink), by event. */
  readonly usage: UsageTally;
  /** This run's EMF lines: the EstimatedCost metric and the breaker trips. */
  readonly emf: EmfTally;
  /** What the daily reports of the run's days said before and after the run (the difference is this run). */
  readonly reports: readonly { readonly date: string; readonly costBefore: string; readonly costAfter: string; readonly requestsBefore: number; readonly requestsAfter: number; readonly html: string; readonly json: string }[];
  readonly files: { readonly emf: readonly string[]; readonly log: readonly string[] };
  readonly elapsedMs: number;
}

/** Background Bedrock faults for the whole run; the burst model is throttled hard during the burst. */
const BACKGROUND_FAULTS = { throttlingRate: 0.03, serviceUnavailableRate: 0.01 };
const BURST_THROTTLING = 0.9;
/** Runbook 2's fallback for the burst model when the cloud engineer takes part (its default model). */
const CLOUD_ENGINEER_FALLBACK = 'us.anthropic.claude-3-5-haiku-20241022-v1:0';
const TASKS_PER_AGENT_AT_ONCE = 4;

interface RunningAgent {
  readonly config: AgentConfig;
  readonly runtime: AgentRuntime;
  readonly pipeline: UsagePipeline;
  readonly shutdown: () => Promise<{ readonly spooled: number; readonly dropped: number }>;
  readonly queue: PQueue;
  done: number;
  failed: number;
}

/**
 * The whole platform in this process on embedded defaults: dynalite on disk under the data directory (behind a
 * fault proxy, which is how the store outage happens), the Bedrock stand-in, the agents (each its own container:
 * pipeline, breakers, spool, tracked client — as their apps compose them), the batch publisher (local scan feed)
 * and the reporting worker's job. Runs the scripted incident workload, then shuts the agents down (deliver or
 * spool), drains the publisher, writes the daily report of each day the run touched, and reads back this run's
 * EMF and usage log lines.
 *
 * @example
 * const run = await runLocalPlatform(options, (progress) => bar.update(progress.done, progress.phase));
 */
export async function runLocalPlatform(options: PlatformOptions, onProgress: (progress: PlatformProgress) => void = () => undefined): Promise<PlatformRun> {
  const started = Date.now();
  const { dataDir } = options.store.location;
  const day = new Date(started).toISOString().slice(0, 10);
  const workload = incidentWorkload(options, day.replace(/-/g, ''));
  const logsDir = join(dataDir, 'logs');
  const container = new Container();
  container.load(
    domainModule(),
    usageStoreModule(options.store, { resetEmbedded: options.reset }),
    batchPublisherModule({ metricsProducer: 'agents', checkpointFile: join(dataDir, 'batch-publisher', 'checkpointed-event-ids'), pollIntervalMs: 1000 }),
    reportingModule({ reportsDir: join(dataDir, 'reports'), thresholds: DEFAULT_REPORT_THRESHOLDS }),
  );
  // Closed in this order, after what is added in front of them (agents, stand-in, proxy).
  const closers: (() => Promise<void>)[] = [() => container.get(TOKENS.BatchPublisherShutdown)(), () => container.get(TOKENS.ReportingShutdown)(), () => container.get(TOKENS.StoreShutdown)()];
  const agents: RunningAgent[] = [];
  try {
    // Starting the store takes the data directory's lock; only then is anything under it cleared.
    const storeEndpoint = await container.getAsync(TOKENS.StoreEndpoint);
    if (options.reset) for (const part of ['spool', 'logs', 'batch-publisher', 'reports']) rmSync(join(dataDir, part), { recursive: true, force: true });
    await container.getAsync(TOKENS.DynamoDbClient); // creates the table
    const analyzer = await container.getAsync(TOKENS.CostAnalyzer);
    const days = runDays(started, options.durationMs);
    const before = await Promise.all(days.map((date) => analyzer.generateDailyCostReport(date)));

    const proxy: FaultProxy = await startFaultProxy({ target: storeEndpoint as string });
    closers.unshift(() => proxy.close());
    const standIn: BedrockStandIn = await startBedrockStandIn({ keepRequests: false, faults: { seed: options.seed, ...BACKGROUND_FAULTS }, latency: { fixedMs: 120, jitterMs: 400, seed: options.seed } });
    closers.unshift(() => standIn.close());

    const files = { emf: [] as string[], log: [] as string[] };
    const offsets = new Map<string, number>();
    for (const definition of AGENT_DEFINITIONS.filter((candidate) => options.agents.includes(candidate.agentId))) {
      const emfFile = join(logsDir, definition.agentId, 'emf.log');
      const logFile = join(logsDir, definition.agentId, 'usage.log');
      files.emf.push(emfFile);
      files.log.push(logFile);
      for (const file of [emfFile, logFile]) offsets.set(file, sizeOf(file));
      const config = loadAgentConfig(
        {
          ...options.env,
          BEDROCK_USAGE_DATA_DIR: dataDir,
          BEDROCK_USAGE_DYNAMODB_ENDPOINT: proxy.endpoint,
          BEDROCK_USAGE_TABLE: options.store.tableName,
          BEDROCK_USAGE_BEDROCK_ENDPOINT: standIn.endpoint,
          BEDROCK_USAGE_SINKS: 'store,emf,log',
          BEDROCK_USAGE_EMF_FILE: emfFile,
          BEDROCK_USAGE_LOG_FILE: logFile,
          BEDROCK_USAGE_SPOOL: 'file',
          BEDROCK_USAGE_SPOOL_DIR: join(dataDir, 'spool', definition.agentId),
          // A local outage lasts seconds: probe the store again after 5 s, not the default minute.
          BEDROCK_USAGE_BREAKER_RESET_MS: options.env.BEDROCK_USAGE_BREAKER_RESET_MS || '5000',
          // Heartbeats are for other processes (`cli breaker status`); this one holds the store's lock while it runs.
          BEDROCK_USAGE_HEARTBEAT_INTERVAL_MS: '0',
          ...(definition.agentId === 'cloud-engineer' ? { BEDROCK_USAGE_CLOUD_ENGINEER_FALLBACK_MODELS: options.env.BEDROCK_USAGE_CLOUD_ENGINEER_FALLBACK_MODELS ?? CLOUD_ENGINEER_FALLBACK } : {}),
        },
        { definition, defaultDataDir: dataDir },
      );
      mkdirSync(join(logsDir, definition.agentId), { recursive: true });
      const agentContainer = new Container();
      agentContainer.load(...agentModules(config));
      const shutdown = agentContainer.get(TOKENS.AgentShutdown);
      // Registered before anything can fail, so an agent that started is always shut down (deliver or spool).
      closers.unshift(async () => void (await shutdown()));
      const pipeline = await agentContainer.getAsync(TOKENS.UsagePipeline);
      const runtime = new AgentRuntime({ definition, model: config.model, port: await agentContainer.getAsync(TOKENS.ModelPort) });
      agents.push({ config, runtime, pipeline, shutdown, queue: new PQueue({ concurrency: TASKS_PER_AGENT_AT_ONCE }), done: 0, failed: 0 });
    }

    const publisher = await container.getAsync(TOKENS.BatchPublisher);
    const feed = await container.getAsync(TOKENS.UsageEventFeed);
    const stopPublisher = new AbortController();
    const publishing = publisher.run(feed, stopPublisher.signal);

    await runWorkload(workload, agents, { proxy, standIn, seed: options.seed, signal: options.signal }, onProgress, started);

    const shutdowns = await Promise.all(agents.map((agent) => agent.shutdown()));
    stopPublisher.abort();
    await publishing;
    await publisher.drain(feed);
    const job = await container.getAsync(TOKENS.DailyReportJob);
    const after = await Promise.all(days.map((date) => analyzer.generateDailyCostReport(date)));
    const reports = [];
    for (const [i, date] of days.entries()) {
      const { locations } = await job.run(date);
      reports.push({
        date,
        costBefore: before[i]?.totalCost ?? '0',
        costAfter: after[i]?.totalCost ?? '0',
        requestsBefore: before[i]?.requestCount ?? 0,
        requestsAfter: after[i]?.requestCount ?? 0,
        html: locations.html,
        json: locations.json,
      });
    }
    const usage = tallyUsageLogLines(files.log.flatMap((file) => readNewLines(file, offsets.get(file) ?? 0)));
    const emf = tallyEmfLines(files.emf.flatMap((file) => readNewLines(file, offsets.get(file) ?? 0)));
    return {
      dataDir,
      workload,
      agents: agents.map((agent, i) => ({
        agentId: agent.config.definition.agentId,
        model: agent.config.model,
        tasksDone: agent.done,
        tasksFailed: agent.failed,
        spooled: agent.pipeline.stats.spooled,
        replayed: agent.pipeline.stats.replayed,
        spooledAtShutdown: shutdowns[i]?.spooled ?? 0,
        dropped: shutdowns[i]?.dropped ?? 0,
      })),
      usage,
      emf,
      reports: reports.filter((report) => report.requestsAfter > 0 || report.date === day),
      files,
      elapsedMs: Date.now() - started,
    };
  } finally {
    for (const close of closers) await close().catch(() => undefined);
  }
}

/** Sends each task at its time to its agent's queue, switching the throttling burst and the outage on and off. */
async function runWorkload(
  workload: IncidentWorkload,
  agents: readonly RunningAgent[],
  parts: { readonly proxy: FaultProxy; readonly standIn: BedrockStandIn; readonly seed: number; readonly signal?: AbortSignal },
  onProgress: (progress: PlatformProgress) => void,
  started: number,
): Promise<void> {
  const byId = new Map(agents.map((agent) => [agent.config.definition.agentId, agent]));
  const burstModel = (byId.get('cloud-engineer') ?? agents[0])?.config.model;
  const burstFaults: StandInFaults = { seed: parts.seed, ...BACKGROUND_FAULTS, models: burstModel === undefined ? {} : { [burstModel]: { throttlingRate: BURST_THROTTLING } } };
  const total = workload.tasks.length;
  let done = 0;
  let phase = '';
  const report = (): void => onProgress({ done, total, phase });
  const changes = [
    { atMs: workload.throttlingBurst.fromMs, apply: () => parts.standIn.setFaults(burstFaults), phase: 'throttling burst' },
    { atMs: workload.throttlingBurst.toMs, apply: () => parts.standIn.setFaults({ seed: parts.seed + 1, ...BACKGROUND_FAULTS }), phase: '' },
    ...(workload.outage
      ? [
          { atMs: workload.outage.fromMs, apply: () => parts.proxy.mode('refuse'), phase: 'store outage' },
          { atMs: workload.outage.toMs, apply: () => parts.proxy.mode('pass'), phase: '' },
        ]
      : []),
  ].sort((a, b) => a.atMs - b.atMs);
  const running: Promise<void>[] = [];
  const ticker = setInterval(report, 250);
  try {
    report();
    let next = 0;
    for (const scheduled of workload.tasks) {
      while (next < changes.length && (changes[next]?.atMs ?? Infinity) <= scheduled.atMs) {
        const change = changes[next++];
        await sleep(started + (change?.atMs ?? 0) - Date.now(), parts.signal);
        if (parts.signal?.aborted) break;
        await change?.apply();
        phase = change?.phase ?? '';
      }
      await sleep(started + scheduled.atMs - Date.now(), parts.signal);
      if (parts.signal?.aborted) break;
      const agent = byId.get(scheduled.agentId);
      if (!agent) continue;
      running.push(
        agent.queue.add(async () => {
          try {
            await agent.runtime.runTask(scheduled.task);
            agent.done += 1;
          } catch {
            // Bedrock's final error after retries and fallbacks: the attempts are accounted as error events.
            agent.failed += 1;
          }
          done += 1;
        }),
      );
    }
    await Promise.all(running);
    // The outage may outlast the tasks: end it, so the agents' shutdown can deliver.
    await parts.proxy.mode('pass');
    phase = '';
    report();
  } finally {
    clearInterval(ticker);
  }
}

/** The UTC days a run starting at `started` may record usage on (the end gets a minute of slack). */
function runDays(started: number, durationMs: number): string[] {
  const first = new Date(started).toISOString().slice(0, 10);
  const last = new Date(started + durationMs + 60_000).toISOString().slice(0, 10);
  return first === last ? [first] : [first, last];
}
