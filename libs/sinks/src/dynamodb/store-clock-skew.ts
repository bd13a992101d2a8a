import { ListTablesCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { systemClock, type Clock } from '@bedrock-usage/core';

import { classifyFailure } from './internal/dynamodb-failure';

/**
 * How far this machine's clock is from the DynamoDB endpoint's (`cli doctor`: SigV4 refuses requests more than
 * 5 minutes off, and skewed event times land in the wrong hour of a report).
 *
 * @example
 * const { skewMs, uncertaintyMs } = await storeClockSkew(client); // skewMs > 0: the server is ahead
 */
export interface StoreClockSkew {
  /** Server time − local time, in milliseconds; null when the endpoint sent no `Date` header. */
  readonly skewMs: number | null;
  /** The measurement's error bound: half the round trip plus the `Date` header's 1-second resolution. */
  readonly uncertaintyMs: number;
}

/**
 * Measures {@link StoreClockSkew} with one ListTables request (Limit 1), reading the HTTP `Date` header of the answer.
 * Rejects with a `UsageError` when the endpoint cannot be reached.
 *
 * @example
 * const skew = await storeClockSkew(client);
 */
export async function storeClockSkew(client: DynamoDBClient, clock: Clock = systemClock): Promise<StoreClockSkew> {
  const command = new ListTablesCommand({ Limit: 1 });
  let date: string | undefined;
  command.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const headers = (result.response as { headers?: Record<string, string> }).headers ?? {};
      date = headers.date ?? headers.Date;
      return result;
    },
    { step: 'deserialize', name: 'captureServerDate' },
  );
  const sent = clock.now();
  try {
    await client.send(command, { abortSignal: AbortSignal.timeout(10_000) });
  } catch (error) {
    throw classifyFailure(error, 'ListTables', '(any)').error;
  }
  const received = clock.now();
  const server = date === undefined ? NaN : Date.parse(date);
  const halfTrip = (received - sent) / 2;
  // The header is truncated to the second: the server's time was within [server, server + 1000).
  return { skewMs: Number.isNaN(server) ? null : Math.round(server + 500 - (sent + halfTrip)), uncertaintyMs: Math.round(halfTrip + 500) };
}
