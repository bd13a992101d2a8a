import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';

import { isLive, type ProcessStatus } from '@bedrock-usage/recorder';

import { type CommandDeps, parsePositiveInt } from '../cli-args';
import { CliError, type CliIo, table } from '../cli-io';

export const BREAKER_HELP = `Usage: npm run -s cli -- breaker status [--all] [--json]
       npm run -s cli -- breaker reset <component|all> [--wait 60] [--json]

Runbook 3 ("Circuit breaker activation"). Every process that records usage (agents, batch publisher) writes a
heartbeat into the usage table every 15 s: its breaker states per sink, buffered events and spool backlog.
  status             the running processes' breakers (--all: also stopped and silent ones); exit 0
  reset COMPONENT    asks every running process to close that sink's breaker (DynamoDB, CloudWatch, EMF … or
                     all) and replay its spool. Each process applies the request at its next heartbeat; this waits
                     for all of them to confirm (--wait seconds, default 60, 0: do not wait). Breakers also close
                     by themselves once a probe write succeeds (every 60 s) — reset only after fixing the cause.
                     Exit 1 when no running process has that breaker or one did not confirm in time.`;

/** `breaker status` / `breaker reset`. */
export async function breakerCommand(argv: readonly string[], { openStore }: CommandDeps, io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: true,
    options: { all: { type: 'boolean' }, wait: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.out(BREAKER_HELP);
    return 0;
  }
  const [action, component, ...extra] = positionals;
  if (action === 'status' && component === undefined) {
    if (values.wait !== undefined) throw new CliError(`--wait is an option of "breaker reset", not of "breaker status"`);
    const { statusStore, clock } = await openStore();
    const now = clock.now();
    const statuses = (await statusStore.listStatuses()).filter((status) => values.all || isLive(status, now));
    if (values.json) io.out(JSON.stringify({ processes: statuses.map((status) => ({ ...status, live: isLive(status, now) })) }));
    else printStatuses(statuses, now, io);
    return 0;
  }
  if (action === 'reset' && component !== undefined && extra.length === 0) {
    if (values.all) throw new CliError(`--all is an option of "breaker status"; to reset every breaker use "breaker reset all"`);
    if (!/^[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(component)) throw new CliError(`component "${component}" is not a sink name — use one shown by "breaker status" (DynamoDB, CloudWatch, EMF …) or all`);
    const waitSeconds = values.wait === undefined ? 60 : values.wait === '0' ? 0 : parsePositiveInt('--wait', values.wait, 3600);
    return reset(component, waitSeconds, values.json === true, await openStore(), io);
  }
  throw new CliError(`breaker needs "status" or "reset <component|all>"${action === undefined ? '' : ` (got "${positionals.join(' ')}")`}\n\n${BREAKER_HELP}`);
}

type Opened = Awaited<ReturnType<CommandDeps['openStore']>>;

async function reset(component: string, waitSeconds: number, json: boolean, { statusStore, clock }: Opened, io: CliIo): Promise<number> {
  const matches = (status: ProcessStatus): boolean => Object.keys(status.breakers).some((name) => component === 'all' || name.toLowerCase() === component.toLowerCase());
  const targets = (await statusStore.listStatuses()).filter((status) => isLive(status, clock.now()) && matches(status));
  if (targets.length === 0) {
    const live = (await statusStore.listStatuses()).filter((status) => isLive(status, clock.now()));
    const known = [...new Set(live.flatMap((status) => Object.keys(status.breakers)))].sort();
    io.err(
      live.length === 0
        ? `no running process reports a heartbeat in this usage table — nothing to reset (a process that starts begins with closed breakers)`
        : `no running process has a breaker named "${component}" — they have: ${known.join(', ') || 'none'} (or use all)`,
    );
    return 1;
  }
  const progress = json ? undefined : io.progress;
  const request = { requestId: randomUUID(), component, requestedAt: new Date(clock.now()).toISOString() };
  await statusStore.putResetRequest(request);
  const pending = new Map(targets.map((status) => [status.processId, status]));
  const confirmed: ProcessStatus[] = [];
  const deadline = clock.now() + waitSeconds * 1000;
  while (pending.size > 0 && clock.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    for (const status of await statusStore.listStatuses()) {
      if (!pending.has(status.processId)) continue;
      if (status.resetsApplied.includes(request.requestId)) {
        pending.delete(status.processId);
        confirmed.push(status);
      } else if (status.stopped) {
        pending.delete(status.processId); // shut down meanwhile: its breakers are gone with it
      } else {
        pending.set(status.processId, status); // still waiting (a silent one stays unconfirmed)
      }
    }
    progress?.(`breaker reset ${component}: ${confirmed.length}/${targets.length} processes confirmed`);
  }
  progress?.('');
  if (json) {
    io.out(JSON.stringify({ request, confirmed: confirmed.map(view), unconfirmed: [...pending.values()].map(view) }));
  } else {
    io.out(`reset ${request.requestId} of ${component} sent to ${targets.length} running process(es)`);
    if (confirmed.length > 0) {
      io.out(table([['agent', 'process', 'breakers now', 'spool backlog'], ...confirmed.map((status) => [status.agentId, `${status.host}:${status.pid}`, breakers(status), backlog(status)])]));
    }
    if (waitSeconds === 0) io.out('not waiting (--wait 0): run "breaker status" in a few seconds to see the result');
    for (const status of pending.values()) {
      if (waitSeconds === 0) continue;
      const silent = isLive(status, clock.now()) ? '' : ` (silent since ${status.reportedAt}: its heartbeat stopped)`;
      io.err(`${status.agentId} ${status.host}:${status.pid} did not confirm within ${waitSeconds} s${silent} — is it stuck? see its logs`);
    }
  }
  return waitSeconds > 0 && pending.size > 0 ? 1 : 0;
}

function view(status: ProcessStatus): object {
  return { processId: status.processId, agentId: status.agentId, breakers: status.breakers, spoolBacklog: status.spoolBacklog };
}

function printStatuses(statuses: readonly ProcessStatus[], now: number, io: CliIo): void {
  if (statuses.length === 0) {
    io.out('No running process reports a heartbeat in this usage table (agents write one every 15 s while they run).');
    return;
  }
  io.out(
    table([
      ['agent', 'process', 'last heartbeat', 'breakers', 'buffered', 'spool backlog'],
      ...[...statuses]
        .sort((a, b) => a.agentId.localeCompare(b.agentId) || a.processId.localeCompare(b.processId))
        .map((status) => [
          status.agentId,
          `${status.host}:${status.pid}`,
          `${Math.max(0, Math.round((now - Date.parse(status.reportedAt)) / 1000))} s ago${status.stopped ? ' (stopped)' : isLive(status, now) ? '' : ' (silent)'}`,
          breakers(status),
          String(status.buffered + status.overflowing),
          backlog(status),
        ]),
    ]),
  );
  const open = statuses.filter((status) => isLive(status, now) && Object.values(status.breakers).some((state) => state !== 'closed'));
  if (open.length > 0) io.out(`\n${open.length} process(es) have a breaker not closed: find the cause (Runbook 3), then "breaker reset <component>"`);
}

function breakers(status: ProcessStatus): string {
  return Object.entries(status.breakers).map(([name, state]) => `${name}=${state}`).join(' ') || '—';
}

function backlog(status: ProcessStatus): string {
  return Object.entries(status.spoolBacklog).map(([name, count]) => `${name}=${count}`).join(' ') || '—';
}
