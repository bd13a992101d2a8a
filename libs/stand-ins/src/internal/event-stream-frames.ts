import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

import type { StandInStreamEvent } from '../bedrock-stand-in.types';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

function frame(headers: Record<string, string>, payload: unknown): Uint8Array {
  const encoded: Record<string, { type: 'string'; value: string }> = {};
  for (const [name, value] of Object.entries(headers)) encoded[name] = { type: 'string', value };
  return codec.encode({ headers: encoded, body: fromUtf8(JSON.stringify(payload)) });
}

/** `ThrottlingException` → `throttlingException` (the union member name the SDK expects). */
export function exceptionMemberName(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/**
 * One AWS event-stream message (prelude, headers, JSON payload, CRCs) as Bedrock sends it.
 * A chunk's JSON is carried base64-encoded in `{"bytes": …}` (the SDK's PayloadPart).
 */
export function encodeStreamEvent(event: StandInStreamEvent): Uint8Array {
  if ('chunk' in event) {
    const bytes = Buffer.from(JSON.stringify(event.chunk), 'utf8').toString('base64');
    return frame({ ':event-type': 'chunk', ':content-type': 'application/json', ':message-type': 'event' }, { bytes });
  }
  if ('event' in event) {
    return frame({ ':event-type': event.event, ':content-type': 'application/json', ':message-type': 'event' }, event.payload);
  }
  return frame(
    { ':exception-type': exceptionMemberName(event.exception), ':content-type': 'application/json', ':message-type': 'exception' },
    { message: event.message },
  );
}
