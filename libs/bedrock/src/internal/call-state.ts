import { AsyncLocalStorage } from 'node:async_hooks';

import type { BedrockApi, UsageContext } from '@bedrock-usage/core';

/** One HTTP attempt of a call (the SDK retries throttling and transient errors with new requests). */
export interface Attempt {
  readonly startedAt: number;
  respondedAt?: number;
  statusCode?: number;
  headers?: Readonly<Record<string, string>>;
  error?: unknown;
}

/** One tracked `send`, from the agent's call to the end of its stream. */
export interface CallState {
  readonly api: BedrockApi;
  readonly modelId: string;
  readonly context: UsageContext | undefined;
  readonly attempts: Attempt[];
}

/** Carries the call of a `send` to the middleware running inside it (per tracked client). */
export type CallStorage = AsyncLocalStorage<CallState>;

export function createCallStorage(): CallStorage {
  return new AsyncLocalStorage<CallState>();
}

/** Response headers as a plain record of strings (names as the HTTP handler gave them: lower case). */
export function plainHeaders(raw: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  if (typeof raw !== 'object' || raw === null) return headers;
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof value === 'string') headers[name] = value;
    else if (Array.isArray(value)) headers[name] = value.join(', ');
    else if (typeof value === 'number') headers[name] = String(value);
  }
  return headers;
}

export function requestIdOf(headers: Readonly<Record<string, string>> | undefined): string | undefined {
  if (!headers) return undefined;
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === 'x-amzn-requestid' && value) return value;
  }
  return undefined;
}
