import { join, resolve } from 'node:path';

import { loadAgentConfig, type AgentConfig, type AgentDefinition } from '@bedrock-usage/di';

/**
 * The knowledge base agent: what makes it differ from the other four agents (id, default model, call shape, role).
 *
 * @example
 * DEFINITION.callShape; // 'Converse'
 */
export const DEFINITION: AgentDefinition = {
  agentId: 'knowledge-base',
  // Amazon Nova via Converse
  defaultModel: 'us.amazon.nova-lite-v1:0',
  callShape: 'Converse',
  rolePrompt:
    'You are the knowledge-base agent of an incident response team. For the question you are given, point to the runbooks, past incidents and documentation sections that apply, and summarise what each says about this situation. Never invent a document: say when nothing fits.',
  maxTokens: 512,
};

/** The repository root (apps/agents/knowledge-base/src → ../../../..): home of the default data directory `.bedrock-usage/`. */
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
