import { field, isRecord } from './json-value';

const MAX_NAME_LENGTH = 100;

/**
 * Normalises an exception name: up to the first colon (`ThrottlingException:http://internal…`), after the last
 * `#` (`com.amazonaws.bedrock#ValidationException`), trimmed, first letter upper-cased
 * (`throttlingException` → `ThrottlingException`). Undefined when nothing is left.
 */
export function normaliseExceptionName(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  let name = raw;
  const colon = name.indexOf(':');
  if (colon !== -1) name = name.slice(0, colon);
  const hash = name.lastIndexOf('#');
  if (hash !== -1) name = name.slice(hash + 1);
  name = name.trim();
  if (name.length === 0) return undefined;
  if (name.length > MAX_NAME_LENGTH) name = name.slice(0, MAX_NAME_LENGTH);
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** The exception name a body carries in `__type`, `code` or `name` (AWS JSON protocol error shapes). */
export function exceptionNameFromBody(body: unknown): string | undefined {
  if (!isRecord(body)) return undefined;
  return (
    normaliseExceptionName(field(body, '__type')) ??
    normaliseExceptionName(field(body, 'code')) ??
    normaliseExceptionName(field(body, 'name'))
  );
}

/**
 * The exception Bedrock documents for an HTTP status (API_runtime_InvokeModel.html, "Errors"); other statuses
 * give `Http<status>Exception`.
 */
export function exceptionNameFromStatus(statusCode: number): string {
  switch (statusCode) {
    case 400:
      return 'ValidationException';
    case 403:
      return 'AccessDeniedException';
    case 404:
      return 'ResourceNotFoundException';
    case 408:
      return 'ModelTimeoutException';
    case 424:
      return 'ModelErrorException';
    case 429:
      return 'ThrottlingException';
    case 500:
      return 'InternalServerException';
    case 503:
      return 'ServiceUnavailableException';
    default:
      return `Http${statusCode}Exception`;
  }
}

/** One stream element that is an exception event: its normalised name and its payload. */
export interface StreamException {
  readonly name: string;
  readonly payload: unknown;
}

/**
 * An element whose only key (padding `p` aside) names an exception event, e.g. `{"throttlingException": {…}}`,
 * `{"ThrottlingException": {…}}` or `{"modelStreamErrorException": {…}}`.
 */
export function streamException(element: unknown): StreamException | undefined {
  if (!isRecord(element)) return undefined;
  let only: string | undefined;
  for (const key of Object.keys(element)) {
    if (key === 'p') continue;
    if (only !== undefined) return undefined;
    only = key;
  }
  if (only === undefined || only.length <= 9) return undefined;
  if (only.slice(-9).toLowerCase() !== 'exception') return undefined;
  const name = normaliseExceptionName(only);
  return name === undefined ? undefined : { name, payload: element[only] };
}
