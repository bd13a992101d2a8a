import { join, resolve } from 'node:path';

import { validateAgentDefinition, type AgentDefinition } from '@bedrock-usage/agent-runtime';
import { UsageError } from '@bedrock-usage/core';

import { loadUsageStoreConfig, type UsageStoreConfig } from './store-config';

/**
 * The sinks an agent's pipeline can fan out to: the usage store (DynamoDB), EMF metric lines, JSON log lines.
 *
 * @example
 * const sinks: readonly AgentSinkName[] = ['store', 'emf'];
 */
export type AgentSinkName = 'store' | 'emf' | 'log';

const SINK_NAMES: readonly AgentSinkName[] = ['store', 'emf', 'log'];

/**
 * Where an agent's undeliverable events wait: files in a directory (`FileSpool`), or marked stdout lines on Lambda
 * (`StdoutSpool`: `/tmp` dies with the environment).
 *
 * @example
 * const spool: AgentSpoolLocation = { kind: 'file', dir: '/var/lib/bedrock-usage/spool/jira' };
 */
export type AgentSpoolLocation = { readonly kind: 'file'; readonly dir: string } | { readonly kind: 'stdout' };

/**
 * Options of {@link agentPipelineModule}: one agent process's pipeline and tracked Bedrock client, already validated.
 *
 * @example
 * const options: AgentPipelineOptions = { agentId: 'jira', region: 'us-east-1', namespace: 'BedrockUsage', sinks: ['store', 'emf'],
 *   spool: { kind: 'file', dir: '.bedrock-usage/spool/jira' }, shutdownDeadlineMs: 5000, flushIntervalMs: 1000, heartbeatIntervalMs: 15000 };
 */
export interface AgentPipelineOptions {
  /** The process's agent: `LoggingQueueDepth`, breaker trips, heartbeat and calls outside any context. */
  readonly agentId: string;
  /** The Bedrock client's region, and the region calls are priced in. */
  readonly region: string;
  /**
   * BEDROCK_USAGE_BEDROCK_ENDPOINT: a Bedrock runtime endpoint (a local stand-in); requests then carry dummy credentials.
   * @default none (the AWS endpoint of `region`, credentials from the SDK's default chain)
   */
  readonly bedrockEndpoint?: string;
  /** BEDROCK_USAGE_NAMESPACE: the CloudWatch namespace of the EMF lines. */
  readonly namespace: string;
  /** BEDROCK_USAGE_SINKS: the sinks on, each behind its own circuit breaker. */
  readonly sinks: readonly AgentSinkName[];
  /**
   * BEDROCK_USAGE_EMF_FILE: append EMF lines (usage and the pipeline's health) to this file.
   * @default none (stdout: CloudWatch Logs on Lambda and ECS)
   */
  readonly emfFile?: string;
  /**
   * BEDROCK_USAGE_LOG_FILE: append the JSON log lines (when `log` is on) to this file.
   * @default none (stdout)
   */
  readonly logFile?: string;
  /** BEDROCK_USAGE_SPOOL / BEDROCK_USAGE_SPOOL_DIR. */
  readonly spool: AgentSpoolLocation;
  /** BEDROCK_USAGE_SHUTDOWN_DEADLINE_MS: shutdown delivers or spools within this. */
  readonly shutdownDeadlineMs: number;
  /** BEDROCK_USAGE_FLUSH_INTERVAL_MS: how often a partial batch goes to the sinks. */
  readonly flushIntervalMs: number;
  /** BEDROCK_USAGE_BREAKER_RESET_MS: how long a sink's open circuit breaker waits before it probes the sink again. */
  readonly breakerResetMs: number;
  /**
   * `BEDROCK_USAGE_<AGENT ID>_FALLBACK_MODELS` (Runbook 2): the models a call moves to, in order, when Bedrock throttles
   * or is unavailable for the agent's model after the SDK's retries; every attempt is accounted.
   * @default none
   */
  readonly fallbacks?: Readonly<Record<string, readonly string[]>>;
  /**
   * BEDROCK_USAGE_HEARTBEAT_INTERVAL_MS: the `StatusReporter` beat into the usage table; 0 = off (the default on
   * Lambda, whose frozen timers would make the process look silent between invocations).
   */
  readonly heartbeatIntervalMs: number;
}

/**
 * An agent app's whole configuration (see {@link loadAgentConfig}).
 *
 * @example
 * const config: AgentConfig = loadAgentConfig(process.env, { definition, defaultDataDir });
 */
export interface AgentConfig {
  readonly definition: AgentDefinition;
  /** The model variable when set, else `definition.defaultModel`. */
  readonly model: string;
  readonly store: UsageStoreConfig;
  readonly pipeline: AgentPipelineOptions;
}

/**
 * What {@link loadAgentConfig} needs besides the environment.
 *
 * @example
 * const defaults: AgentConfigDefaults = { definition, defaultDataDir: '.bedrock-usage' };
 */
export interface AgentConfigDefaults {
  readonly definition: AgentDefinition;
  /** The variable that overrides the agent's model. @default {@link agentModelVariable}(agentId), e.g. BEDROCK_USAGE_JIRA_MODEL */
  readonly modelVariable?: string;
  /** The data directory when BEDROCK_USAGE_DATA_DIR is unset (embedded store, default spool). */
  readonly defaultDataDir: string;
}

const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,2047}$/;
const NAMESPACE = /^[^:][\x20-\x7e]{0,254}$/;

/**
 * The variable that overrides an agent's model: `BEDROCK_USAGE_<AGENT ID>_MODEL`, the id upper-cased with `-` → `_`.
 *
 * @example
 * agentModelVariable('knowledge-base'); // 'BEDROCK_USAGE_KNOWLEDGE_BASE_MODEL'
 */
export function agentModelVariable(agentId: string): string {
  return agentVariable(agentId, 'MODEL');
}

/** `BEDROCK_USAGE_<AGENT ID>_<SUFFIX>`, the id upper-cased with anything else → `_`. */
function agentVariable(agentId: string, suffix: string): string {
  return `BEDROCK_USAGE_${agentId.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_${suffix}`;
}

/**
 * Reads an agent process's settings from `env` once, at start: the store (see `loadUsageStoreConfig`), the model
 * override, the Bedrock endpoint, sinks, files, spool, namespace and timings. A bad or missing value throws
 * `UsageError('INVALID_CONFIG')` naming the variable, the value and what is allowed. Going to AWS is configuration
 * only: unset the local endpoints, set AWS_REGION (and credentials), the table and namespace.
 *
 * @example
 * const config = loadAgentConfig(process.env, { definition: jira, defaultDataDir: '.bedrock-usage' });
 */
export function loadAgentConfig(env: NodeJS.ProcessEnv, defaults: AgentConfigDefaults): AgentConfig {
  const definition = validateAgentDefinition(defaults.definition);
  const store = loadUsageStoreConfig(env, { defaultDataDir: defaults.defaultDataDir });
  const modelVariable = defaults.modelVariable ?? agentModelVariable(definition.agentId);
  const model = env[modelVariable] || definition.defaultModel;
  if (!MODEL_ID.test(model)) {
    throw invalid(`${modelVariable}="${model}" is not a Bedrock model id — use a model id, inference profile id or ARN such as anthropic.claude-3-5-haiku-20241022-v1:0 (default ${definition.defaultModel}); "npm run -s cli -- price --list" lists the priced ones`);
  }
  const fallbackVariable = agentVariable(definition.agentId, 'FALLBACK_MODELS');
  const fallbackModels = modelList(env, fallbackVariable, model);
  const namespace = env.BEDROCK_USAGE_NAMESPACE || 'BedrockUsage';
  if (!NAMESPACE.test(namespace) || namespace.startsWith('AWS/')) {
    throw invalid(`BEDROCK_USAGE_NAMESPACE="${namespace}" is not a custom CloudWatch namespace — use 1 to 255 printable ASCII characters, not starting with ":" or "AWS/" (default BedrockUsage)`);
  }
  const dataDir = env.BEDROCK_USAGE_DATA_DIR || defaults.defaultDataDir;
  const pipeline: AgentPipelineOptions = {
    agentId: definition.agentId,
    region: store.region,
    ...optional('bedrockEndpoint', url(env, 'BEDROCK_USAGE_BEDROCK_ENDPOINT', 'http://127.0.0.1:4010')),
    namespace,
    sinks: sinks(env),
    ...optional('emfFile', filePath(env, 'BEDROCK_USAGE_EMF_FILE', '/var/log/bedrock-usage/emf.log')),
    ...optional('logFile', filePath(env, 'BEDROCK_USAGE_LOG_FILE', '/var/log/bedrock-usage/usage.log')),
    spool: spool(env, join(dataDir, 'spool', definition.agentId)),
    shutdownDeadlineMs: wholeNumber(env, 'BEDROCK_USAGE_SHUTDOWN_DEADLINE_MS', 5000, 100, 600_000),
    flushIntervalMs: wholeNumber(env, 'BEDROCK_USAGE_FLUSH_INTERVAL_MS', 1000, 10, 3_600_000),
    breakerResetMs: wholeNumber(env, 'BEDROCK_USAGE_BREAKER_RESET_MS', 60_000, 1000, 3_600_000),
    ...(fallbackModels.length > 0 ? { fallbacks: { [model]: fallbackModels } } : {}),
    heartbeatIntervalMs: heartbeat(env, onLambda(env) ? 0 : 15_000),
  };
  return { definition, model, store, pipeline };
}

function modelList(env: NodeJS.ProcessEnv, name: string, model: string): readonly string[] {
  const value = env[name] ?? '';
  const models = value.split(',').map((id) => id.trim()).filter((id) => id !== '');
  const bad = models.find((id) => !MODEL_ID.test(id) || id === model);
  if (bad !== undefined || (value.trim() !== '' && models.length === 0)) {
    throw invalid(`${name}="${value}" is not a list of fallback models — use comma-separated Bedrock model or inference profile ids other than the agent's own model ${model}, e.g. us.anthropic.claude-3-5-haiku-20241022-v1:0 (default none)`);
  }
  return [...new Set(models)];
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

function url(env: NodeJS.ProcessEnv, name: string, example: string): string | undefined {
  const value = env[name] || undefined;
  if (value === undefined) return undefined;
  let parsed: URL | undefined;
  try {
    parsed = new URL(value);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw invalid(`${name}="${value}" is not an http(s) URL — use one like ${example}, or unset it for AWS`);
  }
  return value;
}

function filePath(env: NodeJS.ProcessEnv, name: string, example: string): string | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  if (value.trim() === '' || value.includes('\0') || value.endsWith('/')) {
    throw invalid(`${name}="${value}" is not a file path — use a writable file such as ${example}, or unset it for stdout`);
  }
  return resolve(value);
}

function sinks(env: NodeJS.ProcessEnv): readonly AgentSinkName[] {
  const value = env.BEDROCK_USAGE_SINKS ?? 'store,emf';
  const names = value.split(',').map((name) => name.trim()).filter((name) => name !== '');
  const unknown = names.filter((name) => !SINK_NAMES.includes(name as AgentSinkName));
  if (names.length === 0 || unknown.length > 0) {
    throw invalid(`BEDROCK_USAGE_SINKS="${value}" is not a list of sinks — use a comma-separated subset of ${SINK_NAMES.join(', ')} with at least one (default store,emf)`);
  }
  return [...new Set(names as AgentSinkName[])];
}

function spool(env: NodeJS.ProcessEnv, defaultDir: string): AgentSpoolLocation {
  const kind = env.BEDROCK_USAGE_SPOOL || (onLambda(env) ? 'stdout' : 'file');
  if (kind !== 'file' && kind !== 'stdout') {
    throw invalid(`BEDROCK_USAGE_SPOOL="${kind}" is not a spool kind — use file (a directory, BEDROCK_USAGE_SPOOL_DIR) or stdout (marked log lines, for Lambda); default file, stdout on Lambda`);
  }
  if (kind === 'stdout') return { kind };
  const dir = env.BEDROCK_USAGE_SPOOL_DIR || defaultDir;
  if (dir.trim() === '' || dir.includes('\0')) {
    throw invalid(`BEDROCK_USAGE_SPOOL_DIR="${dir}" is not a directory path — use a writable directory, e.g. /var/lib/bedrock-usage/spool (default ${defaultDir})`);
  }
  return { kind, dir: resolve(dir) };
}

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    throw invalid(`${name}="${value}" is not valid — use a whole number of milliseconds from ${min} to ${max} (default ${fallback})`);
  }
  return parsed;
}

/** Lambda sets AWS_LAMBDA_FUNCTION_NAME in every function's environment. */
function onLambda(env: NodeJS.ProcessEnv): boolean {
  return (env.AWS_LAMBDA_FUNCTION_NAME ?? '') !== '';
}

function heartbeat(env: NodeJS.ProcessEnv, fallback: number): number {
  const name = 'BEDROCK_USAGE_HEARTBEAT_INTERVAL_MS';
  const value = env[name];
  if (value === '0') return 0;
  if (value === undefined || value === '') return fallback;
  const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed < 1000 || parsed > 3_600_000) {
    throw invalid(`${name}="${value}" is not valid — use 0 (off) or a whole number of milliseconds from 1000 to 3600000 (default 15000; 0 on Lambda, whose timers freeze between invocations)`);
  }
  return parsed;
}

function invalid(message: string): UsageError {
  return new UsageError('INVALID_CONFIG', message);
}
