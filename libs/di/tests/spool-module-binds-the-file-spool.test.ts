import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Container } from 'inversify';

import { makeUsageEvents } from '@bedrock-usage/testing';

import { spoolModule, TOKENS } from '../src';

describe('spoolModule', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'di-spool-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('binds one file spool and an inspector of the same directory', async () => {
    // Prepare
    const container = new Container();
    container.load(spoolModule({ dir, replayBatchSize: 2 }));
    const events = makeUsageEvents(5, { agentId: 'jira' });
    // Act
    const spool = container.get(TOKENS.Spool);
    await spool.append('DynamoDB', events);
    const [summary] = await container.get(TOKENS.SpoolInspector).inspect();
    const batches: number[] = [];
    const result = await spool.replay('DynamoDB', async (batch) => (batches.push(batch.length), true));
    // Assess
    expect(container.get(TOKENS.Spool)).toBe(spool);
    expect(summary).toMatchObject({ sink: 'DynamoDB', events: 5, agents: { jira: 5 } });
    expect(batches).toEqual([2, 2, 1]);
    expect(result).toEqual({ replayed: 5, remaining: 0, corrupt: 0 });
    expect(await container.get(TOKENS.SpoolInspector).inspect()).toMatchObject([{ sink: 'DynamoDB', events: 0 }]);
  });
});
