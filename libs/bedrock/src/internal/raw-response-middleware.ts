import type { Clock } from '@bedrock-usage/core';

import { plainHeaders, type Attempt, type CallStorage } from './call-state';

/** The parts of smithy's deserialize middleware signature we use (kept structural: no @smithy/types import). */
type Next = (args: unknown) => Promise<{ readonly response?: unknown; readonly output?: unknown }>;
export type RawResponseMiddleware = (next: Next) => (args: unknown) => Promise<{ readonly response?: unknown; readonly output?: unknown }>;

export const RAW_RESPONSE_MIDDLEWARE_NAME = 'bedrockUsageRawResponseMiddleware';

function capture(attempt: Attempt, response: unknown): void {
  if (typeof response !== 'object' || response === null) return;
  const { statusCode, headers } = response as { statusCode?: unknown; headers?: unknown };
  if (typeof statusCode === 'number') attempt.statusCode = statusCode;
  attempt.headers = plainHeaders(headers);
}

/**
 * At the `deserialize` step with priority `high` (outside the SDK's deserializer): sees every HTTP attempt, keeps
 * its raw status and headers (the SDK output drops `X-Amzn-Bedrock-*-Token-Count`) and times it from request sent
 * to response parsed (for streams: to the first event). Calls outside a tracked `send` pass through untouched.
 */
export function rawResponseMiddleware(storage: CallStorage, clock: Clock, onError: (error: unknown) => void): RawResponseMiddleware {
  return (next) => async (args) => {
    const call = storage.getStore();
    if (!call) return next(args);
    const attempt: Attempt = { startedAt: clock.now() };
    call.attempts.push(attempt);
    try {
      const result = await next(args);
      try {
        attempt.respondedAt = clock.now();
        capture(attempt, result.response);
      } catch (error) {
        onError(error);
      }
      return result;
    } catch (error) {
      try {
        attempt.respondedAt = clock.now();
        attempt.error = error;
        capture(attempt, (error as { $response?: unknown } | null)?.$response);
      } catch (ours) {
        onError(ours);
      }
      throw error;
    }
  };
}
