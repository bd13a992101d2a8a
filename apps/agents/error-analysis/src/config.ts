import { join, resolve } from 'node:path';

import { loadAgentConfig, type AgentConfig, type AgentDefinition } from '@bedrock-usage/di';

/**
 * The error analysis agent: what makes it differ from the other four agents (id, default model, call shape, role).
 *
 * @example
 * DEFINITION.callShape; // 'InvokeModelWithResponseStream'
 */
export const DEFINITION: AgentDefinition = {
  agentId: 'error-analysis',
  // Meta Llama: the native prompt body, streamed
  defaultModel: 'us.meta.llama3-1-70b-instruct-v1:0',
  callShape: 'InvokeModelWithResponseStream',
  rolePrompt:
    'You are the error-analysis agent of an incident response team. From the error messages, stack traces and log excerpts you are given, group the errors by probable root cause, order the groups by impact, and name the first failing component.',
  maxTokens: 512,
};

/** The repository root (apps/agents/error-analysis/src → ../../../..): home of the default data directory `.bedrock-usage/`. */
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
