import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Container } from 'inversify';

import { makeUsageEvents, startDynalite, type DynaliteServer } from '@bedrock-usage/testing';

import { domainModule, reportingModule, storeModule, TOKENS } from '../src';

describe('reportingModule', () => {
  let dynamo: DynaliteServer;
  let reportsDir: string;
  let hook: Server;
  let hookUrl: string;
  const posted: string[] = [];
  beforeAll(async () => {
    dynamo = await startDynalite();
    reportsDir = mkdtempSync(join(tmpdir(), 'bedrock-usage-reports-'));
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        posted.push(body);
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    hook.closeAllConnections();
    await new Promise<void>((resolve) => hook.close(() => resolve()));
    await dynamo.close();
    rmSync(reportsDir, { recursive: true, force: true });
  });

  it('binds a DailyReportJob over the store that writes the three files and posts to the webhook', async () => {
    // Prepare
    const container = new Container();
    container.load(
      domainModule(),
      storeModule({ tableName: 'di-reporting', region: 'us-east-1', endpoint: dynamo.endpoint, createTable: true }),
      reportingModule({ reportsDir, thresholds: { dailyCost: '100', hourlyCost: '10' }, webhookUrl: hookUrl }),
    );
    const events = makeUsageEvents(40, { time: '2025-03-11T10:00:00.000Z', agentId: 'jira' });
    await (await container.getAsync(TOKENS.UsageStoreWriter)).write(events);
    await (await container.getAsync(TOKENS.CostAnalyzer)).refreshAggregates(events);
    // Act
    const run = await (await container.getAsync(TOKENS.DailyReportJob)).run('2025-03-11');
    await container.get(TOKENS.ReportingShutdown)();
    await container.get(TOKENS.StoreShutdown)();
    // Assess: 40 × $0.00005
    expect(run.locations.html).toBe(join(reportsDir, 'daily-cost-report-2025-03-11.html'));
    for (const path of Object.values(run.locations)) expect(existsSync(path)).toBe(true);
    expect(JSON.parse(readFileSync(run.locations.json, 'utf8')).daily.totalCost).toBe('0.002');
    expect(container.get(TOKENS.ReportNotifiers).map((n) => n.name)).toEqual(['webhook']);
    expect(run.notifications).toEqual([{ notifier: 'webhook', ok: true }]);
    expect(posted).toHaveLength(1);
    expect(JSON.parse(posted[0] ?? '{}').text).toContain('Total: $0.002');
  });

  it('without a topic or a webhook there is no notifier', () => {
    const container = new Container();
    container.load(reportingModule({ reportsDir, thresholds: { dailyCost: '100', hourlyCost: '10' } }));
    expect(container.get(TOKENS.ReportNotifiers)).toEqual([]);
  });
});
