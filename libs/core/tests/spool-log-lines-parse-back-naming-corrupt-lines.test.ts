import { formatSpoolLogLine, parseSpoolLogLines, parseUsd, SPOOL_LOG_MARKER, tokenUsage, type UsageEvent } from '../src';

const event = (eventId: string): UsageEvent => ({
  eventId,
  time: '2025-03-11T14:22:09.000Z',
  agentId: 'jira',
  tags: {},
  api: 'Converse',
  modelId: 'amazon.nova-micro-v1:0',
  resolvedModel: 'amazon.nova-micro-v1:0',
  region: 'us-east-1',
  outcome: 'success',
  usage: tokenUsage({ inputTokens: 7, cacheReadInputTokens: 1 }),
  cost: { total: parseUsd('0.00000025375'), input: parseUsd('0.000000245'), output: 0n, cacheRead: parseUsd('0.00000000875'), cacheWrite: 0n, cacheWrite1h: 0n },
  priceRef: null,
  latencyMs: 120,
  apiLatencyMs: 131,
  flags: [],
});

describe('spool log lines', () => {
  it('read back exactly from a log export with prefixes and noise; corrupt marked lines named by line number', () => {
    // Prepare
    const text = [
      'START RequestId: 1f0c Version: $LATEST',
      `2025-03-11T14:22:10.000Z\t1f0c\tINFO\t${formatSpoolLogLine('DynamoDB', event('a'))}`,
      'an unrelated line with { braces',
      `${SPOOL_LOG_MARKER}{"sink":"DynamoDB","event":{"eventId":`,
      formatSpoolLogLine('EMF', event('b')),
      `${SPOOL_LOG_MARKER}{"event":{}}`,
      '',
    ].join('\n');

    // Act
    const parsed = parseSpoolLogLines(text);

    // Assess
    expect(parsed.entries).toEqual([
      { sink: 'DynamoDB', event: event('a') },
      { sink: 'EMF', event: event('b') },
    ]);
    expect(parsed).toMatchObject({ corrupt: 2, corruptLines: [4, 6], lines: 6 });
  });

  it('finds nothing in a log without marked lines', () => {
    expect(parseSpoolLogLines('hello\nworld')).toEqual({ entries: [], corrupt: 0, corruptLines: [], lines: 2 });
  });
});
