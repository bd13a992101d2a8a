import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { Container } from 'inversify';

import { formatUsd, parseUsd, usdToNumber } from '@bedrock-usage/core';
import { loadUsageStoreConfig, TOKENS, usageStoreModule } from '@bedrock-usage/di';

import { ROOT, storeCli } from './run-cli';

/** Every line of every `logs/<agent>/<name>` file, parsed. */
function linesOf(dataDir: string, name: string): Record<string, unknown>[] {
  const logs = join(dataDir, 'logs');
  return readdirSync(logs).flatMap((agent) =>
    readFileSync(join(logs, agent, name), 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>),
  );
}

/** The event items of the usage table, read with a raw Scan (no code of ours between the table and the figures). */
async function scanEvents(dataDir: string): Promise<{ id: string; cost: string | null }[]> {
  const container = new Container();
  container.load(usageStoreModule(loadUsageStoreConfig({ BEDROCK_USAGE_DATA_DIR: dataDir }, { defaultDataDir: dataDir })));
  try {
    const client = await container.getAsync(TOKENS.DynamoDbClient);
    const events: { id: string; cost: string | null }[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(
        new ScanCommand({ TableName: 'bedrock-usage', FilterExpression: 'sk = :event', ExpressionAttributeValues: { ':event': { S: 'EVENT' } }, ExclusiveStartKey: start }),
      );
      for (const item of page.Items ?? []) events.push({ id: item.eventId?.S ?? '', cost: item.cost?.M?.total?.S ?? null });
      start = page.LastEvaluatedKey;
    } while (start);
    return events;
  } finally {
    await container.get(TOKENS.StoreShutdown)();
  }
}

const sum = (amounts: readonly (string | null)[]): string => formatUsd(amounts.reduce((total, amount) => total + (amount === null ? 0n : parseUsd(amount)), 0n));

describe('npm start: the whole platform in this process, with throttling and a store outage', () => {
  let dataDir: string;
  let run: { code: number; out: string; err: string };

  beforeAll(async () => {
    // Prepare
    dataDir = mkdtempSync(join(tmpdir(), 'bedrock-usage-start-'));
    // Act
    run = await storeCli(['start', '--duration', '16', '--rate', '5', '--seed', '7'], { BEDROCK_USAGE_DATA_DIR: dataDir });
  }, 240_000);

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('ends with exit 0 and a summary that says the figures reconcile', () => {
    // Assess
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toContain('Cost and tokens by agent and model (this run):');
    expect(run.out).toMatch(/reconciled \(money exact; the metric within double rounding\)/);
    expect(run.out).toMatch(/daily report \d{4}-\d{2}-\d{2}: .*daily-cost-report-\d{4}-\d{2}-\d{2}\.html/);
  });

  it('went through the outage and the throttling: events spooled and all replayed, throttled attempts accounted as errors', () => {
    // Assess
    const [, spooled, replayed, left, dropped] = /events spooled (\d+), replayed from the spool (\d+), left in the spool (\d+), dropped (\d+)/.exec(run.out) ?? [];
    expect(Number(spooled)).toBeGreaterThan(0);
    expect(replayed).toBe(spooled);
    expect([left, dropped]).toEqual(['0', '0']);
    const errors = linesOf(dataDir, 'usage.log').filter((line) => line.outcome === 'error');
    expect(errors.some((line) => line.error_code === 'ThrottlingException')).toBe(true);
  });

  it('Σ recorded events = the daily report totals = the DynamoDB sum, exactly, each event once; EMF EstimatedCost within double rounding', async () => {
    // Prepare
    const logged = linesOf(dataDir, 'usage.log').filter((line) => typeof line.event_id === 'string');
    // One report per UTC day the run touched (two when it crossed midnight).
    const reports = readdirSync(join(dataDir, 'reports'))
      .filter((name) => name.endsWith('.json'))
      .map((name) => JSON.parse(readFileSync(join(dataDir, 'reports', name), 'utf8')) as { daily: { totalCost: string; requestCount: number } });
    const emfCost = linesOf(dataDir, 'emf.log')
      .filter((line) => typeof line.event_id === 'string')
      .reduce((total, line) => total + (typeof line.EstimatedCost === 'number' ? line.EstimatedCost : 0), 0);

    // Act
    const stored = await scanEvents(dataDir);

    // Assess
    const loggedIds = logged.map((line) => line.event_id as string);
    expect(new Set(loggedIds).size).toBe(loggedIds.length);
    expect(stored.map((event) => event.id).sort()).toEqual([...loggedIds].sort());
    const loggedCost = sum(logged.map((line) => line.estimated_cost_usd as string | null));
    expect(Number(loggedCost)).toBeGreaterThan(0);
    expect(sum(stored.map((event) => event.cost))).toBe(loggedCost);
    expect(sum(reports.map((report) => report.daily.totalCost))).toBe(loggedCost);
    expect(reports.reduce((total, report) => total + report.daily.requestCount, 0)).toBe(logged.length);
    expect(Math.abs(emfCost - usdToNumber(parseUsd(loggedCost)))).toBeLessThanOrEqual(1e-12 * logged.length);
  });
});

describe('npm start as a real process: SIGINT stops the workload, not the accounting', () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'bedrock-usage-start-sigint-'));
  });

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('shuts the agents down, reconciles what ran and exits 0', async () => {
    // Prepare
    // tsx as a loader in this one process: tsx's CLI relays a signal to its child and SIGKILLs it when the child does
    // not acknowledge within 30 ms — under load, a kill this test would not mean.
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/cli/src/main.ts', 'start', '--duration', '600', '--rate', '4'], {
      cwd: ROOT,
      env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.base.json', BEDROCK_USAGE_DATA_DIR: dataDir, BEDROCK_USAGE_REGION: '', AWS_REGION: '' },
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // The agents are working once their first usage log lines exist (or the process ended early: the asserts say why).
    await new Promise<void>((resolve) => {
      void exited.then(() => {
        clearInterval(poll);
        resolve();
      });
      const poll = setInterval(() => {
        const started = (() => {
          try {
            return readdirSync(join(dataDir, 'logs')).some((agent) => readFileSync(join(dataDir, 'logs', agent, 'usage.log'), 'utf8').length > 0);
          } catch {
            return false;
          }
        })();
        if (started) {
          clearInterval(poll);
          resolve();
        }
      }, 200);
    });

    // Act
    child.kill('SIGINT');
    const code = await exited;

    // Assess
    expect(code).toBe(0);
    expect(out).toMatch(/\(interrupted: \d+ tasks not sent\)/);
    expect(out).toContain('reconciled (money exact; the metric within double rounding)');
    expect(out).toContain('left in the spool 0, dropped 0');
  }, 240_000);
});
