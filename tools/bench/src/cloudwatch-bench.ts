import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { UsageEvent } from '@bedrock-usage/core';
import { CloudWatchMetricsSink } from '@bedrock-usage/sinks';
import { generateUsage, startCloudWatchEndpoint } from '@bedrock-usage/testing';

import { sized, type BenchContext } from './bench-context';
import { atLeast, ratio, type Figure } from './figures';

const PHASE = 'P3 CloudWatch';
const PER = 100_000;
/**
 * Events per sink write: the agent pipeline's batch (`batchSize` @default 100), the batch publisher's stream batch
 * (500, apps/infra), and a 5,000-event window.
 */
const WINDOWS = [100, 500, 5_000] as const;
const MINUTE_MS = 60_000;

/**
 * The generated fleet (5 agents × 4 priced models, plus the generator's few unpriced and provisioned calls) squeezed
 * into one hour ending 30 min before `now`: `count` events per hour.
 */
function fleetHour(count: number, now: number): UsageEvent[] {
  const day = '2025-03-11';
  const dayStart = Date.parse(`${day}T00:00:00.000Z`);
  const hourStart = Math.floor((now - 90 * MINUTE_MS) / MINUTE_MS) * MINUTE_MS;
  return generateUsage({ count, firstDay: day, days: 1, seed: 3 })
    .map((event) => ({ ...event, time: new Date(hourStart + Math.floor((Date.parse(event.time) - dayStart) / 24)).toISOString() }))
    .sort((a, b) => a.time.localeCompare(b.time));
}

/**
 * P3: PutMetricData requests and bytes per 100k events of a 5-agent × 4-model fleet (one hour of it) sent through our
 * `CloudWatchMetricsSink` with the real @aws-sdk/client-cloudwatch to the wire-level test endpoint, per write
 * window, against one call per event. Bytes: the request bodies as the endpoint decoded them (before gzip) and as
 * sent on the wire (after the SDK's gzip of bodies over 10 KiB), counted by a middleware on the client.
 *
 * @example
 * const figures = await runCloudWatchBench({ mode: 'quick', tempDir, log: () => undefined });
 */
export async function runCloudWatchBench(context: BenchContext): Promise<Figure[]> {
  const count = sized(context, { quick: 5_000, standard: PER });
  const now = Date.now();
  const events = fleetHour(count, now);
  const figures: Figure[] = [];
  for (const window of WINDOWS) {
    const endpoint = await startCloudWatchEndpoint({ now: () => now });
    const client = new CloudWatchClient({ endpoint: endpoint.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    let wireBytes = 0;
    client.middlewareStack.add(
      (next) => async (args) => {
        const body = (args.request as { body?: unknown }).body;
        wireBytes += typeof body === 'string' ? Buffer.byteLength(body) : body instanceof Uint8Array ? body.byteLength : 0;
        return next(args);
      },
      { step: 'finalizeRequest', name: 'benchWireBytes' },
    );
    const sink = new CloudWatchMetricsSink({ client, clock: { now: () => now } });
    try {
      for (let start = 0; start < events.length; start += window) {
        const result = await sink.write(events.slice(start, start + window));
        if (!result.ok) throw new Error(`P3: a PutMetricData write failed: ${result.error.message}`);
      }
      await sink.shutdown();
    } finally {
      client.destroy();
      await endpoint.close();
    }
    const scale = PER / count;
    const requests = endpoint.requests.length * scale;
    const fewer = ratio(PER, requests);
    const label = `${window}-event writes`;
    const detail = `${count.toLocaleString('en-US')} events in one hour, ${endpoint.data.length.toLocaleString('en-US')} data${scale === 1 ? '' : ', scaled to 100k'}`;
    figures.push({ phase: PHASE, name: `${label}: PutMetricData requests per 100k events`, value: requests, unit: 'requests', detail });
    figures.push({ phase: PHASE, name: `${label}: request bytes per 100k events, before gzip`, value: endpoint.requests.reduce((sum, request) => sum + request.bytes, 0) * scale, unit: 'B' });
    figures.push({ phase: PHASE, name: `${label}: request bytes per 100k events, on the wire`, value: wireBytes * scale, unit: 'B', detail: 'the SDK gzips bodies over 10 KiB' });
    figures.push({ phase: PHASE, name: `${label}: fewer calls than one per event`, value: fewer, unit: '×', goal: atLeast(fewer, 1000, '×') });
    context.log(`P3 ${label}: ${endpoint.requests.length} requests`);
  }
  return figures;
}
