import { PassThrough } from 'node:stream';

import { describeUsageSinkContract, makeUsageEvent } from '@bedrock-usage/testing';

import { EmfHealthMetrics, EmfMetricsSink, PUBLISHED_DIMENSION_SETS, type EmfDocument, type MetricName } from '../src';

function capture(): { output: PassThrough; lines: () => EmfDocument[] } {
  const output = new PassThrough();
  const text: string[] = [];
  output.on('data', (chunk: Buffer) => text.push(chunk.toString()));
  return { output, lines: () => text.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line) as EmfDocument) };
}

/** Checks a document against the EMF specification's rules (CloudWatch_Embedded_Metric_Format_Specification). */
function specViolations(doc: EmfDocument): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(doc._aws.Timestamp)) problems.push('Timestamp is not an integer');
  for (const directive of doc._aws.CloudWatchMetrics) {
    if (directive.Metrics.length > 100) problems.push('more than 100 metrics');
    for (const set of directive.Dimensions) {
      if (set.length > 30) problems.push('dimension set over 30');
      for (const name of set) if (typeof doc[name] !== 'string') problems.push(`dimension ${name} is not a string member`);
    }
    for (const { Name } of directive.Metrics) {
      const value = doc[Name];
      const ok = typeof value === 'number' || (Array.isArray(value) && value.length <= 100 && value.every((v) => typeof v === 'number'));
      if (!ok) problems.push(`metric ${Name} is not a number or an array of ≤ 100 numbers`);
    }
  }
  return problems;
}

describeUsageSinkContract('EmfMetricsSink', async () => {
  const { output, lines } = capture();
  return {
    sink: new EmfMetricsSink({ output }),
    readBack: async () => lines().map((doc) => doc.event_id as string),
    close: async () => undefined,
  };
});

describe('EmfMetricsSink', () => {
  it('writes one spec-valid EMF line per event, every published dimension set, with the log fields beside', async () => {
    // Prepare
    const { output, lines } = capture();
    const sink = new EmfMetricsSink({ output });
    const event = makeUsageEvent({ agentId: 'jira', incidentId: 'INC-20250311-0042', outcome: 'error', errorCode: 'ThrottlingException' });

    // Act
    await sink.write([event]);
    await sink.shutdown();

    // Assess
    const [doc] = lines();
    expect(specViolations(doc)).toEqual([]);
    expect(doc._aws.Timestamp).toBe(Date.parse(event.time));
    const published = Object.fromEntries(
      doc._aws.CloudWatchMetrics.flatMap((directive) => directive.Metrics.map((metric) => [metric.Name, directive.Dimensions])),
    );
    for (const name of Object.keys(published)) expect(published[name]).toEqual(PUBLISHED_DIMENSION_SETS[name as MetricName]);
    expect(Object.keys(published).sort()).toEqual(
      ['APIErrors', 'APILatency', 'CacheReadInputTokens', 'CacheWriteInputTokens', 'EstimatedCost', 'InputTokens', 'OutputTokens', 'Requests', 'RequestsPerSecond', 'TotalTokens'],
    );
    expect(doc).toMatchObject({ AgentId: 'jira', ErrorCode: 'ThrottlingException', InputTokens: 100, APIErrors: 1, incident_id: 'INC-20250311-0042', level: 'ERROR' });
    expect(doc.IncidentId).toBeUndefined();
  });

  it('folds IncidentId beyond the cap into "other" while the log field keeps the real one', async () => {
    // Prepare
    const { output, lines } = capture();
    const sink = new EmfMetricsSink({ output, incidentDimension: { maxValues: 1 } });

    // Act
    await sink.write([makeUsageEvent({ incidentId: 'INC-1' }), makeUsageEvent({ incidentId: 'INC-2' })]);

    // Assess
    expect(lines().map((doc) => [doc.IncidentId, doc.incident_id])).toEqual([['INC-1', 'INC-1'], ['other', 'INC-2']]);
  });
});

describe('EmfHealthMetrics', () => {
  it('writes aggregated health metrics within EMF limits: counters summed, 250 timings as arrays of ≤ 100', async () => {
    // Prepare
    const { output, lines } = capture();
    const health = new EmfHealthMetrics({ output, clock: { now: () => Date.parse('2025-03-11T10:00:30Z') } });
    for (let i = 0; i < 250; i += 1) health.timing('BatchProcessingTime', { LoggingBackend: 'DynamoDB' }, i);
    health.count('LoggingErrors', { AgentId: 'jira', LoggingBackend: 'DynamoDB', ErrorType: 'Dropped' }, 2);
    health.count('LoggingErrors', { AgentId: 'jira', LoggingBackend: 'DynamoDB', ErrorType: 'Dropped' }, 5);

    // Act
    await health.shutdown();

    // Assess
    const docs = lines().filter((doc) => doc._aws !== undefined);
    const errorLines = lines().filter((doc) => doc._aws === undefined);
    expect(docs.flatMap(specViolations)).toEqual([]);
    const timings = docs.flatMap((doc) => (doc.BatchProcessingTime === undefined ? [] : [doc.BatchProcessingTime as number[]]));
    expect(timings.map((values) => values.length)).toEqual([100, 100, 50]);
    expect(docs.filter((doc) => doc.LoggingErrors !== undefined).map((doc) => [doc._aws.CloudWatchMetrics[0].Dimensions, doc.LoggingErrors])).toEqual([
      [[[]], 7],
      [[['AgentId', 'LoggingBackend', 'ErrorType']], 7],
    ]);
    expect(errorLines).toEqual([expect.objectContaining({ level: 'ERROR', error_code: 'Dropped', count: 2 }), expect.objectContaining({ count: 5 })]);
  });
});
