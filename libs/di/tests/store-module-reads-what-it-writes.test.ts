import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Container } from 'inversify';

import { formatUsd } from '@bedrock-usage/core';
import { makeUsageEvents, startDynalite, type DynaliteServer } from '@bedrock-usage/testing';

import { domainModule, embeddedStoreModule, storeModule, TOKENS } from '../src';

describe('storeModule', () => {
  let dynamo: DynaliteServer;
  beforeAll(async () => {
    dynamo = await startDynalite();
  });
  afterAll(() => dynamo.close());

  it('binds a writer, a reader and a cost analyzer over one DynamoDB table', async () => {
    // Prepare
    const container = new Container();
    container.load(domainModule(), storeModule({ tableName: 'di-store', region: 'us-east-1', endpoint: dynamo.endpoint, createTable: true }));
    const events = makeUsageEvents(30, { time: '2025-03-11T10:00:00.000Z', agentId: 'jira' });
    // Act
    const writer = await container.getAsync(TOKENS.UsageStoreWriter);
    const analyzer = await container.getAsync(TOKENS.CostAnalyzer);
    const written = await writer.write(events);
    await analyzer.refreshAggregates(events);
    const report = await analyzer.generateDailyCostReport('2025-03-11');
    await container.get(TOKENS.StoreShutdown)();
    // Assess: 30 × $0.00005
    expect(written).toEqual({ ok: true });
    expect(await container.getAsync(TOKENS.UsageStoreWriter)).toBe(writer);
    expect(report.requestCount).toBe(30);
    expect(report.totalCost).toBe(formatUsd(30n * 50_000_000_000n));
    expect(report.breakdown.byAgent.jira.cost).toBe(report.totalCost);
  });
});

describe('embeddedStoreModule', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'bedrock-usage-di-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps the table on disk across containers (one command, then the next)', async () => {
    // Prepare
    const first = new Container();
    first.load(domainModule(), embeddedStoreModule({ tableName: 'bedrock-usage', dataDir }));
    const events = makeUsageEvents(10, { time: '2025-03-12T08:30:00.000Z', agentId: 'operations' });
    await (await first.getAsync(TOKENS.UsageStoreWriter)).write(events);
    await (await first.getAsync(TOKENS.CostAnalyzer)).refreshAggregates(events);
    await first.get(TOKENS.StoreShutdown)();
    // Act
    const second = new Container();
    second.load(domainModule(), embeddedStoreModule({ tableName: 'bedrock-usage', dataDir }));
    const report = await (await second.getAsync(TOKENS.CostAnalyzer)).generateDailyCostReport('2025-03-12');
    await second.get(TOKENS.StoreShutdown)();
    // Assess
    expect(report.requestCount).toBe(10);
    expect(report.breakdown.byAgent.operations.requests).toBe(10);
  });

  it('shuts down cleanly when nothing was resolved', async () => {
    const container = new Container();
    container.load(embeddedStoreModule({ tableName: 'bedrock-usage', dataDir }));
    await expect(container.get(TOKENS.StoreShutdown)()).resolves.toBeUndefined();
  });
});
