import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import type { DailyCostReport } from '@bedrock-usage/analyzer';

import { createHandler, runWorker } from '../src/main';
import { analyzerReport, bufferedIo, seededDataDir } from './support/seeded-store';

const ROOT = join(__dirname, '..', '..', '..');
const DAY = '2025-03-11';

describe('the reporting worker on a temp embedded store', () => {
  let dataDir: string;
  let expected: DailyCostReport;
  beforeAll(async () => {
    dataDir = await seededDataDir({ firstDay: '2025-03-10', days: 2, count: 1500 });
    expected = await analyzerReport(dataDir, DAY);
  }, 120_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('run --date writes the three files, prints where they are, and the JSON is the analyzer report', async () => {
    // Prepare
    const io = bufferedIo();
    // Act
    const code = await runWorker(['run', '--date', DAY], { BEDROCK_USAGE_DATA_DIR: dataDir }, io);
    // Assess
    expect(io.stderr).toEqual([]);
    expect(code).toBe(0);
    const reports = join(dataDir, 'reports');
    expect(io.stdout).toEqual([
      `daily cost report ${DAY}: total $${expected.totalCost}, ${expected.requestCount} requests${expected.restated ? ` (restated ${expected.restatedAt})` : ''}`,
      `  html      ${join(reports, `daily-cost-report-${DAY}.html`)}`,
      `  markdown  ${join(reports, `daily-cost-report-${DAY}.md`)}`,
      `  json      ${join(reports, `daily-cost-report-${DAY}.json`)}`,
    ]);
    expect(JSON.parse(readFileSync(join(reports, `daily-cost-report-${DAY}.json`), 'utf8')).daily).toEqual(expected);
    expect(readFileSync(join(reports, `daily-cost-report-${DAY}.html`), 'utf8')).toContain(`data-total-cost="${expected.totalCost}"`);
    expect(expected.requestCount).toBeGreaterThan(500);
  });

  it('a run with a low threshold prints the breach; re-running overwrites the same files', async () => {
    const io = bufferedIo();
    const code = await runWorker(['run', '--date', DAY], { BEDROCK_USAGE_DATA_DIR: dataDir, BEDROCK_USAGE_DAILY_COST_THRESHOLD: '0.5' }, io);
    expect(code).toBe(0);
    expect(io.stdout).toContain(`  BREACH daily total $${expected.totalCost} > $0.5`);
    const html = readFileSync(join(dataDir, 'reports', `daily-cost-report-${DAY}.html`), 'utf8');
    expect(html).toContain('data-breach="daily"');
  });

  it('a failing webhook exits 1 and names it, and the report is written all the same', async () => {
    // Prepare: a loopback port nothing listens on any more
    rmSync(join(dataDir, 'reports'), { recursive: true, force: true });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const io = bufferedIo();
    // Act
    const code = await runWorker(['run', '--date', DAY], { BEDROCK_USAGE_DATA_DIR: dataDir, BEDROCK_USAGE_REPORT_WEBHOOK_URL: `http://127.0.0.1:${port}/hook` }, io);
    // Assess
    expect(code).toBe(1);
    expect(io.stderr).toEqual([`notifier webhook failed: webhook POST to http://127.0.0.1:${port} failed: ECONNREFUSED — the report files were written`]);
    for (const ext of ['html', 'md', 'json']) expect(statSync(join(dataDir, 'reports', `daily-cost-report-${DAY}.${ext}`)).size).toBeGreaterThan(0);
  });

  it('the Lambda handler reports the UTC day before the scheduled event and returns where it is', async () => {
    // Prepare: an EventBridge scheduled event at 00:15 UTC on the 12th
    const handler = createHandler({ BEDROCK_USAGE_DATA_DIR: dataDir, BEDROCK_USAGE_REPORTS_DIR: join(dataDir, 'lambda-reports') });
    const event = { version: '0', id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa', 'detail-type': 'Scheduled Event', source: 'aws.events', time: '2025-03-12T00:15:00Z', region: 'us-east-1', resources: [], detail: {} };
    // Act
    const result = await handler(event);
    // Assess
    expect(result).toEqual({
      date: DAY,
      totalCost: expected.totalCost,
      requestCount: expected.requestCount,
      locations: {
        html: join(dataDir, 'lambda-reports', `daily-cost-report-${DAY}.html`),
        markdown: join(dataDir, 'lambda-reports', `daily-cost-report-${DAY}.md`),
        json: join(dataDir, 'lambda-reports', `daily-cost-report-${DAY}.json`),
      },
      breaches: [],
      notifications: [],
    });
    for (const path of Object.values(result.locations)) expect(existsSync(path)).toBe(true);
  });

  it('the npm script runs it (the store is released after each run, so the next process can open it)', async () => {
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile('npm', ['run', '-s', 'reporting-worker', '--', 'run', '--date', DAY], { cwd: ROOT, env: { ...process.env, BEDROCK_USAGE_DATA_DIR: dataDir } }, (error, out, err) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout: out, stderr: err }),
      );
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`daily cost report ${DAY}: total $${expected.totalCost}`);
  }, 60_000);

  it('schedule announces its next run and stops cleanly on SIGTERM', async () => {
    // Prepare: the real process (tsx as a loader: its CLI's signal relay SIGKILLs a child slower than 30 ms to
    // acknowledge, as happens under load); the cron's first tick is far away, so no run races the signal
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/reporting-worker/src/main.ts', 'schedule'], {
      cwd: ROOT,
      env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.base.json', BEDROCK_USAGE_DATA_DIR: dataDir, BEDROCK_USAGE_REPORT_CRON: '0 0 1 1 *' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const announced = new Promise<void>((resolve) =>
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
        if (stdout.includes('next report run at')) resolve();
      }),
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Act
    await announced;
    child.kill('SIGTERM');
    const code = await exited;
    // Assess
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/next report run at \d{4}-01-01T00:00:00\.000Z \(cron "0 0 1 1 \*" UTC\); reports in /);
    expect(stdout.trim().split('\n').at(-1)).toBe('stopped');
  }, 60_000);
});
