import { Container } from 'inversify';

import { GuardedSink } from '@bedrock-usage/circuit-breaker';
import { isLive, StatusReporter, UsagePipeline } from '@bedrock-usage/recorder';
import { InMemorySpool, InMemoryUsageSink, makeUsageEvents, startDynalite, type DynaliteServer } from '@bedrock-usage/testing';

import { domainModule, storeModule, TOKENS } from '../src';

const SILENT = { error: () => undefined };

describe('process status and breaker reset through the usage table', () => {
  let dynamo: DynaliteServer;
  let container: Container;
  beforeAll(async () => {
    dynamo = await startDynalite();
    container = new Container();
    container.load(domainModule(), storeModule({ tableName: 'status', region: 'us-east-1', endpoint: dynamo.endpoint, createTable: true }));
  });
  afterAll(async () => {
    await container.get(TOKENS.StoreShutdown)();
    await dynamo.close();
  });

  it('a process reports its open breaker and spool backlog, then applies a reset request made from elsewhere', async () => {
    // Prepare: an agent process whose store sink is failing: its breaker opens, the events go to the spool
    const statusStore = await container.getAsync(TOKENS.ProcessStatusStore);
    const sink = new InMemoryUsageSink({ name: 'DynamoDB' });
    const guarded = new GuardedSink(sink, { volumeThreshold: 1, resetTimeoutMs: 3_600_000 });
    const spool = new InMemorySpool();
    const pipeline = new UsagePipeline({ sinks: [guarded], spool, logger: SILENT, batchSize: 5 });
    const reporter = new StatusReporter({
      store: statusStore,
      agentId: 'jira',
      host: 'test-host',
      pid: 4242,
      stats: () => pipeline.stats,
      breakers: [guarded],
      spoolBacklog: async () => ({ DynamoDB: spool.events('DynamoDB').length }),
      logger: SILENT,
    });
    sink.fail({ code: 'IO', retryable: true });
    for (const event of makeUsageEvents(10)) pipeline.record(event);
    await pipeline.forceFlush();
    const before = await reporter.beat();
    // Act: the operator (another process, e.g. `cli breaker reset DynamoDB`) asks; the sink is healthy again
    sink.recover();
    await statusStore.putResetRequest({ requestId: 'reset-1', component: 'dynamodb', requestedAt: new Date().toISOString() });
    const after = await reporter.beat();
    await pipeline.forceFlush();
    const again = await reporter.beat();
    await reporter.stop();
    const listed = await statusStore.listStatuses();
    await pipeline.shutdown();
    // Assess
    expect(before?.breakers).toEqual({ DynamoDB: 'open' });
    expect(before?.spoolBacklog).toEqual({ DynamoDB: 10 });
    expect(after?.breakers).toEqual({ DynamoDB: 'closed' });
    expect(after?.resetsApplied).toEqual(['reset-1']);
    expect(again?.resetsApplied).toEqual(['reset-1']); // applied once, not at every beat
    expect(sink.persistedIds).toHaveLength(10); // the reset replayed the spool
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ processId: reporter.processId, agentId: 'jira', host: 'test-host', pid: 4242, stopped: true });
    expect(isLive(listed[0], Date.now())).toBe(false);
  });

  it('ignores requests for components it does not have, and requests made before it started', async () => {
    // Prepare
    const statusStore = await container.getAsync(TOKENS.ProcessStatusStore);
    await statusStore.putResetRequest({ requestId: 'old', component: 'all', requestedAt: '2020-01-01T00:00:00.000Z' });
    const guarded = new GuardedSink(new InMemoryUsageSink({ name: 'EMF' }));
    const reporter = new StatusReporter({ store: statusStore, agentId: 'operations', host: 'h', pid: 7, stats: () => ({ buffered: 0, peakBuffered: 0, inFlightBatches: 0, overflowing: 0, spooled: 0, replayed: 0 }), breakers: [guarded], logger: SILENT });
    await statusStore.putResetRequest({ requestId: 'other', component: 'CloudWatch', requestedAt: new Date(Date.now() + 1000).toISOString() });
    // Act
    const status = await reporter.beat();
    // Assess
    expect(status?.resetsApplied).toEqual([]);
    expect(isLive(status!, Date.now())).toBe(true);
  });

  it('applies each request once, and a request stamped by a fast clock does not hide the next ones', async () => {
    // Prepare: an operator whose clock is 10 minutes fast resets EMF, then another resets Log
    const statusStore = await container.getAsync(TOKENS.ProcessStatusStore);
    const state: Record<string, 'open' | 'closed'> = { Log: 'open', EMF: 'open' };
    const breaker = (name: string) => ({
      name,
      get state() {
        return state[name]!;
      },
      reset: () => {
        state[name] = 'closed';
      },
    });
    const reporter = new StatusReporter({ store: statusStore, agentId: 'ops', host: 'h2', pid: 9, stats: () => ({ buffered: 0, peakBuffered: 0, inFlightBatches: 0, overflowing: 0, spooled: 0, replayed: 0 }), breakers: [breaker('Log'), breaker('EMF')], logger: SILENT });
    await statusStore.putResetRequest({ requestId: 'fast-clock', component: 'EMF', requestedAt: new Date(Date.now() + 600_000).toISOString() });
    const first = await reporter.beat();
    state.EMF = 'open';
    await statusStore.putResetRequest({ requestId: 'later', component: 'Log', requestedAt: new Date().toISOString() });
    // Act
    const second = await reporter.beat();
    // Assess
    expect(first?.resetsApplied).toEqual(['fast-clock']);
    expect(second?.resetsApplied).toEqual(['fast-clock', 'later']);
    expect(second?.breakers).toEqual({ Log: 'closed', EMF: 'open' }); // 'fast-clock' was not applied twice
  });

  it('a store that fails is logged, never thrown into the process', async () => {
    // Prepare
    const errors: string[] = [];
    const reporter = new StatusReporter({
      store: { putStatus: () => Promise.reject(new Error('table gone')), listStatuses: async () => [], putResetRequest: async () => undefined, resetRequestsSince: async () => [] },
      agentId: 'jira',
      host: 'h',
      pid: 1,
      stats: () => ({ buffered: 0, peakBuffered: 0, inFlightBatches: 0, overflowing: 0, spooled: 0, replayed: 0 }),
      breakers: [],
      logger: { error: (message, fields) => errors.push(`${message}: ${String(fields.reason)}`) },
    });
    // Act
    const status = await reporter.beat();
    // Assess
    expect(status).toBeUndefined();
    expect(errors).toEqual(['process status not reported: table gone']);
  });
});
