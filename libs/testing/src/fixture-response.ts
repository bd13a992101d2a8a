import type { BedrockFixture } from './bedrock-fixtures';
import type { ConverseStreamEventName, StandInResponse, StandInStreamEvent } from '@bedrock-usage/stand-ins';

/**
 * The stand-in answer that replays a shared Bedrock fixture: its status, headers and body; the stream fixtures'
 * decoded events become event-stream messages again (chunks for InvokeModelWithResponseStream, union members for
 * ConverseStream; `{"<name>Exception": {message}}` elements become exception events).
 *
 * @example
 * const fixture = loadBedrockFixtures().find((f) => f.id.startsWith('08-'))!;
 * standIn.respondWith(() => fixtureResponse(fixture));
 */
export function fixtureResponse(fixture: BedrockFixture): StandInResponse {
  if (fixture.statusCode === 200 && Array.isArray(fixture.body)) {
    const events = fixture.body as readonly object[];
    const stream: StandInStreamEvent[] = events.map((element) => {
      if (fixture.api === 'InvokeModelWithResponseStream') return { chunk: element };
      const [name, payload] = Object.entries(element)[0] ?? ['metadata', {}];
      if (/Exception$/.test(name)) return { exception: name, message: String((payload as { message?: unknown }).message ?? '') };
      return { event: name as ConverseStreamEventName, payload: payload as object };
    });
    return { stream, headers: fixture.headers };
  }
  return { status: fixture.statusCode, headers: fixture.headers, body: fixture.body };
}
