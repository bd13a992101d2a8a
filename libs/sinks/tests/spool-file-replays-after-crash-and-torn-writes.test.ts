import { appendFile, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UsageEvent } from '@bedrock-usage/core';
import { makeUsageEvents } from '@bedrock-usage/testing';
import { FileSpool } from '../src';

function ids(events: readonly UsageEvent[]): string[] {
  return events.map((event) => event.eventId);
}

describe('FileSpool', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'file-spool-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('replays events exactly as appended, oldest first, then truncates the file', async () => {
    // Prepare
    const spool = new FileSpool({ dir, replayBatchSize: 4 });
    const events = makeUsageEvents(10, { incidentId: 'INC-20250311-0042' });
    await spool.append('DynamoDB', events.slice(0, 6));
    await spool.append('DynamoDB', events.slice(6));
    const delivered: UsageEvent[] = [];

    // Act
    const result = await spool.replay('DynamoDB', async (batch) => (delivered.push(...batch), true));

    // Assess
    expect(result).toEqual({ replayed: 10, remaining: 0, corrupt: 0 });
    expect(delivered).toEqual(events);
    expect((await stat(spool.pathOf('DynamoDB'))).size).toBe(0);
  });

  it('after a crash mid-replay, a new process delivers from the last acknowledged batch: nothing lost', async () => {
    // Prepare: the first process acknowledges one batch, then hangs forever in the second (killed there)
    const events = makeUsageEvents(10);
    const first = new FileSpool({ dir, replayBatchSize: 4 });
    await first.append('Log', events);
    const firstDelivered: UsageEvent[] = [];
    let reachedSecondBatch!: () => void;
    const hanging = new Promise<void>((resolve) => (reachedSecondBatch = resolve));
    void first.replay('Log', async (batch) => {
      if (firstDelivered.length > 0) {
        reachedSecondBatch();
        return new Promise<boolean>(() => undefined);
      }
      firstDelivered.push(...batch);
      return true;
    });
    await hanging;

    // Act: the restarted process
    const second = new FileSpool({ dir, replayBatchSize: 4 });
    const delivered: UsageEvent[] = [];
    const result = await second.replay('Log', async (batch) => (delivered.push(...batch), true));

    // Assess
    expect(ids(firstDelivered)).toEqual(ids(events.slice(0, 4)));
    expect(ids(delivered)).toEqual(ids(events.slice(4)));
    expect(result).toEqual({ replayed: 6, remaining: 0, corrupt: 0 });
  });

  it('keeps the refused batch, later ones and events appended during the replay', async () => {
    // Prepare
    const spool = new FileSpool({ dir, replayBatchSize: 3 });
    const events = makeUsageEvents(8);
    await spool.append('EMF', events.slice(0, 6));
    let calls = 0;

    // Act
    const first = await spool.replay('EMF', async () => {
      calls += 1;
      if (calls === 1) await spool.append('EMF', events.slice(6));
      return calls === 1;
    });
    const delivered: UsageEvent[] = [];
    const second = await spool.replay('EMF', async (batch) => (delivered.push(...batch), true));

    // Assess
    expect(first).toEqual({ replayed: 3, remaining: 5, corrupt: 0 });
    expect(ids(delivered)).toEqual(ids(events.slice(3)));
    expect(second).toEqual({ replayed: 5, remaining: 0, corrupt: 0 });
  });

  it('skips and counts a torn last line, and keeps appending on a fresh line', async () => {
    // Prepare: a crash mid-append left half a line
    const events = makeUsageEvents(3);
    const before = new FileSpool({ dir });
    await before.append('DynamoDB', events.slice(0, 2));
    const torn = JSON.stringify({ eventId: 'torn' }).slice(0, 9);
    await appendFile(before.pathOf('DynamoDB'), torn);
    const after = new FileSpool({ dir });
    await after.append('DynamoDB', events.slice(2));
    const delivered: UsageEvent[] = [];

    // Act
    const result = await after.replay('DynamoDB', async (batch) => (delivered.push(...batch), true));

    // Assess
    expect(result).toEqual({ replayed: 3, remaining: 0, corrupt: 1 });
    expect(ids(delivered)).toEqual(ids(events));
    expect(await readFile(after.pathOf('DynamoDB'), 'utf8')).toBe('');
  });

  it('finds nothing to replay for a sink that never spooled', async () => {
    // Act
    const result = await new FileSpool({ dir }).replay('Nothing', async () => true);

    // Assess
    expect(result).toEqual({ replayed: 0, remaining: 0, corrupt: 0 });
  });

  it('refuses a syncEveryEvents that is not a positive integer, naming the option', () => {
    // Act
    const build = (): FileSpool => new FileSpool({ dir, syncEveryEvents: 0.5 });

    // Assess
    expect(build).toThrow(/FileSpool option "syncEveryEvents" is 0.5 — expected a positive integer/);
  });
});
