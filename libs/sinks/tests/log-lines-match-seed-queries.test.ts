import { PassThrough } from 'node:stream';

import { parseUsd, tokenUsage } from '@bedrock-usage/core';
import { describeUsageSinkContract, makeUsageEvent } from '@bedrock-usage/testing';

import { JsonLogSink } from '../src';

function capture(): { output: PassThrough; text: () => string; lines: () => Record<string, unknown>[] } {
  const output = new PassThrough();
  const chunks: string[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  const text = (): string => chunks.join('');
  return { output, text, lines: () => text().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>) };
}

/** The fields each of the seed's four Logs Insights queries reads (besides @timestamp), with their JSON type. */
const SEED_QUERIES: readonly [string, Readonly<Record<string, 'string' | 'number'>>][] = [
  ['Find High-Cost Requests', { agent_id: 'string', model_id: 'string', estimated_cost: 'number', total_tokens: 'number' }],
  ['Analyze Error Patterns', { level: 'string', message: 'string', agent_id: 'string', error_code: 'string' }],
  ['Token Usage Analysis', { agent_id: 'string', model_id: 'string', input_tokens: 'number', output_tokens: 'number', total_tokens: 'number' }],
  ['Performance Analysis', { agent_id: 'string', api_latency_ms: 'number', logging_latency_ms: 'number' }],
];

describeUsageSinkContract('JsonLogSink', async () => {
  const { output, lines } = capture();
  return { sink: new JsonLogSink({ output }), readBack: async () => lines().map((line) => line.event_id as string), close: async () => undefined };
});

describe('JsonLogSink', () => {
  it.each(SEED_QUERIES)('writes every field the "%s" query reads, with its JSON type', async (_query, fields) => {
    // Prepare
    const { output, lines } = capture();
    const sink = new JsonLogSink({ output });
    const event = makeUsageEvent({ outcome: 'error', errorCode: 'ThrottlingException', usage: tokenUsage({}), cost: null });

    // Act
    await sink.write([event, makeUsageEvent()]);

    // Assess: the lines the query selects have each field with its type (the error query reads ERROR lines); every
    // line has every field, null where it does not apply (error_code on INFO, estimated_cost when unpriced)
    const [error, info] = lines();
    const selected = fields.error_code ? error : info;
    for (const [field, type] of Object.entries(fields)) {
      expect([field, typeof selected[field]]).toEqual([field, type]);
      expect([field, field in error && field in info]).toEqual([field, true]);
    }
  });

  it('writes the cost as a number for comparisons and as the exact decimal beside it', async () => {
    // Prepare
    const { output, lines } = capture();
    const sink = new JsonLogSink({ output, clock: { now: () => Date.parse('2025-03-11T10:00:00.250Z') } });
    const total = parseUsd('0.012345678901234');
    const event = makeUsageEvent({ cost: { total, input: total, output: 0n, cacheRead: 0n, cacheWrite: 0n, cacheWrite1h: 0n } });

    // Act
    await sink.write([event]);

    // Assess
    const [line] = lines();
    expect(line).toMatchObject({ level: 'INFO', estimated_cost: 0.012345678901234, estimated_cost_usd: '0.012345678901234', logging_latency_ms: 250, error_code: null, incident_id: null });
    expect((line.estimated_cost as number) > 0.01).toBe(true);
  });

  it('never writes prompt or completion text', async () => {
    // Prepare
    const { output, text } = capture();
    const sink = new JsonLogSink({ output });
    const secret = 'PROMPT-SECRET-7f3a';
    const event = { ...makeUsageEvent({ tags: { note: secret } }), prompt: secret, completion: secret, body: { messages: [secret] } };

    // Act
    await sink.write([event]);

    // Assess
    expect(text()).not.toContain(secret);
    expect(text()).toContain(event.eventId);
  });

  it('fails retryably, handing the events back, when the stream is broken', async () => {
    // Prepare
    const { output } = capture();
    output.destroy();
    const sink = new JsonLogSink({ output });
    const events = [makeUsageEvent()];

    // Act
    const result = await sink.write(events);

    // Assess
    expect(result).toMatchObject({ ok: false, retryable: true, failed: events });
  });
});
