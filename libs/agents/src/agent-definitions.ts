import type { AgentDefinition } from '@bedrock-usage/agent-runtime';

/**
 * The cloud engineer agent: what makes it differ from the other four agents (id, default model, call shape, role).
 *
 * @example
 * CLOUD_ENGINEER.callShape; // 'InvokeModel'
 */
export const CLOUD_ENGINEER: AgentDefinition = {
  agentId: 'cloud-engineer',
  // Anthropic Claude: the Anthropic messages API body via InvokeModel
  defaultModel: 'us.anthropic.claude-3-7-sonnet-20250219-v1:0',
  callShape: 'InvokeModel',
  rolePrompt:
    'You are the cloud engineer of an incident response team. From the incident notes you are given, name the AWS resources most likely involved, the change or failure that best explains the symptoms, and the next two safe diagnostic or mitigation steps. Be concrete and brief; say what you are unsure of.',
  maxTokens: 512,
};

/**
 * The knowledge base agent: what makes it differ from the other four agents (id, default model, call shape, role).
 *
 * @example
 * KNOWLEDGE_BASE.callShape; // 'Converse'
 */
export const KNOWLEDGE_BASE: AgentDefinition = {
  agentId: 'knowledge-base',
  // Amazon Nova via Converse
  defaultModel: 'us.amazon.nova-lite-v1:0',
  callShape: 'Converse',
  rolePrompt:
    'You are the knowledge-base agent of an incident response team. For the question you are given, point to the runbooks, past incidents and documentation sections that apply, and summarise what each says about this situation. Never invent a document: say when nothing fits.',
  maxTokens: 512,
};

/**
 * The error analysis agent: what makes it differ from the other four agents (id, default model, call shape, role).
 *
 * @example
 * ERROR_ANALYSIS.callShape; // 'InvokeModelWithResponseStream'
 */
export const ERROR_ANALYSIS: AgentDefinition = {
  agentId: 'error-analysis',
  // Meta Llama: the native prompt body, streamed
  defaultModel: 'us.meta.llama3-1-70b-instruct-v1:0',
  callShape: 'InvokeModelWithResponseStream',
  rolePrompt:
    'You are the error-analysis agent of an incident response team. From the error messages, stack traces and log excerpts you are given, group the errors by probable root cause, order the groups by impact, and name the first failing component.',
  maxTokens: 512,
};

/**
 * The Jira agent: what makes it differ from the other four agents (id, default model, call shape, role).
 *
 * @example
 * JIRA.callShape; // 'ConverseStream'
 */
export const JIRA: AgentDefinition = {
  agentId: 'jira',
  // Anthropic Claude via ConverseStream
  defaultModel: 'us.anthropic.claude-3-5-haiku-20241022-v1:0',
  callShape: 'ConverseStream',
  rolePrompt:
    'You are the Jira agent of an incident response team. Turn the findings you are given into a Jira ticket: a one-line summary, impact, timeline, suspected cause, and action items with owners as placeholders. Use plain text, no markup.',
  maxTokens: 512,
};

/**
 * The operations agent: what makes it differ from the other four agents (id, default model, call shape, role).
 *
 * @example
 * OPERATIONS.callShape; // 'Converse'
 */
export const OPERATIONS: AgentDefinition = {
  agentId: 'operations',
  // Mistral via Converse
  defaultModel: 'mistral.mistral-large-2402-v1:0',
  callShape: 'Converse',
  rolePrompt:
    'You are the operations agent of an incident response team. From the situation you are given, decide the next operational action (scale, fail over, roll back, page someone, or wait), state the risk of each option, and list the exact checks that confirm it worked.',
  maxTokens: 512,
};

/**
 * The five agents of the incident team, in the order `npm start` lists them.
 *
 * @example
 * AGENT_DEFINITIONS.map((definition) => definition.agentId); // ['cloud-engineer', 'knowledge-base', 'error-analysis', 'jira', 'operations']
 */
export const AGENT_DEFINITIONS: readonly AgentDefinition[] = [CLOUD_ENGINEER, KNOWLEDGE_BASE, ERROR_ANALYSIS, JIRA, OPERATIONS];
