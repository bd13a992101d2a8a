import { join, resolve } from 'node:path';

import { loadAgentConfig, type AgentConfig, type AgentDefinition } from '@bedrock-usage/di';

/**
 * The cloud engineer agent: what makes it differ from the other four agents (id, default model, call shape, role).
 *
 * @example
 * DEFINITION.callShape; // 'InvokeModel'
 */
export const DEFINITION: AgentDefinition = {
  agentId: 'cloud-engineer',
  // Anthropic Claude: the Anthropic messages API body via InvokeModel
  defaultModel: 'us.anthropic.claude-3-7-sonnet-20250219-v1:0',
  callShape: 'InvokeModel',
  rolePrompt:
    'You are the cloud engineer of an incident response team. From the incident notes you are given, name the AWS resources most likely involved, the change or failure that best explains the symptoms, and the next two safe diagnostic or mitigation steps. Be concrete and brief; say what you are unsure of.',
  maxTokens: 512,
};

/** The repository root (apps/agents/cloud-engineer/src → ../../../..): home of the default data directory `.bedrock-usage/`. */
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
