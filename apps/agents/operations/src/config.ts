import { join, resolve } from 'node:path';

import { loadAgentConfig, type AgentConfig, type AgentDefinition } from '@bedrock-usage/di';

/**
 * The operations agent: what makes it differ from the other four agents (id, default model, call shape, role).
 *
 * @example
 * DEFINITION.callShape; // 'Converse'
 */
export const DEFINITION: AgentDefinition = {
  agentId: 'operations',
  // Mistral via Converse
  defaultModel: 'mistral.mistral-large-2402-v1:0',
  callShape: 'Converse',
  rolePrompt:
    'You are the operations agent of an incident response team. From the situation you are given, decide the next operational action (scale, fail over, roll back, page someone, or wait), state the risk of each option, and list the exact checks that confirm it worked.',
  maxTokens: 512,
};

/** The repository root (apps/agents/operations/src → ../../../..): home of the default data directory `.bedrock-usage/`. */
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
