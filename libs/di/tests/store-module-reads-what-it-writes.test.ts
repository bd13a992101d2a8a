import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { Container } from 'inversify';

import { formatUsd } from '@bedrock-usage/core';
import { makeUsageEvents, startDynalite, type DynaliteServer } from '@bedrock-usage/testing';

import { domainModule, embeddedStoreDir, embeddedStoreModule, loadUsageStoreConfig, storeModule, TOKENS, usageStoreModule } from '../src';

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

  it('with BEDROCK_USAGE_EVENT_RETENTION_DAYS, raw events carry expiresAt and hours beyond the horizon are not recomputed', async () => {
    // Prepare
    const config = loadUsageStoreConfig({ BEDROCK_USAGE_DYNAMODB_ENDPOINT: dynamo.endpoint, BEDROCK_USAGE_TABLE: 'di-retention', BEDROCK_USAGE_EVENT_RETENTION_DAYS: '30' }, { defaultDataDir: '/tmp/x' });
    const container = new Container();
    container.load(domainModule(), usageStoreModule(config));
    const [old] = makeUsageEvents(1, { time: '2020-01-01T10:00:00.000Z' });
    // Act
    await (await container.getAsync(TOKENS.UsageStoreWriter)).write([old!]);
    const refresh = await (await container.getAsync(TOKENS.CostAnalyzer)).refreshAggregates([old!]);
    const { Items = [] } = await (await container.getAsync(TOKENS.DynamoDbClient)).send(new ScanCommand({ TableName: 'di-retention' }));
    await container.get(TOKENS.StoreShutdown)();
    // Assess
    expect(config.eventRetentionDays).toBe(30);
    expect(Items.find((item) => item.eventId?.S === old!.eventId)?.expiresAt).toEqual({ N: String(Date.parse('2020-01-01T10:00:00.000Z') / 1000 + 30 * 86_400) });
    expect(refresh.tooLate).toBe(1);
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

  it('refuses a second store on a data directory in use, naming the process, instead of crashing later', async () => {
    // Prepare
    const first = new Container();
    first.load(domainModule(), embeddedStoreModule({ tableName: 'bedrock-usage', dataDir }));
    await first.getAsync(TOKENS.UsageStoreWriter);
    const second = new Container();
    second.load(domainModule(), embeddedStoreModule({ tableName: 'bedrock-usage', dataDir }));
    // Act
    const refused = second.getAsync(TOKENS.UsageStoreWriter);
    // Assess
    await expect(refused).rejects.toThrow(`the embedded store in "${dataDir}" is in use by process ${process.pid}`);
    await first.get(TOKENS.StoreShutdown)();
    await second.get(TOKENS.StoreShutdown)();
    expect(existsSync(join(dataDir, 'owner.pid'))).toBe(false);
  });

  it('resets a data directory only once it holds it: never under another process', async () => {
    // Prepare: one process holds the store
    const holder = new Container();
    holder.load(domainModule(), embeddedStoreModule({ tableName: 'bedrock-usage', dataDir }));
    await holder.getAsync(TOKENS.UsageStoreWriter);
    const resetter = new Container();
    resetter.load(domainModule(), embeddedStoreModule({ tableName: 'bedrock-usage', dataDir, reset: true }));
    // Act
    const refused = resetter.getAsync(TOKENS.UsageStoreWriter);
    await expect(refused).rejects.toThrow('is in use by process');
    const kept = await (await holder.getAsync(TOKENS.CostAnalyzer)).generateDailyCostReport('2025-03-12');
    await holder.get(TOKENS.StoreShutdown)();
    await resetter.get(TOKENS.StoreShutdown)();
    // Assess: the holder's data survived the refused reset
    expect(kept.requestCount).toBe(10);
  });

  it('takes over a data directory whose owner process is gone', async () => {
    // Prepare: a pid far above pid_max (2^22) never runs
    writeFileSync(join(dataDir, 'owner.pid'), '99999999');
    const container = new Container();
    container.load(domainModule(), embeddedStoreModule({ tableName: 'bedrock-usage', dataDir }));
    // Act
    const analyzer = await container.getAsync(TOKENS.CostAnalyzer);
    const report = await analyzer.generateDailyCostReport('2025-03-12');
    await container.get(TOKENS.StoreShutdown)();
    // Assess
    expect(report.requestCount).toBe(10);
  });
});

describe('usageStoreModule', () => {
  it('puts the embedded store in <BEDROCK_USAGE_DATA_DIR>/dynamodb', async () => {
    // Prepare
    const dataDir = mkdtempSync(join(tmpdir(), 'bedrock-usage-di-'));
    const config = loadUsageStoreConfig({ BEDROCK_USAGE_DATA_DIR: dataDir }, { defaultDataDir: '/unused' });
    const container = new Container();
    container.load(domainModule(), usageStoreModule(config));
    // Act
    await container.getAsync(TOKENS.UsageStoreWriter);
    await container.get(TOKENS.StoreShutdown)();
    // Assess
    expect(config).toEqual({ region: 'us-east-1', tableName: 'bedrock-usage', location: { kind: 'embedded', dataDir } });
    expect(existsSync(join(embeddedStoreDir(dataDir), 'CURRENT'))).toBe(true);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('empties the embedded store with resetEmbedded, and refuses to reset DynamoDB', async () => {
    // Prepare: a store with 3 events
    const dataDir = mkdtempSync(join(tmpdir(), 'bedrock-usage-di-'));
    const config = loadUsageStoreConfig({ BEDROCK_USAGE_DATA_DIR: dataDir }, { defaultDataDir: '/unused' });
    const first = new Container();
    first.load(domainModule(), usageStoreModule(config));
    const events = makeUsageEvents(3, { time: '2025-03-12T08:30:00.000Z' });
    await (await first.getAsync(TOKENS.UsageStoreWriter)).write(events);
    await (await first.getAsync(TOKENS.CostAnalyzer)).refreshAggregates(events);
    await first.get(TOKENS.StoreShutdown)();
    // Act
    const reset = new Container();
    reset.load(domainModule(), usageStoreModule(config, { resetEmbedded: true }));
    const report = await (await reset.getAsync(TOKENS.CostAnalyzer)).generateDailyCostReport('2025-03-12');
    await reset.get(TOKENS.StoreShutdown)();
    // Assess
    expect(report.requestCount).toBe(0);
    expect(() => usageStoreModule({ region: 'us-east-1', tableName: 'usage', location: { kind: 'dynamodb' } }, { resetEmbedded: true })).toThrow(
      'only the embedded store can be reset — this store is DynamoDB (AWS); delete table "usage" yourself',
    );
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.each([
    [{ AWS_REGION: 'mars' }, 'AWS_REGION="mars" is not an AWS region — use one like us-east-1'],
    [{ BEDROCK_USAGE_TABLE: 'x' }, 'BEDROCK_USAGE_TABLE="x" is not a DynamoDB table name'],
    [{ BEDROCK_USAGE_DYNAMODB_ENDPOINT: 'localhost:8000' }, 'BEDROCK_USAGE_DYNAMODB_ENDPOINT="localhost:8000" is not an http(s) URL'],
    [{ BEDROCK_USAGE_DATA_DIR: ' ' }, 'BEDROCK_USAGE_DATA_DIR=" " is not a directory path'],
    [{ BEDROCK_USAGE_EVENT_RETENTION_DAYS: '1' }, 'BEDROCK_USAGE_EVENT_RETENTION_DAYS="1" is not allowed — use a whole number of days from 2 to 3650'],
  ])('rejects %j naming the variable, the value and what is allowed', (env, message) => {
    expect(() => loadUsageStoreConfig(env, { defaultDataDir: '/tmp/x' })).toThrow(message);
  });

  it('uses DynamoDB on AWS when AWS configuration is present, at an endpoint when one is given', () => {
    expect(loadUsageStoreConfig({ AWS_PROFILE: 'prod', AWS_REGION: 'eu-west-1' }, { defaultDataDir: '/tmp/x' })).toEqual({
      region: 'eu-west-1',
      tableName: 'bedrock-usage',
      location: { kind: 'dynamodb' },
    });
    expect(loadUsageStoreConfig({ BEDROCK_USAGE_DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000', BEDROCK_USAGE_TABLE: 't-1' }, { defaultDataDir: '/tmp/x' }).location).toEqual({
      kind: 'dynamodb',
      endpoint: 'http://127.0.0.1:8000',
    });
  });
});
