import { UsageError } from '@bedrock-usage/core';

import { parseAgentTask } from './agent-definition';
import type { AgentRuntime } from './agent-runtime';

/**
 * How one task line ended — ids and sizes only: never the input or the answer (prompt and completion text).
 *
 * @example
 * const outcome: TaskOutcome = { ok: true, line: 1, agentId: 'jira', incidentId: 'INC-1', modelId: 'amazon.nova-lite-v1:0', answerChars: 212 };
 */
export type TaskOutcome =
  | { readonly ok: true; readonly line: number; readonly agentId: string; readonly incidentId: string; readonly modelId: string; readonly answerChars: number }
  | { readonly ok: false; readonly line: number; readonly agentId: string; readonly incidentId?: string; readonly error: string };

/**
 * Options of {@link runTaskWorker}.
 *
 * @example
 * const options: TaskWorkerOptions = { onOutcome: (o) => log(o), stopped: () => stopping };
 */
export interface TaskWorkerOptions {
  /** Told how each line ended (log it: it holds no prompt or completion text). */
  readonly onOutcome: (outcome: TaskOutcome) => void;
  /**
   * Checked before each line: true stops taking tasks.
   * @default never stops before the lines end
   */
  readonly stopped?: () => boolean;
}

/**
 * What {@link runTaskWorker} did.
 *
 * @example
 * const { done, failed } = await runTaskWorker(lines, runtime, { onOutcome });
 */
export interface TaskWorkerSummary {
  readonly done: number;
  readonly failed: number;
}

/**
 * The long-running agent's loop: takes task lines (`{"incidentId": "...", "input": "..."}`, one JSON object per
 * line; blank lines skipped) one at a time from any async source — the app gives it its task queue — and runs each
 * with the runtime. A bad line or a failed call is reported and the loop goes on; it ends when the source ends or
 * `stopped()` says so.
 *
 * @example
 * const summary = await runTaskWorker(readline.createInterface({ input: process.stdin }), runtime, { onOutcome: (o) => console.error(JSON.stringify(o)) });
 */
export async function runTaskWorker(lines: AsyncIterable<string>, runtime: AgentRuntime, options: TaskWorkerOptions): Promise<TaskWorkerSummary> {
  let line = 0;
  let done = 0;
  let failed = 0;
  for await (const text of lines) {
    if (options.stopped?.()) break;
    line += 1;
    if (text.trim() === '') continue;
    let incidentId: string | undefined;
    try {
      const task = parseAgentTask(parseJson(text));
      incidentId = task.incidentId;
      const result = await runtime.runTask(task);
      done += 1;
      options.onOutcome({ ok: true, line, agentId: result.agentId, incidentId: result.incidentId, modelId: result.modelId, answerChars: result.answer.length });
    } catch (error) {
      failed += 1;
      options.onOutcome({ ok: false, line, agentId: runtime.agentId, ...(incidentId === undefined ? {} : { incidentId }), error: describe(error) });
    }
    if (options.stopped?.()) break;
  }
  return { done, failed };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UsageError('INVALID_INPUT', 'the line is not JSON — write one task object per line: {"incidentId": "...", "input": "..."}');
  }
}

/** Our own messages name fields, never contents; a Bedrock error is named by its type and status only. */
function describe(error: unknown): string {
  if (error instanceof UsageError) return `${error.code}: ${error.message}`;
  const name = error instanceof Error ? error.name : typeof error;
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  return status === undefined ? name : `${name} (HTTP ${status})`;
}
