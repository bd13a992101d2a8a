import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';

import { tokenUsage, type UsageEvent } from '@bedrock-usage/core';
import { isLive, type ProcessStatus } from '@bedrock-usage/recorder';

import { addDays, type CommandDeps, parsePositiveInt } from '../cli-args';
import { CliError, type CliIo, table } from '../cli-io';

export const DOCTOR_HELP = `Usage: npm run -s cli -- doctor [--days 7] [--hours 24] [--json]

Runbook 4 ("Missing cost data") as one command: each check prints OK, WARN, SKIP or FAIL with the reason and what to
do; the exit code is 1 when any check FAILs.
  store      the usage table is reachable and has the expected keys and four indexes
  write      a probe event (flagged synthetic: stored, excluded from every report) is written and read back
  metrics    CloudWatch answers and metrics arrived in the namespace in the last 3 h (SKIP locally: EMF lines)
  usage      usage was recorded in the last --hours (default 24), and the last two whole hours' stored calls are
             all in the aggregates reports read (else the batch publisher is not running)
  spool      no events wait in the spool directory or in a running process's spool
  breakers   no running process has a breaker open or half-open
  pricing    every model used in the last --days (default 7) full days and today is priced
  clock      this machine and every running process agree with the store's clock within 60 s
  --json     { ok, checks: [{ name, status, detail, fix? }] }`;

type CheckStatus = 'OK' | 'WARN' | 'SKIP' | 'FAIL';

/** One line of the doctor's report. */
interface Check {
  readonly name: string;
  readonly status: CheckStatus;
  readonly detail: string;
  readonly fix?: string;
}

const MAX_SKEW_MS = 60_000;

/** `doctor`: every check of Runbook 4, OK/WARN/SKIP/FAIL each, exit 1 on any FAIL. */
export async function doctorCommand(argv: readonly string[], { openStore, openSpool }: CommandDeps, io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: true,
    options: { days: { type: 'string' }, hours: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.out(DOCTOR_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new CliError(`doctor takes no arguments (got "${positionals.join(' ')}")\n\n${DOCTOR_HELP}`);
  const days = parsePositiveInt('--days', values.days ?? '7', 90);
  const hours = parsePositiveInt('--hours', values.hours ?? '24', 720);
  const deps = await openStore();
  const { diagnostics, statusStore, clock } = deps;
  const checks: Check[] = [];
  const progress = values.json ? undefined : io.progress;
  const run = async (name: string, check: () => Promise<Omit<Check, 'name'>>, fix: string): Promise<void> => {
    progress?.(`doctor: ${name}…`);
    try {
      checks.push({ name, ...(await check()) });
    } catch (error) {
      checks.push({ name, status: 'FAIL', detail: (error as Error).message, fix });
    }
  };
  const storeFix = 'check BEDROCK_USAGE_TABLE, BEDROCK_USAGE_DYNAMODB_ENDPOINT / AWS_REGION and the credentials (IAM: dynamodb:DescribeTable, PutItem, BatchWriteItem, Query)';

  await run(
    'store',
    async () => {
      const problems = await diagnostics.tableProblems();
      return problems.length === 0
        ? { status: 'OK', detail: `table "${deps.tableName}" (${deps.storeLabel}) has the usage keys and the four indexes` }
        : { status: 'FAIL', detail: problems.join('; '), fix: 'deploy the infra stack (apps/infra) or point BEDROCK_USAGE_TABLE at the usage table' };
    },
    storeFix,
  );
  await run('write', () => probeWrite(deps), storeFix);
  await run(
    'metrics',
    async () => {
      if (diagnostics.metrics.kind === 'local') {
        return { status: 'SKIP', detail: 'no CloudWatch configured: locally the agents write their metrics as EMF lines to their output (set AWS configuration or BEDROCK_USAGE_CLOUDWATCH_ENDPOINT to check CloudWatch)' };
      }
      const names = await diagnostics.recentMetrics();
      const where = `namespace ${diagnostics.metrics.namespace} (${diagnostics.metrics.region})`;
      return names.length > 0
        ? { status: 'OK', detail: `CloudWatch answers; ${names.length} metric(s) active in the last 3 h in ${where}: ${names.slice(0, 6).join(', ')}${names.length > 6 ? ' …' : ''}` }
        : { status: 'WARN', detail: `CloudWatch answers, but no metric in ${where} got data in the last 3 h`, fix: 'if agents ran: check the metrics producer (EMF lines reach CloudWatch Logs only on Lambda/ECS with awslogs) and BEDROCK_USAGE_NAMESPACE' };
    },
    'check AWS_REGION, the credentials and the IAM permissions cloudwatch:ListMetrics / PutMetricData',
  );
  await run(
    'usage',
    async () => {
      const points = await deps.analyzer.getThroughputMetrics({ granularity: '1h', lookbackHours: hours });
      const requests = points.reduce((sum, point) => sum + point.requests, 0);
      const last = [...points].reverse().find((point) => point.requests > 0);
      // Reports count whole hours from the hourly aggregates. Stored calls of the last two whole hours that ended at
      // least 5 minutes ago (time for the batch publisher to catch up) that the aggregates miss mean it is not running.
      const end = Math.floor((clock.now() - 300_000) / 3_600_000) * 3_600_000;
      const [from, to] = [new Date(end - 7_200_000).toISOString(), new Date(end).toISOString()];
      const stored = (await deps.reader.eventsBetween(from, to)).filter((event) => !event.flags.includes('synthetic')).length;
      const aggregated = (await deps.analyzer.getPerformanceMetrics({ startTime: from, endTime: to })).requests;
      if (stored > aggregated) {
        return {
          status: 'FAIL',
          detail: `${stored} calls stored between ${from} and ${to} but the reports count ${aggregated}: the hourly aggregates are not being kept current`,
          fix: 'check that the batch publisher runs (it refreshes the aggregates reports read); "spool replay" also refreshes what it writes',
        };
      }
      return requests > 0
        ? { status: 'OK', detail: `${requests} calls recorded in the last ${hours} h (latest in the hour of ${last?.timestamp ?? '?'})` }
        : { status: 'WARN', detail: `no usage recorded in the last ${hours} h`, fix: 'if agents ran: see "spool" and "breakers" below, and the agents\' logs for LoggingErrors' };
    },
    storeFix,
  );
  const statuses = await statusStore.listStatuses().catch(() => [] as readonly ProcessStatus[]);
  const live = statuses.filter((status) => isLive(status, clock.now()));
  await run(
    'spool',
    async () => {
      const { dir, inspector } = openSpool();
      const local = (await inspector.inspect()).filter((file) => file.events > 0);
      const remote = live.flatMap((status) => Object.entries(status.spoolBacklog).filter(([, count]) => count > 0).map(([sink, count]) => `${status.agentId} ${status.host}:${status.pid} ${sink}=${count}`));
      if (local.length === 0 && remote.length === 0) return { status: 'OK', detail: `nothing waits in ${dir} nor in the ${live.length} running process(es)` };
      const waiting = [...local.map((file) => `${file.sink}=${file.events} in ${dir}`), ...remote];
      const storeFile = local.some((file) => file.sink === 'DynamoDB');
      return {
        status: 'FAIL',
        detail: `events wait to be delivered: ${waiting.join('; ')}`,
        fix: `fix the sink that failed, then "breaker reset <component>": running processes replay their spool${storeFile ? '; the usage store\'s file in this directory: "spool replay"' : ''} (metrics and log spools are replayed by the agents' own pipelines)`,
      };
    },
    'check BEDROCK_USAGE_SPOOL_DIR',
  );
  await run(
    'breakers',
    async () => {
      const open = live.flatMap((status) =>
        Object.entries(status.breakers)
          .filter(([, state]) => state !== 'closed')
          .map(([sink, state]) => `${status.agentId} ${status.host}:${status.pid} ${sink}=${state}`),
      );
      if (live.length === 0) return { status: 'OK', detail: 'no running process reports a heartbeat (nothing to check)' };
      return open.length === 0
        ? { status: 'OK', detail: `all breakers closed in ${live.length} running process(es)` }
        : { status: 'FAIL', detail: `not closed: ${open.join('; ')}`, fix: 'find the cause (Runbook 3), then "breaker reset <component>"' };
    },
    storeFix,
  );
  await run(
    'pricing',
    async () => {
      const today = new Date(clock.now()).toISOString().slice(0, 10);
      const unpriced = new Map<string, number>();
      for (let offset = -days; offset <= 0; offset += 1) {
        const report = await deps.analyzer.generateDailyCostReport(addDays(today, offset));
        for (const [model, line] of Object.entries(report.breakdown.byModel)) if (line.unpricedRequests > 0) unpriced.set(model, (unpriced.get(model) ?? 0) + line.unpricedRequests);
      }
      return unpriced.size === 0
        ? { status: 'OK', detail: `every model used since ${addDays(today, -days)} is priced` }
        : {
            status: 'FAIL',
            detail: `unpriced calls since ${addDays(today, -days)}: ${[...unpriced].map(([model, count]) => `${model} (${count})`).join(', ')}`,
            fix: 'add the model to BEDROCK_USAGE_PRICING_FILE (see "price --list" and libs/pricing/README.md); reports show these calls as unpriced, never $0',
          };
    },
    storeFix,
  );
  await run(
    'clock',
    async () => {
      const { skewMs, uncertaintyMs } = await diagnostics.clockSkew();
      const problems: string[] = [];
      if (skewMs !== null && Math.abs(skewMs) - uncertaintyMs > MAX_SKEW_MS) problems.push(`this machine is ${Math.round(skewMs / 1000)} s ${skewMs > 0 ? 'behind' : 'ahead of'} the store`);
      for (const status of statuses) {
        const ahead = Date.parse(status.reportedAt) - clock.now();
        if (ahead > MAX_SKEW_MS) problems.push(`${status.agentId} on ${status.host} reports from ${Math.round(ahead / 1000)} s in the future`);
      }
      if (problems.length > 0) return { status: 'FAIL', detail: problems.join('; '), fix: 'sync the clocks (chrony / NTP); event times decide which hour and day a call is reported in' };
      const measured = skewMs === null ? 'the store sent no Date header' : `skew ${skewMs} ms ± ${uncertaintyMs} ms against the store`;
      return { status: 'OK', detail: `${measured}; ${statuses.length} heartbeat(s) not from the future` };
    },
    storeFix,
  );
  progress?.('');
  const ok = checks.every((check) => check.status !== 'FAIL');
  if (values.json) {
    io.out(JSON.stringify({ ok, checks }));
  } else {
    io.out(table([['check', 'status', 'detail'], ...checks.map((check) => [check.name, check.status, check.detail])]));
    for (const check of checks) if (check.fix && check.status !== 'OK') io.out(`\n${check.name}: ${check.fix}`);
    io.out(`\n${ok ? 'All checks passed.' : `${checks.filter((check) => check.status === 'FAIL').length} check(s) FAILED.`}`);
  }
  return ok ? 0 : 1;
}

/**
 * Writes one probe event flagged `synthetic` (the analyzer leaves it out of every report) and reads it back through the
 * by-day index, which is what every report reads (eventually consistent on AWS: a few tries).
 */
async function probeWrite({ writer, reader, clock }: Awaited<ReturnType<CommandDeps['openStore']>>): Promise<Omit<Check, 'name'>> {
  const time = new Date(clock.now()).toISOString();
  const probe: UsageEvent = {
    eventId: `doctor-${randomUUID()}`,
    time,
    agentId: 'doctor',
    tags: {},
    api: 'Converse',
    modelId: 'doctor.probe',
    resolvedModel: null,
    region: 'us-east-1',
    outcome: 'success',
    usage: tokenUsage({ inputTokens: 0, outputTokens: 0 }),
    cost: null,
    priceRef: null,
    latencyMs: null,
    apiLatencyMs: 0,
    statusCode: 200,
    flags: ['synthetic'],
  };
  const written = await writer.write([probe]);
  if (!written.ok) return { status: 'FAIL', detail: `the probe write failed: ${written.error.message}`, fix: 'check the IAM permission dynamodb:BatchWriteItem / PutItem on the table' };
  const until = new Date(Date.parse(time) + 1).toISOString();
  for (let attempt = 0; attempt < 5; attempt += 1) {
    if ((await reader.eventsBetween(time, until)).some((event) => event.eventId === probe.eventId)) {
      return { status: 'OK', detail: `probe ${probe.eventId} written and read back through the by-day index (flagged synthetic: in no report)` };
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return { status: 'FAIL', detail: `probe ${probe.eventId} was written but not found through the by-day index after 5 s`, fix: 'check that the byDay index is ACTIVE and the IAM permission dynamodb:Query covers the table\'s indexes' };
}
