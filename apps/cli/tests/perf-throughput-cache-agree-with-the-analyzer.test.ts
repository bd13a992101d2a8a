import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Container } from 'inversify';

import type { CostAnalyzer } from '@bedrock-usage/analyzer';

import { domainModule, loadUsageStoreConfig, TOKENS, usageStoreModule } from '@bedrock-usage/di';

import { storeCli } from './run-cli';

/** The analyzer over the same embedded store, opened after the CLI released it, to compare figures with. */
async function withAnalyzer<T>(dataDir: string, work: (analyzer: CostAnalyzer) => Promise<T>): Promise<T> {
  const container = new Container();
  container.load(domainModule(), usageStoreModule(loadUsageStoreConfig({ BEDROCK_USAGE_DATA_DIR: dataDir }, { defaultDataDir: dataDir })));
  try {
    return await work(await container.getAsync(TOKENS.CostAnalyzer));
  } finally {
    await container.get(TOKENS.StoreShutdown)();
  }
}

describe('perf, throughput and cache on seeded data', () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let days: string[];
  let dayAfter: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'bedrock-usage-cli-perf-'));
    env = { BEDROCK_USAGE_DATA_DIR: dataDir };
    const seeded = await storeCli(['seed-demo', '--days', '2', '--events-per-day', '1000', '--json'], env);
    expect(seeded).toMatchObject({ code: 0, err: '' });
    ({ days } = JSON.parse(seeded.out) as { days: string[] });
    dayAfter = new Date(Date.parse(`${days[1]}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  }, 120_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('perf --from --to --json is the analyzer’s PerformanceMetrics of that window; requests and errors match the daily reports', async () => {
    // Act
    const { code, out, err } = await storeCli(['perf', '--from', days[0], '--to', dayAfter, '--json'], env);
    const reports = [];
    for (const day of days) reports.push(JSON.parse((await storeCli(['report', 'daily', '--date', day, '--json'], env)).out));
    const expected = await withAnalyzer(dataDir, (analyzer) => analyzer.getPerformanceMetrics({ startTime: `${days[0]}T00:00:00.000Z`, endTime: `${dayAfter}T00:00:00.000Z` }));
    // Assess
    expect({ code, err }).toEqual({ code: 0, err: '' });
    const perf = JSON.parse(out);
    expect(perf).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(perf.requests).toBe(2000);
    expect(perf.errorRate).toBe((reports[0].errorCount + reports[1].errorCount) / 2000);
    expect(Object.keys(perf.byAgent)).toEqual(['cloud-engineer', 'error-analysis', 'jira', 'knowledge-base', 'operations']);
    expect(Object.keys(perf.byModel)).toEqual(Object.keys(reports[1].breakdown.byModel).sort());
    expect(perf.loggingLatency).toBeNull();
  });

  it('perf prints the latency table with the analyzer’s figures, logging latency as n/a', async () => {
    // Act
    const { code, out } = await storeCli(['perf', '--from', `${days[0]}T00:00:00Z`, '--to', `${dayAfter}T00:00:00Z`], env);
    const perf = JSON.parse((await storeCli(['perf', '--from', days[0], '--to', dayAfter, '--json'], env)).out);
    // Assess
    expect(code).toBe(0);
    expect(out).toMatch(/^requests +2000$/m);
    expect(out).toContain(`error rate         ${(perf.errorRate * 100).toFixed(2)} % (${Math.round(perf.errorRate * 2000)} errors)`);
    expect(out).toContain('logging latency    n/a (health metric, see CloudWatch LoggingLatency)');
    const api = perf.apiLatency;
    expect(out).toMatch(new RegExp(`^API +${[api.avg, api.p50, api.p95, api.p99].map((n: number) => n.toFixed(1)).join(' +')} `, 'm'));
    expect(out).toMatch(/^agent +requests +API avg +API p50 +API p95 +API p99 +Bedrock avg/m);
    expect(out).toMatch(new RegExp(`^jira +${perf.byAgent.jira.apiLatency.count} +${perf.byAgent.jira.apiLatency.avg.toFixed(1)} `, 'm'));
  });

  it('throughput counts every seeded request once, hour by hour as the hourly trends do', async () => {
    // Act: 72 h back from now covers both seeded days (the two full days before today) whole
    const { code, out } = await storeCli(['throughput', '--granularity', '1h', '--hours', '72', '--json'], env);
    const trends = JSON.parse((await storeCli(['trends', '--from', days[0], '--to', days[1], '--granularity', 'hourly', '--json'], env)).out);
    const table = (await storeCli(['throughput', '--granularity', '5min', '--hours', '72'], env)).out;
    // Assess
    expect(code).toBe(0);
    const throughput = JSON.parse(out);
    expect(throughput.requests).toBe(2000);
    const perHour = new Map<string, number>(throughput.points.map((p: { timestamp: string; requests: number }) => [p.timestamp.slice(0, 13), p.requests]));
    for (const point of trends.points as { date: string; requests: number }[]) expect([point.date, perHour.get(point.date.slice(0, 13))]).toEqual([point.date, point.requests]);
    for (const p of throughput.points.slice(1, -1)) expect(p.requestsPerSecond).toBe(p.requests / 3600);
    expect(table).toMatch(/^last 72 h in 5min buckets: 2000 requests/);
    expect(table).toMatch(/^bucket +requests +req\/s/m);
  });

  it('cache --from --to --json is the analyzer’s CacheEfficiency; its costs are the daily reports’ cache components', async () => {
    // Act
    const { code, out } = await storeCli(['cache', '--from', days[0], '--to', days[1], '--json'], env);
    const table = (await storeCli(['cache', '--days', '2'], env)).out;
    const report = JSON.parse((await storeCli(['report', 'daily', '--date', days[0], '--json'], env)).out);
    const single = JSON.parse((await storeCli(['cache', '--from', days[0], '--to', days[0], '--json'], env)).out);
    const expected = await withAnalyzer(dataDir, (analyzer) => analyzer.getCacheEfficiency({ startDate: days[0], endDate: days[1] }));
    // Assess
    expect(code).toBe(0);
    const cache = JSON.parse(out);
    expect(cache).toEqual(expected);
    expect(cache.cacheReadTokens).toBeGreaterThan(0);
    expect(single.cacheReadCost).toBe(report.costByComponent.cacheRead);
    expect(table).toContain(`saved by cache reads  $${cache.savedByCacheReads}`);
    expect(table).toContain(`cache reads           ${cache.cacheReadTokens} tokens in ${cache.cacheReadRequests} requests, $${cache.cacheReadCost}`);
    expect(table).toContain(`writes never read     ${cache.unreadWrites.requests} requests, ${cache.unreadWrites.tokens} tokens`);
    expect(table).toContain(`days                  ${days[0]} … ${days[1]}`);
  });

  it('--help on each, and bad input exits 2 naming the value and the allowed form', async () => {
    for (const argv of [['perf'], ['throughput'], ['cache'], ['spool'], ['spool', 'inspect'], ['spool', 'replay']]) {
      expect(await storeCli([...argv, '--help'])).toMatchObject({ code: 0, out: expect.stringContaining('Usage: npm run -s cli -- ') });
    }
    const cases: [string[], string][] = [
      [['perf', '--hours', '0'], '--hours "0" is not allowed — use a whole number from 1 to 8784'],
      [['perf', '--from', 'yesterday', '--to', '2025-03-11'], '--from "yesterday" is not a time — use ISO-8601 with a zone'],
      [['perf', '--from', '2025-03-11T09:00:00', '--to', '2025-03-11T10:00:00Z'], '--from "2025-03-11T09:00:00" is not a time'],
      [['perf', '--from', '2025-03-11'], 'perf needs both --from and --to for a past window (got only --from)'],
      [['perf', '--hours', '2', '--from', '2025-03-11', '--to', '2025-03-12'], '--hours "2" and --from/--to both given'],
      [['perf', '--from', '2025-03-12', '--to', '2025-03-11'], '--from "2025-03-12" is not before --to "2025-03-11"'],
      [['throughput', '--granularity', '2min'], '--granularity "2min" is not allowed — use one of 1min, 5min, 1h'],
      [['throughput', '--hours', '1.5'], '--hours "1.5" is not allowed — use a whole number from 1 to 8784'],
      [['cache', '--days', '400'], '--days "400" is not allowed — use a whole number from 1 to 366'],
      [['cache', '--from', '2025-03-12', '--to', '2025-03-11'], '--from "2025-03-12" is after --to "2025-03-11"'],
      [['cache', '--from', '2025-02-30', '--to', '2025-03-11'], '--from "2025-02-30" is not a date — use YYYY-MM-DD'],
    ];
    for (const [argv, message] of cases) expect(await storeCli(argv, env)).toMatchObject({ code: 2, err: expect.stringContaining(message) });
  });
});
