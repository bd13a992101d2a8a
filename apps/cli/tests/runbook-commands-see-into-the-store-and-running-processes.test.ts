import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Container } from 'inversify';

import type { UsageEvent } from '@bedrock-usage/core';
import { domainModule, spoolModule, storeModule, TOKENS } from '@bedrock-usage/di';
import { StatusReporter, type BreakerStateName, type ProcessStatusStore } from '@bedrock-usage/recorder';
import { makeUsageEvents, startDynalite, type DynaliteServer } from '@bedrock-usage/testing';

import { storeCli } from './run-cli';

const TABLE = 'usage';
const SILENT = { error: () => undefined };

/**
 * An agent process as the doctor sees it: its heartbeat, with a store breaker that is open and 5 events in its
 * spool until a reset closes it (the real GuardedSink and pipeline under a reset are tested in libs/di).
 */
function runningAgent(store: ProcessStatusStore) {
  const breaker = {
    name: 'DynamoDB',
    state: 'open' as BreakerStateName,
    reset() {
      this.state = 'closed';
    },
  };
  const reporter = new StatusReporter({
    store,
    agentId: 'jira',
    host: 'agent-host',
    pid: 4242,
    intervalMs: 1000,
    stats: () => ({ buffered: 0, peakBuffered: 0, inFlightBatches: 0, overflowing: 0, spooled: 0, replayed: 0 }),
    breakers: [breaker],
    spoolBacklog: async () => ({ DynamoDB: breaker.state === 'open' ? 5 : 0 }),
    logger: SILENT,
  });
  return { breaker, reporter };
}

describe('the runbook commands: errors (2), breaker (3), doctor (4)', () => {
  let dynamo: DynaliteServer;
  let spoolDir: string;
  let env: NodeJS.ProcessEnv;
  let container: Container;
  /** What an agent and the batch publisher do: write the events, then refresh the aggregates reports read. */
  const record = async (events: readonly UsageEvent[]) => {
    expect(await (await container.getAsync(TOKENS.UsageStoreWriter)).write(events)).toEqual({ ok: true });
    await (await container.getAsync(TOKENS.CostAnalyzer)).refreshAggregates(events);
  };
  beforeAll(async () => {
    dynamo = await startDynalite();
    spoolDir = mkdtempSync(join(tmpdir(), 'bedrock-usage-doctor-'));
    env = { BEDROCK_USAGE_DYNAMODB_ENDPOINT: dynamo.endpoint, BEDROCK_USAGE_TABLE: TABLE, BEDROCK_USAGE_SPOOL_DIR: spoolDir };
    // What the agents share with the CLI: the usage table and the spool directory.
    container = new Container();
    container.load(domainModule(), storeModule({ tableName: TABLE, region: 'us-east-1', endpoint: dynamo.endpoint, createTable: true }), spoolModule({ dir: spoolDir }));
  });
  afterAll(async () => {
    await container.get(TOKENS.StoreShutdown)();
    await dynamo.close();
    rmSync(spoolDir, { recursive: true, force: true });
  });

  it('doctor passes on a healthy store, and its probe write is in no report', async () => {
    // Prepare: one real call recorded today
    const today = new Date().toISOString().slice(0, 10);
    const call = makeUsageEvents(1, { time: new Date().toISOString(), agentId: 'operations' });
    await record(call);
    // Act: doctor, then the hour's aggregates recomputed from every stored event — the probe among them
    const doctor = await storeCli(['doctor', '--json'], env);
    await (await container.getAsync(TOKENS.CostAnalyzer)).refreshAggregates(call);
    const report = await storeCli(['report', 'daily', '--date', today, '--json'], env);
    // Assess
    const result = JSON.parse(doctor.out) as { ok: boolean; checks: { name: string; status: string; detail: string }[] };
    expect(doctor.code).toBe(0);
    expect(result.checks.map((check) => [check.name, check.status])).toEqual([
      ['store', 'OK'],
      ['write', 'OK'],
      ['metrics', 'SKIP'],
      ['usage', 'OK'],
      ['spool', 'OK'],
      ['breakers', 'OK'],
      ['pricing', 'OK'],
      ['clock', 'OK'],
    ]);
    expect(result.checks[1].detail).toMatch(/^probe doctor-[0-9a-f-]{36} written and read back/);
    expect(JSON.parse(report.out)).toMatchObject({ requestCount: 1, breakdown: { byAgent: { operations: { requests: 1 } } } });
  });

  it('doctor fails naming an unpriced model, a spool backlog and an open breaker, each with what to do', async () => {
    // Prepare: an unpriced call, events in the spool directory, a running agent whose store sink is down
    await record(makeUsageEvents(1, { time: new Date().toISOString(), modelId: 'acme.unknown-v1:0', resolvedModel: 'acme.unknown-v1:0', cost: null, flags: ['unpriced'] }));
    const spool = container.get(TOKENS.Spool);
    await spool.append('DynamoDB', makeUsageEvents(3));
    const agent = runningAgent(await container.getAsync(TOKENS.ProcessStatusStore));
    await agent.reporter.beat();
    // Act
    const doctor = await storeCli(['doctor'], env);
    await agent.reporter.stop();
    await spool.replay('DynamoDB', async () => true);
    // Assess
    expect(doctor.code).toBe(1);
    expect(doctor.out).toMatch(/pricing\s+FAIL\s+unpriced calls since \d{4}-\d{2}-\d{2}: acme\.unknown-v1:0 \(1\)/);
    expect(doctor.out).toMatch(/spool\s+FAIL\s+events wait to be delivered: DynamoDB=3 in .*; jira agent-host:4242 DynamoDB=5/);
    expect(doctor.out).toMatch(/breakers\s+FAIL\s+not closed: jira agent-host:4242 DynamoDB=open/);
    expect(doctor.out).toContain('pricing: add the model to BEDROCK_USAGE_PRICING_FILE');
    expect(doctor.out).toContain('3 check(s) FAILED.');
  });

  it('breaker status shows a running agent\'s open breaker; breaker reset closes it and the agent confirms', async () => {
    // Prepare
    const agent = runningAgent(await container.getAsync(TOKENS.ProcessStatusStore));
    agent.reporter.start();
    await agent.reporter.beat();
    const before = await storeCli(['breaker', 'status'], env);
    // Act: the reset is applied at the agent's next heartbeat (every second here)
    const reset = await storeCli(['breaker', 'reset', 'DynamoDB', '--wait', '30', '--json'], env);
    await agent.reporter.beat();
    const after = await storeCli(['breaker', 'status', '--json'], env);
    await agent.reporter.stop();
    const unknown = await storeCli(['breaker', 'reset', 'Kafka', '--wait', '0'], env);
    // Assess
    expect(before.code).toBe(0);
    expect(before.out).toMatch(/jira\s+agent-host:4242\s+\d+ s ago\s+DynamoDB=open\s+0\s+DynamoDB=5/);
    expect(reset.code).toBe(0);
    expect(JSON.parse(reset.out)).toMatchObject({ request: { component: 'DynamoDB' }, confirmed: [{ agentId: 'jira', breakers: { DynamoDB: 'closed' } }], unconfirmed: [] });
    expect(JSON.parse(after.out).processes).toEqual([expect.objectContaining({ agentId: 'jira', breakers: { DynamoDB: 'closed' }, spoolBacklog: { DynamoDB: 0 }, live: true })]);
    expect(agent.breaker.state).toBe('closed');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('no running process reports a heartbeat in this usage table');
  });

  it('breaker reset names a process that went silent and exits 1; doctor fails when stored calls miss the aggregates', async () => {
    // Prepare: an agent that reported once (1 s interval) and then hung; 4 calls stored 50 minutes before the last
    // whole hour that ended 5 minutes ago (inside doctor's 2-hour window even if an hour turns during the test),
    // never aggregated
    const agent = runningAgent(await container.getAsync(TOKENS.ProcessStatusStore));
    await agent.reporter.beat();
    const end = Math.floor((Date.now() - 300_000) / 3_600_000) * 3_600_000;
    expect(await (await container.getAsync(TOKENS.UsageStoreWriter)).write(makeUsageEvents(4, { time: new Date(end - 3_000_000).toISOString(), agentId: 'jira' }))).toEqual({ ok: true });
    // Act
    const reset = await storeCli(['breaker', 'reset', 'DynamoDB', '--wait', '5'], env);
    const doctor = await storeCli(['doctor', '--json'], env);
    await agent.reporter.stop();
    // Assess
    expect(reset.code).toBe(1);
    expect(reset.err).toMatch(/jira agent-host:4242 did not confirm within 5 s \(silent since .*: its heartbeat stopped\) — is it stuck\?/);
    const usage = (JSON.parse(doctor.out) as { checks: { name: string; status: string; detail: string }[] }).checks.find((check) => check.name === 'usage');
    expect(usage).toMatchObject({ status: 'FAIL', detail: expect.stringMatching(/^4 calls stored between .* but the reports count 0: the hourly aggregates are not being kept current$/) });
  });

  it('errors lists a window\'s failed calls by code with the runbook\'s advice; --json is the analyzer\'s breakdown', async () => {
    // Prepare: in an hour of the past, 6 throttled calls of jira and 1 access denied of operations among 20
    const at = { time: '2025-03-11T09:20:00.000Z' };
    await record([
      ...makeUsageEvents(13, at),
      ...makeUsageEvents(6, { ...at, agentId: 'jira', outcome: 'error', errorCode: 'ThrottlingException' }),
      ...makeUsageEvents(1, { ...at, agentId: 'operations', outcome: 'error', errorCode: 'AccessDeniedException' }),
    ]);
    // Act
    const text = await storeCli(['errors', '--from', '2025-03-11T09:00:00Z', '--to', '2025-03-11T10:00:00Z'], env);
    const json = await storeCli(['errors', '--from', '2025-03-11T09:00:00Z', '--to', '2025-03-11T10:00:00Z', '--json'], env);
    const bad = await storeCli(['errors', '--minutes', '10', '--from', '2025-03-11'], env);
    // Assess
    expect(text.code).toBe(0);
    expect(text.out).toContain('2025-03-11T09:00:00.000Z … 2025-03-11T10:00:00.000Z: 7 failed of 20 calls (35.00 %)');
    expect(text.out).toMatch(/ThrottlingException\s+6\s+jira 6\s+anthropic\.claude-3-haiku-20240307-v1:0 6/);
    expect(text.out).toContain('ThrottlingException: reduce the request rate, back off exponentially, or switch to a fallback model');
    expect(text.out).toContain('AccessDeniedException: check the IAM permissions');
    expect(JSON.parse(json.out)).toMatchObject({ requests: 20, errors: 7, byCode: { ThrottlingException: { count: 6, byAgent: { jira: 6 } }, AccessDeniedException: { count: 1 } } });
    expect(bad).toMatchObject({ code: 2, err: expect.stringContaining('--minutes "10" and --from/--to both given') });
  });

  it('rejects bad input naming it (exit 2)', async () => {
    expect(await storeCli(['breaker', 'reset', 'Dyn amo'], env)).toMatchObject({ code: 2, err: expect.stringContaining('component "Dyn amo" is not a sink name') });
    expect(await storeCli(['breaker', 'open'], env)).toMatchObject({ code: 2, err: expect.stringContaining('breaker needs "status" or "reset <component|all>" (got "open")') });
    expect(await storeCli(['doctor', '--days', '0'], env)).toMatchObject({ code: 2, err: expect.stringContaining('--days "0" is not allowed') });
  });
});
