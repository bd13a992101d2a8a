import { join, resolve } from 'node:path';

import { loadAgentConfig, type AgentConfig, type AgentDefinition } from '@bedrock-usage/di';

/**
 * The Jira agent: what makes it differ from the other four agents (id, default model, call shape, role).
 *
 * @example
 * DEFINITION.callShape; // 'ConverseStream'
 */
export const DEFINITION: AgentDefinition = {
  agentId: 'jira',
  // Anthropic Claude via ConverseStream
  defaultModel: 'us.anthropic.claude-3-5-haiku-20241022-v1:0',
  callShape: 'ConverseStream',
  rolePrompt:
    'You are the Jira agent of an incident response team. Turn the findings you are given into a Jira ticket: a one-line summary, impact, timeline, suspected cause, and action items with owners as placeholders. Use plain text, no markup.',
  maxTokens: 512,
};

/** The repository root (apps/agents/jira/src → ../../../..): home of the default data directory `.bedrock-usage/`. */
const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..');

/**
 * The only place this agent reads `process.env`, once at start: its model variable (`agentModelVariable`) and the
 * shared agent settings
 * (store, Bedrock endpoint, sinks, files, spool, namespace, timings — see the README). A bad value throws
 * `UsageError('INVALID_CONFIG')` naming the variable, the value and what is allowed.
 *
 * @example
 * const config = loadConfig(process.env);
 */
export function loadConfig(env: NodeJS.ProcessEnv): AgentConfig {
  return loadAgentConfig(env, { definition: DEFINITION, defaultDataDir: join(REPO_ROOT, '.bedrock-usage') });
}
