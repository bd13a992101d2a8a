import { makeUsageEvents } from '@bedrock-usage/testing';
import { parseSpoolLogLines, SPOOL_LOG_MARKER, StdoutSpool } from '../src';

describe('StdoutSpool and parseSpoolLogLines', () => {
  it('writes marked lines that read back, exactly, from a CloudWatch Logs export', async () => {
    // Prepare
    let written = '';
    const spool = new StdoutSpool({ output: { write: (text, done) => ((written += text), done()) } });
    const events = makeUsageEvents(3, { incidentId: 'INC-20250311-0042' });
    await spool.append('DynamoDB', events.slice(0, 2));
    await spool.append('Log', events.slice(2));
    const exported = [
      'START RequestId: 1f0c Version: $LATEST',
      ...written.trim().split('\n').map((line) => `2025-03-11T10:00:00.000Z\t1f0c\tINFO\t${line}`),
      `2025-03-11T10:00:01.000Z\t1f0c\tINFO\t${SPOOL_LOG_MARKER}{"sink":"DynamoDB","event":{"eventId":`,
      'END RequestId: 1f0c',
    ].join('\n');

    // Act
    const parsed = parseSpoolLogLines(exported);

    // Assess
    expect(parsed.corrupt).toBe(1);
    expect(parsed.entries).toEqual([
      { sink: 'DynamoDB', event: events[0] },
      { sink: 'DynamoDB', event: events[1] },
      { sink: 'Log', event: events[2] },
    ]);
    expect(await spool.replay()).toEqual({ replayed: 0, remaining: 0, corrupt: 0 });
  });
});
