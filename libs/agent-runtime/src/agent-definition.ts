import { BEDROCK_APIS, UsageError, type BedrockApi } from '@bedrock-usage/core';

/**
 * The four Bedrock runtime call shapes an agent can use: core's `BedrockApi`, the `api` of its usage events.
 *
 * @example
 * const shape: CallShape = 'ConverseStream';
 */
export type CallShape = BedrockApi;

/**
 * Every {@link CallShape}, in a stable order (core's `BEDROCK_APIS`).
 *
 * @example
 * CALL_SHAPES.includes('Converse'); // true
 */
export const CALL_SHAPES: readonly CallShape[] = BEDROCK_APIS;

/**
 * What makes one agent different from another: the five agent apps differ in this only.
 *
 * @example
 * const jira: AgentDefinition = {
 *   agentId: 'jira',
 *   defaultModel: 'us.anthropic.claude-3-5-haiku-20241022-v1:0',
 *   callShape: 'ConverseStream',
 *   rolePrompt: 'You turn incident findings into Jira tickets.',
 * };
 */
export interface AgentDefinition {
  /** The `AgentId` of every usage event of this agent (metric dimension, report breakdown). */
  readonly agentId: string;
  /** The Bedrock model id (or inference profile id / ARN) used unless the app's config overrides it. */
  readonly defaultModel: string;
  /** The system prompt of the agent's role. Sent to Bedrock, never logged. */
  readonly rolePrompt: string;
  /** Which runtime API the agent calls. */
  readonly callShape: CallShape;
  /**
   * The most tokens one answer may have.
   * @default 512
   */
  readonly maxTokens?: number;
}

/**
 * One piece of work: an input in the context of an incident.
 *
 * @example
 * const task: AgentTask = { incidentId: 'INC-20250311-0042', input: 'Checkout p99 latency doubled since 09:10 UTC.' };
 */
export interface AgentTask {
  /** The incident the work is for: every usage event of the task carries it. */
  readonly incidentId: string;
  /** What the agent is asked (a prompt: sent to Bedrock, never logged). */
  readonly input: string;
}

const AGENT_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const INCIDENT_ID = /^[A-Za-z0-9][A-Za-z0-9._:#/-]{0,127}$/;
const MAX_INPUT_CHARS = 100_000;

/**
 * Checks a definition once, at start-up: a bad one throws `UsageError('INVALID_CONFIG')` naming the field.
 *
 * @example
 * validateAgentDefinition({ agentId: 'jira', defaultModel: 'amazon.nova-lite-v1:0', rolePrompt: '…', callShape: 'Converse' });
 */
export function validateAgentDefinition(definition: AgentDefinition): AgentDefinition {
  if (!AGENT_ID.test(definition.agentId)) {
    throw new UsageError('INVALID_CONFIG', `agent id "${definition.agentId}" is not valid — use 1 to 64 characters of a-z, 0-9, ".", "_" or "-", starting with a letter or digit`);
  }
  if (!CALL_SHAPES.includes(definition.callShape)) {
    throw new UsageError('INVALID_CONFIG', `call shape "${String(definition.callShape)}" of agent "${definition.agentId}" is not one of ${CALL_SHAPES.join(', ')}`);
  }
  if (definition.rolePrompt.trim() === '') throw new UsageError('INVALID_CONFIG', `agent "${definition.agentId}" has an empty role prompt`);
  const maxTokens = definition.maxTokens ?? 512;
  if (!Number.isSafeInteger(maxTokens) || maxTokens < 1 || maxTokens > 100_000) {
    throw new UsageError('INVALID_CONFIG', `maxTokens ${String(definition.maxTokens)} of agent "${definition.agentId}" is not valid — use a whole number from 1 to 100000`);
  }
  return definition;
}

/**
 * Reads a task from untrusted input (a JSON line, a Lambda event). The error names the field and what is allowed —
 * and never repeats the input text, which is a prompt.
 *
 * @example
 * const task = parseAgentTask(JSON.parse(line));
 */
export function parseAgentTask(value: unknown): AgentTask {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError('INVALID_INPUT', 'a task is a JSON object {"incidentId": "...", "input": "..."}');
  }
  const { incidentId, input } = value as Record<string, unknown>;
  if (typeof incidentId !== 'string' || !INCIDENT_ID.test(incidentId)) {
    throw new UsageError('INVALID_INPUT', 'task "incidentId" must be 1 to 128 characters of A-Z, a-z, 0-9 and ._:#/- (e.g. INC-20250311-0042)');
  }
  if (typeof input !== 'string' || input.trim() === '' || input.length > MAX_INPUT_CHARS) {
    throw new UsageError('INVALID_INPUT', `task "input" must be a non-empty string of at most ${MAX_INPUT_CHARS} characters`);
  }
  return { incidentId, input };
}
