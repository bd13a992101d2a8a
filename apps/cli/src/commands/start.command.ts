import { basename, dirname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';

import { AGENT_DEFINITIONS } from '@bedrock-usage/agents';
import { formatUsd, parseUsd, usdToNumber } from '@bedrock-usage/core';

import { CliError, type CliIo, table } from '../cli-io';
import { duration, progressBar } from '../cli-progress';
import type { CliConfig } from '../config';
import { runLocalPlatform, type PlatformRun } from '../platform/local-platform';

const AGENT_IDS = AGENT_DEFINITIONS.map((definition) => definition.agentId);

export const START_HELP = `Usage: npm start [-- options]

Runs the whole platform in this process on embedded defaults, no AWS account: DynamoDB (dynalite, data on disk in
BEDROCK_USAGE_DATA_DIR, default .bedrock-usage/ at the repo root), the Bedrock stand-in (the real SDK speaks its
wire protocol), the five agents (each its own pipeline, circuit breakers and spool, as their apps run them), the
batch publisher and the reporting worker. A scripted incident workload runs: overlapping incidents across the
agents, a Bedrock throttling burst (the cloud engineer falls back to Claude 3.5 Haiku, Runbook 2) and a store
outage the spool absorbs. Then the agents shut down, the publisher catches up, the daily report is written, and a
summary reconciles this run's usage log lines with the daily report (exactly) and the EMF EstimatedCost metric.
  --duration S      seconds of workload, 10 to 3600 (default 60)
  --rate N          tasks per second over all agents, 0.2 to 50 (default 3)
  --agents LIST     comma-separated agent ids, or all (default all): ${AGENT_IDS.join(', ')}
  --seed N          same seed, same tasks, incidents and Bedrock faults; 0 to 2147483647 (default 1)
  --outage on|off   take the usage store down for a fifth of the run, at least 4 s (default on)
  --reset           empty the data directory first (store, spools, logs, reports)
Files, under the data directory: logs/<agent>/emf.log (EMF lines, what CloudWatch Logs would receive),
logs/<agent>/usage.log (usage log lines), spool/<agent>/, reports/ (HTML, Markdown, JSON), dynamodb/.
Exit code 0; 1 if the figures do not reconcile or an event was dropped; 2 for a bad option or setting.`;

/** `npm start`: the local platform end to end (see {@link START_HELP}). */
export async function startCommand(argv: readonly string[], config: CliConfig, env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      duration: { type: 'string', default: '60' },
      rate: { type: 'string', default: '3' },
      agents: { type: 'string', default: 'all' },
      seed: { type: 'string', default: '1' },
      outage: { type: 'string', default: 'on' },
      reset: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(START_HELP);
    return 0;
  }
  const durationS = numberIn('--duration', values.duration, 10, 3600, true);
  const rate = numberIn('--rate', values.rate, 0.2, 50, false);
  const seed = numberIn('--seed', values.seed, 0, 2_147_483_647, true);
  const agents = agentList(values.agents);
  if (values.outage !== 'on' && values.outage !== 'off') throw new CliError(`--outage "${values.outage}" is not allowed — use on or off (default on)`);
  const { location } = config;
  if (location.kind !== 'embedded') {
    throw new CliError(`npm start runs the local platform on the embedded store — unset BEDROCK_USAGE_DYNAMODB_ENDPOINT, AWS_REGION and AWS credentials (the store here is ${location.endpoint ?? `DynamoDB on AWS in ${config.region}`})`);
  }
  io.out(`bedrock-usage local platform: ${agents.length} agents, ${durationS} s at ${rate} tasks/s, seed ${seed}, store outage ${values.outage}; data in ${location.dataDir}`);
  const bar = progressBar(io, { total: Math.max(1, Math.round(durationS * rate)), unit: 'tasks' });
  // Ctrl-C stops the workload; the agents still shut down (deliver or spool) and the summary covers what ran.
  const interrupted = new AbortController();
  io.onInterrupt?.(() => interrupted.abort());
  const run = await runLocalPlatform(
    { durationMs: durationS * 1000, rate, agents, seed, outage: values.outage === 'on', reset: values.reset, store: { ...config, location }, env, signal: interrupted.signal },
    (progress) => bar.update(progress.done, progress.phase),
  );
  bar.finish();
  return printSummary(run, io);
}

function numberIn(option: string, value: string, min: number, max: number, whole: boolean): number {
  const parsed = (whole ? /^\d+$/ : /^\d+(\.\d+)?$/).test(value) ? Number(value) : Number.NaN;
  if (!Number.isFinite(parsed) || parsed < min || parsed > max) {
    throw new CliError(`${option} "${value}" is not allowed — use ${whole ? 'a whole number' : 'a number'} from ${min} to ${max}`);
  }
  return parsed;
}

function agentList(value: string): string[] {
  if (value === 'all') return [...AGENT_IDS];
  const ids = [...new Set(value.split(',').map((id) => id.trim()).filter((id) => id !== ''))];
  const unknown = ids.filter((id) => !AGENT_IDS.includes(id));
  if (ids.length === 0 || unknown.length > 0) {
    throw new CliError(`--agents "${value}" is not allowed — use all or a comma-separated list of ${AGENT_IDS.join(', ')}`);
  }
  return ids;
}

/** Prints the run's summary; resolves the exit code (1 when the figures do not reconcile or events were dropped). */
function printSummary(run: PlatformRun, io: CliIo): number {
  const { usage, emf, workload } = run;
  const tasksFailed = run.agents.reduce((sum, agent) => sum + agent.tasksFailed, 0);
  const spooled = run.agents.reduce((sum, agent) => sum + agent.spooled, 0);
  const replayed = run.agents.reduce((sum, agent) => sum + agent.replayed, 0);
  const leftInSpool = run.agents.reduce((sum, agent) => sum + agent.spooledAtShutdown, 0);
  const dropped = run.agents.reduce((sum, agent) => sum + agent.dropped, 0);
  const total = usage.lines.reduce(
    (sum, line) => ({
      calls: sum.calls + line.calls,
      errors: sum.errors + line.errors,
      input: sum.input + line.inputTokens,
      output: sum.output + line.outputTokens,
      cacheRead: sum.cacheRead + line.cacheReadTokens,
      cacheWrite: sum.cacheWrite + line.cacheWriteTokens,
    }),
    { calls: 0, errors: 0, input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
  );
  const count = (n: number): string => n.toLocaleString('en-US');
  io.out('');
  const tasksRun = run.agents.reduce((sum, agent) => sum + agent.tasksDone + agent.tasksFailed, 0);
  const stopped = tasksRun < workload.tasks.length ? ` (interrupted: ${workload.tasks.length - tasksRun} tasks not sent)` : '';
  io.out(`Run finished in ${duration(run.elapsedMs)}${stopped}: ${tasksRun} tasks (${tasksRun - tasksFailed} answered, ${tasksFailed} failed after retries and fallbacks), ${count(usage.events)} Bedrock calls accounted, incidents ${Object.keys(usage.byIncident).join(', ') || 'none'}`);
  io.out('');
  io.out('Cost and tokens by agent and model (this run):');
  io.out(
    table([
      ['AGENT', 'MODEL', 'CALLS', 'ERRORS', 'INPUT', 'OUTPUT', 'CACHE READ', 'CACHE WRITE', 'COST (USD)'],
      ...usage.lines.map((line) => [line.agentId, line.modelId, count(line.calls), count(line.errors), count(line.inputTokens), count(line.outputTokens), count(line.cacheReadTokens), count(line.cacheWriteTokens), line.cost]),
      ['TOTAL', '', count(total.calls), count(total.errors), count(total.input), count(total.output), count(total.cacheRead), count(total.cacheWrite), usage.cost],
    ]),
  );
  io.out('');
  const codes = Object.entries(usage.errorsByCode).sort(([, a], [, b]) => b - a);
  io.out(`Errors by code: ${codes.length === 0 ? 'none' : codes.map(([code, n]) => `${code} ${n}`).join(', ')}`);
  const trips = Object.entries(emf.tripsByComponent).map(([component, n]) => `${component} ${n}`);
  const outage = workload.outage ? `store outage ${seconds(workload.outage.fromMs)}–${seconds(workload.outage.toMs)}` : 'no store outage';
  io.out(`Circuit breaker trips: ${emf.trips}${trips.length > 0 ? ` (${trips.join(', ')})` : ''} · ${outage} · events spooled ${count(spooled)}, replayed from the spool ${count(replayed)}, left in the spool ${count(leftInSpool)}, dropped ${count(dropped)}`);

  const reportCost = formatUsd(run.reports.reduce((sum, report) => sum + parseUsd(report.costAfter) - parseUsd(report.costBefore), 0n));
  const reportRequests = run.reports.reduce((sum, report) => sum + report.requestsAfter - report.requestsBefore, 0);
  const emfMatches = Math.abs(emf.estimatedCost - usdToNumber(parseUsd(usage.cost))) <= 1e-9 * Math.max(1, emf.estimatedCost);
  const exact = reportCost === usage.cost && reportRequests === usage.events && usage.duplicates === 0;
  const reconciled = exact && emfMatches && emf.events === usage.events && leftInSpool === 0 && dropped === 0;
  io.out('');
  io.out(`Reconciliation: usage log $${usage.cost} over ${count(usage.events)} events; daily report (this run's change) $${reportCost} over ${count(reportRequests)} requests; EMF EstimatedCost Σ ${emf.estimatedCost} over ${count(emf.events)} lines — ${reconciled ? 'reconciled (money exact; the metric within double rounding)' : 'NOT RECONCILED'}`);
  if (leftInSpool > 0) io.out(`${leftInSpool} events are still in the spool (the store did not come back before shutdown): the next npm start replays them, or npm run -s cli -- spool replay`);
  io.out('');
  io.out('Files:');
  const shown = (file: string): string => {
    const path = relative(process.cwd(), file);
    return path === '' || path.startsWith('..') ? file : path;
  };
  const perAgent = (files: readonly string[]): string => `${files.length === 1 ? shown(files[0] as string) : join(shown(dirname(dirname(files[0] as string))), '*', basename(files[0] as string))} (${files.length === 1 ? 'one agent' : `one per agent: ${files.length}`})`;
  io.out(`  EMF lines (what CloudWatch Logs would receive): ${perAgent(run.files.emf)}`);
  io.out(`  usage log lines: ${perAgent(run.files.log)}`);
  for (const report of run.reports) io.out(`  daily report ${report.date}: ${shown(report.html)} (JSON: ${shown(report.json)})`);
  const firstIncident = Object.keys(usage.byIncident).find((id) => id.startsWith('INC-'));
  io.out('');
  io.out(`Next: npm run -s cli -- report daily --date ${run.reports[0]?.date ?? ''}${firstIncident ? ` · npm run -s cli -- incident ${firstIncident}` : ''} · npm run -s cli -- errors --minutes 60 · npm start -- --help`);
  return reconciled ? 0 : 1;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(0)} s`;
}
