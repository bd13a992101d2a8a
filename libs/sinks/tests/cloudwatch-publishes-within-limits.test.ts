import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { PassThrough } from 'node:stream';

import type { UsageEvent, UsageSink } from '@bedrock-usage/core';
import {
  describeUsageSinkContract,
  makeUsageEvent,
  startCloudWatchEndpoint,
  type CloudWatchEndpoint,
  type DecodedMetricDatum,
} from '@bedrock-usage/testing';

import { CloudWatchHealthMetrics, CloudWatchMetricsSink, INCIDENT_DIMENSION_SETS, METRIC_CATALOG, PUBLISHED_DIMENSION_SETS, type MetricName } from '../src';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const NOW = Date.parse('2025-03-11T10:05:00.000Z');
const clock = { now: () => NOW };

function clientFor(endpoint: CloudWatchEndpoint): CloudWatchClient {
  return new CloudWatchClient({ endpoint: endpoint.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, maxAttempts: 1 });
}

function sum(data: readonly DecodedMetricDatum[], name: string, dimensions: readonly string[] = []): number {
  return data
    .filter((d) => d.MetricName === name && d.Dimensions.map((x) => x.Name).join() === dimensions.join())
    .reduce((total, d) => total + (d.Values ?? []).reduce((s, v, i) => s + v * (d.Counts?.[i] ?? 1), 0), 0);
}

describeUsageSinkContract('CloudWatchMetricsSink', async () => {
  const endpoint = await startCloudWatchEndpoint({ now: clock.now });
  const client = clientFor(endpoint);
  const inner = new CloudWatchMetricsSink({ client, clock });
  // Metrics carry no event ids: readback is the ids the sink acknowledged, checked against the decoded requests —
  // the fleet-wide `Requests` sum must equal their number, or duplicates (or losses) show up as a mismatch.
  const acknowledged = new Set<string>();
  const sink: UsageSink = {
    name: inner.name,
    async write(events) {
      const result = await inner.write(events);
      const failed = new Set((result.ok ? [] : (result.failed ?? events)).map((event) => event.eventId));
      for (const event of events) if (!failed.has(event.eventId)) acknowledged.add(event.eventId);
      return result;
    },
    forceFlush: () => inner.forceFlush(),
    shutdown: () => inner.shutdown(),
  };
  return {
    sink,
    async readBack() {
      const published = sum(endpoint.data, 'Requests');
      const ids = [...acknowledged];
      return published >= ids.length ? [...ids, ...Array<string>(published - ids.length).fill('published-twice')] : ids.slice(0, published);
    },
    outage: { begin: () => endpoint.failNext(Number.POSITIVE_INFINITY, 'unavailable'), end: () => endpoint.failNext(0, 'unavailable') },
    async close() {
      client.destroy();
      await endpoint.close();
    },
  };
});

describe('CloudWatchMetricsSink with the real SDK', () => {
  let endpoint: CloudWatchEndpoint;
  let client: CloudWatchClient;

  beforeEach(async () => {
    endpoint = await startCloudWatchEndpoint({ now: clock.now });
    client = clientFor(endpoint);
  });

  afterEach(async () => {
    client.destroy();
    await endpoint.close();
  });

  it('publishes a 5,000-event window of 250 agent×model series in requests within every PutMetricData limit', async () => {
    // Prepare
    const sink = new CloudWatchMetricsSink({ client, clock, incidentDimension: { maxValues: 20 } });
    const events: UsageEvent[] = Array.from({ length: 5000 }, (_, i) =>
      makeUsageEvent({
        time: new Date(NOW - 180_000 + (i % 3) * 60_000).toISOString(),
        agentId: `agent-${i % 50}`,
        modelId: `model-${i % 5}`,
        incidentId: `INC-20250311-${String(i % 40).padStart(4, '0')}`,
        apiLatencyMs: 100 + (i % 997),
        ...(i % 10 === 0 ? { outcome: 'error' as const, errorCode: ['ThrottlingException', 'ValidationException'][i % 2], cost: null } : {}),
      }),
    );

    // Act
    const result = await sink.write(events);
    await sink.shutdown();

    // Assess
    expect(result).toEqual({ ok: true });
    expect(endpoint.requests.length).toBeGreaterThan(2);
    expect(endpoint.requests.every((r) => r.status === 200 && r.data.length <= 1000 && r.bytes <= 1_000_000)).toBe(true);
    expect(endpoint.requests.some((r) => r.gzip)).toBe(true);
    expect(endpoint.data.every((d) => (d.Values?.length ?? 0) <= 150 && d.Values?.length === d.Counts?.length)).toBe(true);
    expect(sum(endpoint.data, 'Requests')).toBe(5000);
    expect(sum(endpoint.data, 'APIErrors')).toBe(500);
    expect(sum(endpoint.data, 'InputTokens', ['AgentId', 'ModelId'])).toBe(500_000);
    expect(sum(endpoint.data, 'EstimatedCost')).toBeCloseTo(4500 * 0.00005, 9);
    expect(sum(endpoint.data, 'APILatency')).toBe(events.reduce((total, e) => total + e.apiLatencyMs, 0));
    const incidents = new Set(endpoint.data.flatMap((d) => d.Dimensions.filter((x) => x.Name === 'IncidentId').map((x) => x.Value)));
    expect(incidents.size).toBe(21);
    expect(incidents.has('other')).toBe(true);
  }, 60_000);

  it('publishes each metric with the catalog unit and only published dimension sets', async () => {
    // Prepare
    const sink = new CloudWatchMetricsSink({ client, clock });
    const events = [makeUsageEvent({ agentId: 'jira' }), makeUsageEvent({ agentId: 'jira', outcome: 'error', errorCode: 'ThrottlingException' })];

    // Act
    await sink.write(events);

    // Assess
    const seen = new Set(endpoint.data.map((d) => `${d.MetricName}:${d.Unit}:${d.Dimensions.map((x) => x.Name).join('+')}`));
    const expected = new Set(
      (Object.keys(PUBLISHED_DIMENSION_SETS) as MetricName[])
        .filter((name) => METRIC_CATALOG[name].source === 'event')
        .flatMap((name) => PUBLISHED_DIMENSION_SETS[name].map((set) => `${name}:${METRIC_CATALOG[name].unit}:${set.join('+')}`)),
    );
    expect(seen).toEqual(expected);
    expect(endpoint.data.every((d) => d.Namespace === 'BedrockUsage' && d.StorageResolution === 60 && d.Timestamp === Date.parse('2025-03-11T10:00:00Z') / 1000)).toBe(true);
    expect(INCIDENT_DIMENSION_SETS.EstimatedCost).toEqual([['AgentId', 'ModelId', 'IncidentId']]);
  });

  it('classifies throttling as retryable and hands back the events, then publishes them once', async () => {
    // Prepare
    const sink = new CloudWatchMetricsSink({ client, clock });
    const events = [makeUsageEvent(), makeUsageEvent()];
    endpoint.failNext(1, 'throttle');

    // Act
    const throttled = await sink.write(events);
    const retried = await sink.write(throttled.ok ? [] : (throttled.failed ?? []));

    // Assess
    expect(throttled).toMatchObject({ ok: false, retryable: true, failed: events });
    expect(throttled.ok ? '' : throttled.error.message).toContain('Throttling');
    expect(retried).toEqual({ ok: true });
    expect(sum(endpoint.data, 'Requests')).toBe(2);
  });

  it('classifies a rejected request as not retryable', async () => {
    // Prepare
    const sink = new CloudWatchMetricsSink({ client, clock, namespace: 'AWS/Reserved' });

    // Act
    const result = await sink.write([makeUsageEvent()]);

    // Assess
    expect(result).toMatchObject({ ok: false, retryable: false });
    expect(endpoint.requests[0].error).toContain('Namespace must not start with "AWS/"');
  });

  it('CloudWatchHealthMetrics publishes on flush and keeps a throttled flush for the next one', async () => {
    // Prepare
    const log = new PassThrough();
    const lines: string[] = [];
    log.on('data', (chunk: Buffer) => lines.push(...chunk.toString().trim().split('\n')));
    const health = new CloudWatchHealthMetrics({ client, clock, log });
    health.count('LoggingErrors', { AgentId: 'jira', LoggingBackend: 'DynamoDB', ErrorType: 'Throttling' }, 3);
    health.timing('LoggingLatency', { AgentId: 'jira', LoggingBackend: 'DynamoDB' }, 4);
    health.gauge('LoggingQueueDepth', { AgentId: 'jira' }, 17);
    endpoint.failNext(1, 'throttle');

    // Act
    await health.flush();
    const afterThrottle = endpoint.data.length;
    await health.shutdown();

    // Assess
    expect(afterThrottle).toBe(0);
    expect(sum(endpoint.data, 'LoggingErrors')).toBe(3);
    expect(sum(endpoint.data, 'LoggingErrors', ['AgentId', 'LoggingBackend', 'ErrorType'])).toBe(3);
    expect(sum(endpoint.data, 'LoggingLatency')).toBe(4);
    expect(sum(endpoint.data, 'LoggingQueueDepth', ['AgentId'])).toBe(17);
    expect(JSON.parse(lines[0])).toMatchObject({ level: 'ERROR', agent_id: 'jira', error_code: 'Throttling', count: 3 });
  });
});
