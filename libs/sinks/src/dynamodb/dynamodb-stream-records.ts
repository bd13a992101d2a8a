import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { UsageEvent } from '@bedrock-usage/core';

import { fromItem } from './internal/usage-item';

/**
 * One record of a DynamoDB Stream as Lambda hands it over (the fields used here; `aws-lambda`'s `DynamoDBRecord`
 * fits). Images are in DynamoDB JSON (`{ "S": "…" }`), as the stream's `NEW_IMAGE` / `NEW_AND_OLD_IMAGES` view gives them.
 *
 * @example
 * const record: DynamoDbStreamRecord = { eventName: 'INSERT', dynamodb: { SequenceNumber: '1', NewImage: item } };
 */
export interface DynamoDbStreamRecord {
  readonly eventID?: string;
  readonly eventName?: 'INSERT' | 'MODIFY' | 'REMOVE' | string;
  readonly eventSourceARN?: string;
  readonly dynamodb?: {
    readonly Keys?: Record<string, AttributeValue>;
    readonly NewImage?: Record<string, AttributeValue>;
    readonly OldImage?: Record<string, AttributeValue>;
    readonly SequenceNumber?: string;
  };
}

/**
 * The event a Lambda function subscribed to a DynamoDB Stream receives (`aws-lambda`'s `DynamoDBStreamEvent` fits).
 *
 * @example
 * export const handler = async (event: DynamoDbStreamEvent) => decodeUsageStreamRecords(event);
 */
export interface DynamoDbStreamEvent {
  readonly Records?: readonly DynamoDbStreamRecord[];
}

/**
 * What {@link decodeUsageStreamRecords} found in a stream batch.
 *
 * @example
 * const { events, ignored, undecodable } = decodeUsageStreamRecords(streamEvent);
 */
export interface UsageStreamRecords {
  /** The usage events of the INSERT records of event items, in stream order (duplicates kept: consumers dedupe). */
  readonly events: readonly UsageEvent[];
  /** Records that are not new events: MODIFY, REMOVE, and items other than events (aggregates, outcomes, status). */
  readonly ignored: number;
  /** INSERT records of event items whose image could not be decoded (no NewImage, a malformed field). */
  readonly undecodable: readonly { readonly sequenceNumber: string | undefined; readonly pk: string | undefined; readonly error: string }[];
  /** The sequence number of the batch's first record: the `itemIdentifier` that makes Lambda retry the whole batch. */
  readonly firstSequenceNumber: string | undefined;
}

/**
 * Decodes the new usage events of a DynamoDB Stream batch of the usage table: INSERT records of event items
 * (`pk` begins with `EVENT#`), with the item codec the store writes them with. MODIFY (a re-put that changed an
 * item), REMOVE, and every other item (aggregates `AGG#…`, incident outcomes, PROCESS / CONTROL items) are ignored.
 * Never throws: an undecodable record is reported, not fatal (it would otherwise block the shard forever).
 *
 * @example
 * const { events } = decodeUsageStreamRecords(streamEvent);
 * await publisher.publish(events);
 */
export function decodeUsageStreamRecords(event: DynamoDbStreamEvent): UsageStreamRecords {
  const events: UsageEvent[] = [];
  const undecodable: { sequenceNumber: string | undefined; pk: string | undefined; error: string }[] = [];
  let ignored = 0;
  const records = event.Records ?? [];
  for (const record of records) {
    const image = record.dynamodb?.NewImage;
    const pk = image?.pk?.S ?? record.dynamodb?.Keys?.pk?.S;
    if (record.eventName !== 'INSERT' || pk === undefined || !pk.startsWith('EVENT#')) {
      ignored += 1;
      continue;
    }
    try {
      if (!image) throw new Error('the record has no NewImage — set the stream view type to NEW_IMAGE or NEW_AND_OLD_IMAGES');
      events.push(fromItem(image));
    } catch (error) {
      undecodable.push({ sequenceNumber: record.dynamodb?.SequenceNumber, pk, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return { events, ignored, undecodable, firstSequenceNumber: records[0]?.dynamodb?.SequenceNumber };
}
