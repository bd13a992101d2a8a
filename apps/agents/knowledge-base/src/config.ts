import { join, resolve } from 'node:path';

import { KNOWLEDGE_BASE } from '@bedrock-usage/agents';
import { loadAgentConfig, type AgentConfig, type AgentDefinition } from '@bedrock-usage/di';

/**
 * This agent's id, default model, call shape and role prompt (`@bedrock-usage/agents`, where `npm start` reads them too).
 *
 * @example
 * DEFINITION.agentId; // 'knowledge-base'
 */
export const DEFINITION: AgentDefinition = KNOWLEDGE_BASE;

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
