import { InMemorySpool, makeUsageEvents } from '../src';

describe('InMemorySpool', () => {
  it('replays oldest first in batches and empties on success', async () => {
    // Prepare
    const spool = new InMemorySpool({ replayBatchSize: 2 });
    const events = makeUsageEvents(5);
    await spool.append('DynamoDB', events.slice(0, 3));
    await spool.append('DynamoDB', events.slice(3));
    const batches: string[][] = [];

    // Act
    const result = await spool.replay('DynamoDB', async (batch) => {
      batches.push(batch.map((event) => event.eventId));
      return true;
    });

    // Assess
    expect(result).toEqual({ replayed: 5, remaining: 0, corrupt: 0 });
    expect(batches).toEqual([[events[0].eventId, events[1].eventId], [events[2].eventId, events[3].eventId], [events[4].eventId]]);
    expect(spool.events('DynamoDB')).toEqual([]);
  });

  it('keeps the refused batch, later ones and appends made during the replay', async () => {
    // Prepare
    const spool = new InMemorySpool({ replayBatchSize: 2 });
    const events = makeUsageEvents(5);
    await spool.append('Log', events.slice(0, 4));
    let calls = 0;

    // Act
    const result = await spool.replay('Log', async () => {
      calls += 1;
      if (calls === 1) await spool.append('Log', [events[4]]);
      return calls === 1;
    });

    // Assess
    expect(result).toEqual({ replayed: 2, remaining: 3, corrupt: 0 });
    expect(spool.events('Log').map((event) => event.eventId)).toEqual(events.slice(2).map((event) => event.eventId));
  });

  it('rejects appends while scripted to fail, and keeps nothing', async () => {
    // Prepare
    const spool = new InMemorySpool();
    spool.failAppends();

    // Act
    const append = spool.append('EMF', makeUsageEvents(1));

    // Assess
    await expect(append).rejects.toMatchObject({ code: 'IO' });
    expect(spool.events('EMF')).toEqual([]);
  });
});
