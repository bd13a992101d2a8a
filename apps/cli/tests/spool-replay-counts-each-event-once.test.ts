import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { formatSpoolLogLine, formatUsd } from '@bedrock-usage/core';
import { Container } from 'inversify';

import { spoolModule, TOKENS } from '@bedrock-usage/di';
import { makeUsageEvent, makeUsageEvents } from '@bedrock-usage/testing';

import { storeCli } from './run-cli';


/** The real FileSpool (through the di module the CLI uses; apps may not import adapters, tests included). */
function fileSpool(dir: string) {
  const container = new Container();
  container.load(spoolModule({ dir }));
  const spool = container.get(TOKENS.Spool);
  return { append: spool.append.bind(spool), pathOf: (sink: string) => join(dir, `${sink}.jsonl`) };
}

/** makeUsageEvent costs $0.00005 exactly (50_000_000_000 femto-USD). */
const costOf = (events: number) => formatUsd(BigInt(events) * 50_000_000_000n);

describe('spool inspect and spool replay on a real FileSpool and the embedded store', () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'bedrock-usage-cli-spool-'));
    env = { BEDROCK_USAGE_DATA_DIR: dataDir };
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const dailyReport = async (date: string) => JSON.parse((await storeCli(['report', 'daily', '--date', date, '--json'], env)).out);

  it('inspect shows each sink file: events, span, agents, bytes, torn and corrupt lines', async () => {
    // Prepare: the default spool directory, <data dir>/spool, written by the real FileSpool
    const spool = fileSpool(join(dataDir, 'spool'));
    await spool.append('DynamoDB', [makeUsageEvent({ time: '2025-03-11T09:00:00.000Z', agentId: 'jira' }), makeUsageEvent({ time: '2025-03-11T11:30:00.000Z', agentId: 'operations' })]);
    appendFileSync(spool.pathOf('DynamoDB'), '{"eventId":"cut"}\n');
    await spool.append('DynamoDB', makeUsageEvents(2, { time: '2025-03-11T10:00:00.000Z', agentId: 'jira' }));
    appendFileSync(spool.pathOf('DynamoDB'), '{"eventId":"tor');
    await spool.append('CloudWatch', makeUsageEvents(3, { agentId: 'knowledge-base' }));

    // Act
    const json = await storeCli(['spool', 'inspect', '--json'], env);
    const human = await storeCli(['spool', 'inspect'], env);

    // Assess
    expect(json).toMatchObject({ code: 0, err: '' });
    const { dir, sinks } = JSON.parse(json.out);
    expect(dir).toBe(join(dataDir, 'spool'));
    expect(sinks).toEqual([
      expect.objectContaining({ sink: 'CloudWatch', events: 3, agents: { 'knowledge-base': 3 }, torn: false, corruptLines: [] }),
      expect.objectContaining({ sink: 'DynamoDB', events: 4, distinctEvents: 4, oldest: '2025-03-11T09:00:00.000Z', newest: '2025-03-11T11:30:00.000Z', agents: { jira: 3, operations: 1 }, torn: true, corruptLines: [3] }),
    ]);
    expect(sinks[1].bytes).toBeGreaterThan(0);
    expect(human.out).toMatch(/^DynamoDB +4 +4 +2025-03-11T09:00:00.000Z +2025-03-11T11:30:00.000Z +jira 3, operations 1 +\d+ +torn last line, corrupt line 3$/m);
    expect(human.out).toContain('4 events wait for the usage store: npm run -s cli -- spool replay');
  });

  it('replay moves the events into the store; report daily counts them exactly once, also after a second replay', async () => {
    // Prepare
    const spoolDir = join(dataDir, 'elsewhere');
    env.BEDROCK_USAGE_SPOOL_DIR = spoolDir;
    const spool = fileSpool(spoolDir);
    const events = makeUsageEvents(1200, { time: '2025-03-11T10:00:00.000Z' });
    await spool.append('DynamoDB', events.slice(0, 700));
    await spool.append('DynamoDB', events.slice(650)); // 50 spooled twice (a retry after a timeout)
    await spool.append('EMF', events.slice(0, 5));

    // Act
    const first = await storeCli(['spool', 'replay', '--json'], env);
    const afterFirst = await dailyReport('2025-03-11');
    const second = await storeCli(['spool', 'replay'], env);
    const afterSecond = await dailyReport('2025-03-11');
    const inspected = JSON.parse((await storeCli(['spool', 'inspect', '--json'], env)).out);

    // Assess
    expect(first.code).toBe(0);
    expect(JSON.parse(first.out)).toMatchObject({ ok: true, sink: 'DynamoDB', replayed: 1250, remaining: 0, corrupt: 0 });
    expect(afterFirst).toMatchObject({ requestCount: 1200, totalCost: costOf(1200) });
    expect(second).toMatchObject({ code: 0, out: `Nothing spooled for DynamoDB in ${spoolDir}.` });
    expect(afterSecond).toMatchObject({ requestCount: 1200, totalCost: costOf(1200) });
    expect(inspected.sinks).toEqual([expect.objectContaining({ sink: 'DynamoDB', events: 0, bytes: 0 }), expect.objectContaining({ sink: 'EMF', events: 5 })]);
  });

  it('when the store refuses a batch, replay exits 1 with the reason; what it did not take stays spooled', async () => {
    // Prepare: the second batch of 500 holds an event over DynamoDB's 400 KB item limit (a non-retryable refusal)
    const spool = fileSpool(join(dataDir, 'spool'));
    const good = makeUsageEvents(600, { time: '2025-03-11T10:00:00.000Z' });
    const oversized = makeUsageEvent({ time: '2025-03-11T10:00:00.000Z', tags: { note: 'x'.repeat(450_000) } });
    await spool.append('DynamoDB', [...good.slice(0, 550), oversized, ...good.slice(550)]);

    // Act
    const result = await storeCli(['spool', 'replay', '--json'], env);
    const inspected = JSON.parse((await storeCli(['spool', 'inspect', '--json'], env)).out);
    const report = await dailyReport('2025-03-11');

    // Assess
    expect(result.code).toBe(1);
    expect(JSON.parse(result.out)).toMatchObject({ ok: false, replayed: 500, remaining: 101 });
    expect(result.err).toMatch(/^spool replay stopped: the usage store refused a batch of 101: .+ — 500 events delivered, 101 still in .+DynamoDB\.jsonl; nothing is lost/);
    expect(inspected.sinks).toEqual([expect.objectContaining({ sink: 'DynamoDB', events: 101, distinctEvents: 101 })]);
    expect(report.requestCount).toBe(500);
  });

  it('when the store cannot be reached, replay exits 1 and the spool is untouched', async () => {
    // Prepare: a DynamoDB endpoint where nothing listens
    const spool = fileSpool(join(dataDir, 'spool'));
    await spool.append('DynamoDB', makeUsageEvents(7));

    // Act
    const result = await storeCli(['spool', 'replay'], { ...env, BEDROCK_USAGE_DYNAMODB_ENDPOINT: 'http://127.0.0.1:9', BEDROCK_USAGE_SPOOL_DIR: join(dataDir, 'spool') });
    const inspected = JSON.parse((await storeCli(['spool', 'inspect', '--json'], env)).out);

    // Assess
    expect(result).toMatchObject({ code: 1, err: expect.stringContaining('ECONNREFUSED') });
    expect(inspected.sinks).toEqual([expect.objectContaining({ sink: 'DynamoDB', events: 7 })]);
  });

  it('replay --from-log writes the store sink’s lines of a Lambda log export once; noise ignored, other sinks skipped, corrupt lines named', async () => {
    // Prepare
    const events = makeUsageEvents(4, { time: '2025-03-11T12:00:00.000Z', agentId: 'error-analysis' });
    const prefix = (n: number) => `2025-03-11T12:00:0${n}.000Z\tf00d-${n}\tINFO\t`;
    const log = join(dataDir, 'lambda.log');
    writeFileSync(
      log,
      [
        'START RequestId: f00d-1 Version: $LATEST',
        `${prefix(1)}${formatSpoolLogLine('DynamoDB', events[0])}`,
        `${prefix(1)}${formatSpoolLogLine('EMF', events[0])}`,
        `${prefix(2)}{"level":"INFO","message":"handled"}`,
        `${prefix(2)}${formatSpoolLogLine('DynamoDB', events[1])}`,
        `${prefix(3)}BEDROCK_USAGE_SPOOL {"sink":"DynamoDB","event":{"eventId":"cut-by-the-256-KB-limit`,
        formatSpoolLogLine('DynamoDB', events[2]),
        `${prefix(4)}${formatSpoolLogLine('DynamoDB', events[1])}`,
        `${prefix(4)}${formatSpoolLogLine('DynamoDB', events[3])}`,
        'END RequestId: f00d-1',
        '',
      ].join('\n'),
    );

    // Act
    const first = await storeCli(['spool', 'replay', '--from-log', log, '--json'], env);
    const second = await storeCli(['spool', 'replay', '--from-log', log], env);
    const report = await dailyReport('2025-03-11');

    // Assess
    expect(first.code).toBe(0);
    expect(JSON.parse(first.out)).toMatchObject({ ok: true, lines: 10, eventLines: 6, sink: 'DynamoDB', events: 5, duplicates: 1, written: 4, otherSinks: { EMF: 1 }, corrupt: 1, corruptLines: [6] });
    expect(second.code).toBe(0);
    expect(second.out).toMatch(/^event lines +6 \(5 for DynamoDB; skipped, other sinks: EMF 1\)$/m);
    expect(second.out).toMatch(/^duplicates +1 /m);
    expect(second.out).toMatch(/^corrupt lines +1: line 6 /m);
    expect(second.out).toMatch(/^written +4 of 4 events to the usage store/m);
    expect(report).toMatchObject({ requestCount: 4, totalCost: costOf(4) });
    expect(Object.keys(report.breakdown.byAgent)).toEqual(['error-analysis']);
  });

  it('rejects bad input with exit 2, naming the value and the allowed form', async () => {
    const cases: [string[], NodeJS.ProcessEnv, string][] = [
      [['spool', 'flush'], env, 'spool "flush" is not a spool action — allowed: inspect, replay'],
      [['spool', 'replay', '--sink', 'CloudWatch'], env, '--sink "CloudWatch" is not replayed by the CLI — its pipeline replays it when its breaker closes'],
      [['spool', 'replay', '--sink', '../x'], env, '--sink "../x" is not a sink name'],
      [['spool', 'replay', '--from-log', join(dataDir, 'missing.log')], env, `--from-log "${join(dataDir, 'missing.log')}" cannot be read (ENOENT)`],
      [['spool', 'inspect'], { ...env, BEDROCK_USAGE_SPOOL_DIR: ' ' }, 'BEDROCK_USAGE_SPOOL_DIR=" " is not a directory path'],
    ];
    for (const [argv, caseEnv, message] of cases) expect(await storeCli(argv, caseEnv)).toMatchObject({ code: 2, err: expect.stringContaining(message) });
  });
});
