import { UsageError } from '@bedrock-usage/core';

import { loadAgentConfig, runAgentWorker, type AgentDefinition } from '../src';

const JIRA: AgentDefinition = { agentId: 'jira', defaultModel: 'us.anthropic.claude-3-5-haiku-20241022-v1:0', callShape: 'ConverseStream', rolePrompt: 'You write Jira tickets.' };
const defaults = { definition: JIRA, modelVariable: 'BEDROCK_USAGE_JIRA_MODEL', defaultDataDir: '/tmp/bedrock-usage-config-test' };

describe('loadAgentConfig', () => {
  it('uses the defaults when nothing is set: embedded store, EMF on stdout, store and EMF sinks, a file spool per agent', () => {
    // Act
    const config = loadAgentConfig({}, defaults);
    // Assess
    expect(config.model).toBe(JIRA.defaultModel);
    expect(config.store.location.kind).toBe('embedded');
    expect(config.pipeline).toEqual({
      agentId: 'jira',
      region: 'us-east-1',
      namespace: 'BedrockUsage',
      sinks: ['store', 'emf'],
      spool: { kind: 'file', dir: '/tmp/bedrock-usage-config-test/spool/jira' },
      shutdownDeadlineMs: 5000,
      flushIntervalMs: 1000,
      breakerResetMs: 60000,
      heartbeatIntervalMs: 15000,
    });
  });

  it('reads a fallback chain for the agent\'s model (Runbook 2)', () => {
    // Act
    const config = loadAgentConfig({ BEDROCK_USAGE_JIRA_FALLBACK_MODELS: 'us.amazon.nova-pro-v1:0, mistral.mistral-large-2402-v1:0' }, defaults);
    // Assess
    expect(config.pipeline.fallbacks).toEqual({ [JIRA.defaultModel]: ['us.amazon.nova-pro-v1:0', 'mistral.mistral-large-2402-v1:0'] });
  });

  it('switches to AWS by configuration only; on Lambda it spools to stdout and beats no heartbeat', () => {
    // Act
    const config = loadAgentConfig(
      { AWS_REGION: 'eu-central-1', AWS_ACCESS_KEY_ID: 'AKIA', BEDROCK_USAGE_TABLE: 'usage-prod', BEDROCK_USAGE_NAMESPACE: 'Agents/Prod', BEDROCK_USAGE_SINKS: 'store,log', AWS_LAMBDA_FUNCTION_NAME: 'jira', BEDROCK_USAGE_JIRA_MODEL: 'eu.amazon.nova-pro-v1:0' },
      defaults,
    );
    // Assess
    expect(config.model).toBe('eu.amazon.nova-pro-v1:0');
    expect(config.store).toEqual({ region: 'eu-central-1', tableName: 'usage-prod', location: { kind: 'dynamodb' } });
    expect(config.pipeline).toMatchObject({ region: 'eu-central-1', namespace: 'Agents/Prod', sinks: ['store', 'log'], spool: { kind: 'stdout' }, heartbeatIntervalMs: 0 });
    expect(config.pipeline.bedrockEndpoint).toBeUndefined();
  });

  it.each([
    ['BEDROCK_USAGE_BEDROCK_ENDPOINT', 'localhost:4010', 'is not an http(s) URL'],
    ['BEDROCK_USAGE_SINKS', 'store,kafka', 'use a comma-separated subset of store, emf, log'],
    ['BEDROCK_USAGE_SINKS', '', 'with at least one'],
    ['BEDROCK_USAGE_NAMESPACE', 'AWS/Bedrock', 'is not a custom CloudWatch namespace'],
    ['BEDROCK_USAGE_EMF_FILE', '/var/log/', 'is not a file path'],
    ['BEDROCK_USAGE_LOG_FILE', '/var/log/', 'is not a file path'],
    ['BEDROCK_USAGE_SPOOL', 'kafka', 'use file'],
    ['BEDROCK_USAGE_SHUTDOWN_DEADLINE_MS', '5s', 'whole number of milliseconds from 100 to 600000'],
    ['BEDROCK_USAGE_FLUSH_INTERVAL_MS', '0', 'whole number of milliseconds from 10'],
    ['BEDROCK_USAGE_HEARTBEAT_INTERVAL_MS', '500', 'use 0 (off)'],
    ['BEDROCK_USAGE_BREAKER_RESET_MS', '10', 'whole number of milliseconds from 1000 to 3600000'],
    ['BEDROCK_USAGE_JIRA_FALLBACK_MODELS', 'nova pro', 'is not a list of fallback models'],
    ['BEDROCK_USAGE_JIRA_FALLBACK_MODELS', 'us.anthropic.claude-3-5-haiku-20241022-v1:0', 'other than the agent\'s own model'],
    ['BEDROCK_USAGE_JIRA_MODEL', 'claude 3', 'is not a Bedrock model id'],
    ['AWS_REGION', 'mars-1', 'is not an AWS region'],
  ])('stops start-up on %s="%s", naming the variable, the value and what is allowed', (name, value, allowed) => {
    // Act
    const load = (): unknown => loadAgentConfig({ [name]: value }, defaults);
    // Assess
    expect(load).toThrow(UsageError);
    expect(load).toThrow(`${name}="${value}"`);
    expect(load).toThrow(allowed);
  });

  it('the worker does not start on a bad value: exit code 2, the message logged', async () => {
    // Prepare
    const log: string[] = [];
    let composed = false;
    // Act
    const code = await runAgentWorker(
      {
        loadConfig: (env) => loadAgentConfig(env, defaults),
        createContainer: () => {
          composed = true;
          throw new Error('must not be reached');
        },
      },
      { BEDROCK_USAGE_SINKS: 'kafka' },
      { tasks: (async function* () {})(), log: (line) => log.push(line), onStop: () => undefined },
    );
    // Assess
    expect(code).toBe(2);
    expect(composed).toBe(false);
    expect(log.join('\n')).toContain('BEDROCK_USAGE_SINKS=\\"kafka\\"');
  });
});
