import { parseArgs } from 'node:util';

import { Container } from 'inversify';

import { UsageError } from '@bedrock-usage/core';
import { domainModule, reportingModule, runAsProcess, runCommandLine, TOKENS, usageStoreModule, type CommandIo } from '@bedrock-usage/di';
import { type DailyReportRun, previousUtcDay, ReportScheduler } from '@bedrock-usage/reporting';

import { loadConfig, type WorkerConfig } from './config';

export const HELP = `Usage: npm run -s reporting-worker -- <command> [options]

Commands:
  run [--date YYYY-MM-DD]   write the daily cost report now (default: yesterday, UTC) and print where it is
  schedule                  run at each tick of BEDROCK_USAGE_REPORT_CRON (UTC, default "15 0 * * *") until SIGTERM/SIGINT

The report is daily-cost-report-<date>.{html,md,json} in BEDROCK_USAGE_REPORTS_DIR (default <BEDROCK_USAGE_DATA_DIR>/reports).
Environment: BEDROCK_USAGE_DAILY_COST_THRESHOLD (default 100), BEDROCK_USAGE_HOURLY_COST_THRESHOLD (default 10),
BEDROCK_USAGE_REPORT_SNS_TOPIC_ARN, BEDROCK_USAGE_REPORT_WEBHOOK_URL (summary, off by default), and the store's
BEDROCK_USAGE_DATA_DIR, BEDROCK_USAGE_TABLE, BEDROCK_USAGE_DYNAMODB_ENDPOINT, BEDROCK_USAGE_REGION / AWS_REGION.
On AWS Lambda the entry point is the exported handler (an EventBridge scheduled event reports the previous UTC day).`;

/**
 * Where the worker writes, and how it learns it must stop; the real process wires stdout/stderr and SIGTERM/SIGINT.
 *
 * @example
 * const io: WorkerIo = { out: console.log, err: console.error, onStop: (stop) => process.once('SIGTERM', stop) };
 */
export type WorkerIo = CommandIo;

/**
 * One report run: a container for this run only, so the embedded store is held only while the report is built
 * (one process at a time may hold it), released whatever happens.
 *
 * @example
 * const run = await runReport(loadConfig(process.env), '2025-03-11');
 */
export async function runReport(config: WorkerConfig, date?: string): Promise<DailyReportRun> {
  const container = createContainer(config);
  try {
    const job = await container.getAsync(TOKENS.DailyReportJob);
    return await job.run(date);
  } finally {
    await container.get(TOKENS.ReportingShutdown)();
    await container.get(TOKENS.StoreShutdown)();
  }
}

/**
 * Runs one invocation of the worker; resolves with the exit code (0 ok, 1 the store or a notifier failed, 2 bad
 * usage or configuration). Never rejects.
 *
 * @example
 * process.exitCode = await runWorker(['run', '--date', '2025-03-11'], process.env, io);
 */
export function runWorker(argv: readonly string[], env: NodeJS.ProcessEnv, io: WorkerIo): Promise<number> {
  return runCommandLine({ run: runCommand, schedule: scheduleCommand }, HELP, argv, env, io);
}

async function runCommand(argv: readonly string[], env: NodeJS.ProcessEnv, io: WorkerIo): Promise<number> {
  const { values } = parseArgs({ args: [...argv], strict: true, options: { date: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    io.out(HELP);
    return 0;
  }
  if (values.date !== undefined && !isDay(values.date)) throw new UsageError('INVALID_INPUT', `--date "${values.date}" is not a UTC day — use YYYY-MM-DD, e.g. 2025-03-11`);
  const config = loadConfig(env);
  const run = await runReport(config, values.date);
  printRun(run, io);
  return run.notified ? 0 : 1;
}

async function scheduleCommand(argv: readonly string[], env: NodeJS.ProcessEnv, io: WorkerIo): Promise<number> {
  const { values } = parseArgs({ args: [...argv], strict: true, options: { help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    io.out(HELP);
    return 0;
  }
  const config = loadConfig(env);
  let stopRequested: () => void = () => {};
  const stopped = new Promise<void>((resolve) => (stopRequested = resolve));
  const scheduler = new ReportScheduler({
    schedule: config.schedule,
    task: async (tick) => printRun(await runReport(config, previousUtcDay(tick)), io),
    onError: (error, tick) => io.err(`report run at ${new Date(tick).toISOString()} failed: ${(error as Error).message} — the schedule goes on`),
    onScheduled: (next) => io.out(`next report run at ${new Date(next).toISOString()} (cron "${config.cron}" UTC); reports in ${config.reportsDir}`),
  });
  io.onStop(() => stopRequested());
  scheduler.start();
  await stopped;
  io.out('stopping: waiting for a run in progress…');
  await scheduler.stop();
  io.out('stopped');
  return 0;
}

function printRun(run: DailyReportRun, io: WorkerIo): void {
  const { daily } = run.report;
  io.out(`daily cost report ${run.date}: total $${daily.totalCost}, ${daily.requestCount} requests${daily.restated ? ` (restated ${daily.restatedAt})` : ''}`);
  io.out(`  html      ${run.locations.html}`);
  io.out(`  markdown  ${run.locations.markdown}`);
  io.out(`  json      ${run.locations.json}`);
  for (const breach of run.report.breaches) {
    io.out(breach.kind === 'daily' ? `  BREACH daily total $${breach.cost} > $${breach.threshold}` : `  BREACH hour ${breach.hour} $${breach.cost} > $${breach.threshold}`);
  }
  for (const n of run.notifications) {
    if (n.ok) io.out(`  notified  ${n.notifier}`);
    else io.err(`notifier ${n.notifier} failed: ${n.error} — the report files were written`);
  }
}

/**
 * What the Lambda handler returns.
 *
 * @example
 * const { date, locations, breaches } = await handler(scheduledEvent);
 */
export interface HandlerResult {
  readonly date: string;
  readonly totalCost: string;
  readonly requestCount: number;
  readonly locations: DailyReportRun['locations'];
  readonly breaches: DailyReportRun['report']['breaches'];
  readonly notifications: DailyReportRun['notifications'];
}

/**
 * The Lambda handler for an EventBridge schedule, over `env` (read once, at the first invocation): reports the UTC
 * day before the event's `time` (or before now without one). A failing notifier is logged and returned, not thrown
 * (a retry would re-send the summaries that did go out); a store failure throws.
 *
 * @example
 * export const handler = createHandler(process.env);
 */
export function createHandler(env: NodeJS.ProcessEnv): (event?: { readonly time?: string }) => Promise<HandlerResult> {
  let config: WorkerConfig | undefined;
  return async (event) => {
    config ??= loadConfig(env);
    const time = event?.time !== undefined && !Number.isNaN(Date.parse(event.time)) ? Date.parse(event.time) : Date.now();
    const run = await runReport(config, previousUtcDay(time));
    for (const n of run.notifications) if (!n.ok) console.error(JSON.stringify({ level: 'error', message: 'report notifier failed', notifier: n.notifier, error: n.error, date: run.date }));
    return {
      date: run.date,
      totalCost: run.report.daily.totalCost,
      requestCount: run.report.daily.requestCount,
      locations: run.locations,
      breaches: run.report.breaches,
      notifications: run.notifications,
    };
  };
}

/**
 * The Lambda entry point (EventBridge scheduled event → the previous UTC day's report).
 *
 * @example
 * // CDK: new lambda.Function(this, 'Reports', { handler: 'main.handler', ... })
 */
export const handler = createHandler(process.env);

/** The composition root: the only container of the worker (one per run). */
function createContainer(config: WorkerConfig): Container {
  const container = new Container();
  container.load(
    domainModule(),
    usageStoreModule(config),
    reportingModule({ reportsDir: config.reportsDir, thresholds: config.thresholds, snsTopicArn: config.snsTopicArn, webhookUrl: config.webhookUrl }),
  );
  return container;
}

function isDay(value: string): boolean {
  const time = Date.parse(`${value}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value;
}

if (require.main === module) runAsProcess(runWorker);
