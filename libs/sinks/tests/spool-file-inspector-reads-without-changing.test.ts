import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeUsageEvent } from '@bedrock-usage/testing';
import { FileSpool, FileSpoolInspector } from '../src';

describe('FileSpoolInspector', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'file-spool-inspector-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('summarizes each sink file: waiting events, span, agents, torn and corrupt lines; the files are unchanged', async () => {
    // Prepare
    const spool = new FileSpool({ dir });
    const early = makeUsageEvent({ time: '2025-03-11T09:00:00.000Z', agentId: 'jira' });
    const late = makeUsageEvent({ time: '2025-03-11T11:00:00.000Z', agentId: 'operations' });
    await spool.append('DynamoDB', [late, early]);
    await appendFile(spool.pathOf('DynamoDB'), 'not json\n');
    await spool.append('DynamoDB', [early]);
    await appendFile(spool.pathOf('DynamoDB'), '{"eventId":"torn');
    await spool.append('CloudWatch', [late]);
    const before = await readFile(spool.pathOf('DynamoDB'));

    // Act
    const summaries = await new FileSpoolInspector({ dir }).inspect();

    // Assess
    expect(summaries.map((s) => s.sink)).toEqual(['CloudWatch', 'DynamoDB']);
    expect(summaries[1]).toMatchObject({
      sink: 'DynamoDB',
      bytes: before.length,
      deliveredBytes: 0,
      events: 3,
      distinctEvents: 2,
      oldest: '2025-03-11T09:00:00.000Z',
      newest: '2025-03-11T11:00:00.000Z',
      agents: { jira: 2, operations: 1 },
      torn: true,
      corruptLines: [3],
    });
    expect(summaries[0]).toMatchObject({ events: 1, torn: false, corruptLines: [] });
    expect(await readFile(spool.pathOf('DynamoDB'))).toEqual(before);
  });

  it('does not count what an interrupted replay already delivered', async () => {
    // Prepare: a replay acknowledged the first batch of two, then stopped
    const spool = new FileSpool({ dir, replayBatchSize: 2 });
    await spool.append('DynamoDB', [makeUsageEvent(), makeUsageEvent(), makeUsageEvent({ agentId: 'jira' })]);
    let batches = 0;
    await spool.replay('DynamoDB', async () => ++batches === 1);

    // Act
    const [summary] = await new FileSpoolInspector({ dir }).inspect();

    // Assess
    expect(summary).toMatchObject({ events: 1, agents: { jira: 1 }, corruptLines: [] });
    expect(summary.deliveredBytes).toBeGreaterThan(0);
  });

  it('finds nothing in a missing directory', async () => {
    await writeFile(join(dir, 'unrelated.txt'), 'x');
    expect(await new FileSpoolInspector({ dir: join(dir, 'missing') }).inspect()).toEqual([]);
    expect(await new FileSpoolInspector({ dir }).inspect()).toEqual([]);
  });
});
