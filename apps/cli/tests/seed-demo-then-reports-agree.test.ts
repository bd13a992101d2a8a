import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { parseUsd } from '@bedrock-usage/core';

import { npmCli, storeCli } from './run-cli';

const sum = (costs: readonly string[]) => costs.reduce((total, cost) => total + parseUsd(cost), 0n);

describe('seed-demo, then the reports on the embedded store', () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let days: string[];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'bedrock-usage-cli-'));
    env = { BEDROCK_USAGE_DATA_DIR: dataDir };
    const seeded = await storeCli(['seed-demo', '--days', '2', '--events-per-day', '2000', '--reset', '--json'], env);
    expect(seeded).toMatchObject({ code: 0, err: '' });
    ({ days } = JSON.parse(seeded.out) as { days: string[] });
  }, 60_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('report daily --json: totalCost is exactly the sum of the agents’ costs and of the models’ costs', async () => {
    // Act
    const { code, out } = await storeCli(['report', 'daily', '--date', days[1], '--json'], env);
    const report = JSON.parse(out);
    // Assess
    expect(code).toBe(0);
    expect(report.requestCount).toBe(2000);
    expect(Object.keys(report.breakdown.byAgent).sort()).toEqual(['cloud-engineer', 'error-analysis', 'jira', 'knowledge-base', 'operations']);
    expect(Object.keys(report.breakdown.byModel).length).toBeGreaterThanOrEqual(4);
    expect(parseUsd(report.totalCost)).toBeGreaterThan(0n);
    expect(sum(Object.values<{ cost: string }>(report.breakdown.byAgent).map((line) => line.cost))).toBe(parseUsd(report.totalCost));
    expect(sum(Object.values<{ cost: string }>(report.breakdown.byModel).map((line) => line.cost))).toBe(parseUsd(report.totalCost));
    expect(report.errorCount).toBeGreaterThan(0);
    expect(report.errorCount).toBeLessThan(100);
    expect(report.costByComponent.cacheRead).not.toBe('0');
  });

  it('incident, top-agents and trends agree with the daily reports', async () => {
    // Prepare
    // One command at a time: the embedded store's data directory is locked by the command that holds it.
    const reports = [];
    for (const day of days) reports.push(JSON.parse((await storeCli(['report', 'daily', '--date', day, '--json'], env)).out));
    const [incidentId, line] = Object.entries<{ cost: string; requests: number }>(reports[1].breakdown.byIncident)[0];
    // Act
    const incident = JSON.parse((await storeCli(['incident', incidentId, '--json'], env)).out);
    const top = JSON.parse((await storeCli(['top-agents', '--days', '30', '--limit', '5', '--json'], env)).out);
    const trends = JSON.parse((await storeCli(['trends', '--from', days[0], '--to', days[1], '--json'], env)).out);
    // Assess
    expect(incidentId).toMatch(/^INC-\d{8}-\d{4}$/);
    expect(incident).toMatchObject({ incidentId, cost: line.cost, requests: line.requests });
    expect(parseUsd(top.totalCost)).toBe(sum(reports.map((report) => report.totalCost)));
    expect(top.agents).toHaveLength(5);
    expect(sum(top.agents.map((agent: { totalCost: string }) => agent.totalCost))).toBe(parseUsd(top.totalCost));
    expect(trends.points.map((point: { date: string; cost: string }) => [point.date, point.cost])).toEqual(reports.map((report) => [report.date, report.totalCost]));
  });

  it('human tables by default and --help on each command', async () => {
    expect((await storeCli(['report', 'daily', '--date', days[1]], env)).out).toMatch(/total cost +\$\d+\.\d+/);
    expect((await storeCli(['top-agents'], env)).out).toMatch(/^agent +cost USD/m);
    for (const argv of [['seed-demo'], ['report'], ['top-agents'], ['trends'], ['incident']]) {
      expect(await storeCli([...argv, '--help'])).toMatchObject({ code: 0, out: expect.stringContaining('Usage: npm run -s cli -- ') });
    }
  });

  it('rejects bad input with exit 2, naming the value and the allowed form', async () => {
    const cases: [string[], string][] = [
      [['report', 'daily', '--date', '2025-02-30'], '--date "2025-02-30" is not a date — use YYYY-MM-DD'],
      [['report', 'weekly'], 'report "weekly" is not a report — allowed: daily'],
      [['incident', 'INC-42'], 'incident id "INC-42" is not valid — use INC-YYYYMMDD-NNNN'],
      [['trends', '--from', '2025-03-12', '--to', '2025-03-11'], '--from "2025-03-12" is after --to "2025-03-11" — use a range with from ≤ to'],
      [['trends', '--from', '2025-03-01', '--to', '2025-03-11', '--granularity', 'monthly'], '--granularity "monthly" is not allowed — use one of hourly, daily, weekly'],
      [['top-agents', '--days', '0'], '--days "0" is not allowed — use a whole number from 1 to 366'],
      [['top-agents', '--limit', 'five'], '--limit "five" is not allowed — use a whole number from 1 to 1000'],
      [['seed-demo', '--events-per-day=-3'], '--events-per-day "-3" is not allowed'],
    ];
    for (const [argv, message] of cases) expect(await storeCli(argv, env)).toMatchObject({ code: 2, err: expect.stringContaining(message) });
    expect(await storeCli(['report', 'daily'], { BEDROCK_USAGE_TABLE: 'x' })).toMatchObject({ code: 2, err: expect.stringContaining('BEDROCK_USAGE_TABLE="x" is not a DynamoDB table name') });
    expect(await storeCli(['report', 'daily'], { BEDROCK_USAGE_DYNAMODB_ENDPOINT: 'localhost' })).toMatchObject({ code: 2, err: expect.stringContaining('BEDROCK_USAGE_DYNAMODB_ENDPOINT="localhost" is not an http(s) URL') });
    expect(await storeCli(['seed-demo', '--reset'], { BEDROCK_USAGE_DYNAMODB_ENDPOINT: 'http://127.0.0.1:1' })).toMatchObject({ code: 2, err: expect.stringContaining('--reset empties the embedded store only') });
  });

  it('works through the real npm script', async () => {
    process.env.BEDROCK_USAGE_DATA_DIR = dataDir;
    try {
      const { code, out } = await npmCli(['report', 'daily', '--date', days[0], '--json']);
      const report = JSON.parse(out);
      expect(code).toBe(0);
      expect(sum(Object.values<{ cost: string }>(report.breakdown.byAgent).map((line) => line.cost))).toBe(parseUsd(report.totalCost));
    } finally {
      delete process.env.BEDROCK_USAGE_DATA_DIR;
    }
  }, 30_000);
});
