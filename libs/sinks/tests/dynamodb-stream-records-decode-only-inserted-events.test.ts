import { makeUsageEvent, makeUsageEvents } from '@bedrock-usage/testing';

import { decodeUsageStreamRecords, type DynamoDbStreamRecord } from '../src';
import { toItem } from '../src/dynamodb/internal/usage-item';

let sequence = 0;
function record(eventName: string, image: DynamoDbStreamRecord['dynamodb']): DynamoDbStreamRecord {
  sequence += 1;
  return { eventID: `e${sequence}`, eventName, dynamodb: { SequenceNumber: String(100 + sequence), ...image } };
}

describe('decodeUsageStreamRecords', () => {
  it('returns the events of INSERT records of event items exactly as written, and ignores every other record', () => {
    // Prepare: the store's real item encoding, as NEW_AND_OLD_IMAGES stream records carry it
    const [a, b] = makeUsageEvents(2, { time: '2025-03-11T10:00:00.000Z', incidentId: 'INC-20250311-0042' });
    const modified = makeUsageEvent();
    const records = [
      record('INSERT', { Keys: { pk: { S: `EVENT#${a.eventId}` }, sk: { S: 'EVENT' } }, NewImage: toItem(a) }),
      record('MODIFY', { NewImage: toItem(modified), OldImage: toItem(modified) }),
      record('REMOVE', { Keys: { pk: { S: `EVENT#${modified.eventId}` }, sk: { S: 'EVENT' } }, OldImage: toItem(modified) }),
      record('INSERT', { NewImage: { pk: { S: 'AGG#2025-03-11' }, sk: { S: '2025-03-11T10#a#m' } } }),
      record('INSERT', { NewImage: { pk: { S: 'PROCESS#cloud-engineer#1' }, sk: { S: 'STATUS' } } }),
      record('INSERT', { NewImage: toItem(b) }),
      record('INSERT', { NewImage: toItem(a) }),
    ];

    // Act
    const decoded = decodeUsageStreamRecords({ Records: records });

    // Assess
    expect(decoded.events).toEqual([a, b, a]);
    expect(decoded.ignored).toBe(4);
    expect(decoded.undecodable).toEqual([]);
    expect(decoded.firstSequenceNumber).toBe(records[0].dynamodb?.SequenceNumber);
  });

  it('reports an event INSERT it cannot decode (keys only, or a malformed image) instead of throwing', () => {
    // Prepare
    const keysOnly = record('INSERT', { Keys: { pk: { S: 'EVENT#k' }, sk: { S: 'EVENT' } } });
    const malformed = record('INSERT', { NewImage: { pk: { S: 'EVENT#m' }, sk: { S: 'EVENT' }, eventId: { S: 'm' } } });

    // Act
    const decoded = decodeUsageStreamRecords({ Records: [keysOnly, malformed] });

    // Assess
    expect(decoded.events).toEqual([]);
    expect(decoded.undecodable.map((entry) => entry.pk)).toEqual(['EVENT#k', 'EVENT#m']);
    expect(decoded.undecodable[0].error).toMatch(/no NewImage — set the stream view type to NEW_IMAGE/);
    expect(decodeUsageStreamRecords({})).toEqual({ events: [], ignored: 0, undecodable: [], firstSequenceNumber: undefined });
  });
});
