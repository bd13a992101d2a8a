import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Container } from 'inversify';

import { UsageError } from '@bedrock-usage/core';
import { createAgentHandler, domainModule, storeModule, TOKENS } from '@bedrock-usage/di';
import { startBedrockStandIn, startDynalite, type BedrockStandIn, type DynaliteServer } from '@bedrock-usage/testing';

import { DEFINITION, loadConfig, MODEL_VARIABLE } from '../src/config';
import { app } from '../src/main';

describe('the knowledge-base agent', () => {
  let standIn: BedrockStandIn;
  let dynamo: DynaliteServer;
  let dir: string;
  beforeAll(async () => {
    [standIn, dynamo] = await Promise.all([startBedrockStandIn(), startDynalite()]);
    dir = mkdtempSync(join(tmpdir(), 'agent-knowledge-base-'));
  });
  afterAll(async () => {
    await Promise.all([standIn.close(), dynamo.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a task through its Lambda handler: one priced Converse event on its default model, stored and in the EMF file', async () => {
    // Prepare
    const env = {
      BEDROCK_USAGE_BEDROCK_ENDPOINT: standIn.endpoint,
      BEDROCK_USAGE_DYNAMODB_ENDPOINT: dynamo.endpoint,
      BEDROCK_USAGE_TABLE: 'agent-smoke',
      BEDROCK_USAGE_EMF_FILE: join(dir, 'emf.log'),
      BEDROCK_USAGE_SPOOL_DIR: join(dir, 'spool'),
      BEDROCK_USAGE_HEARTBEAT_INTERVAL_MS: '0',
      AWS_REGION: 'us-east-1',
    };
    const handler = createAgentHandler(app, env);
    // Act
    const result = await handler({ incidentId: 'INC-SMOKE-1', input: 'Checkout p99 latency doubled since 09:10 UTC.' }, { getRemainingTimeInMillis: () => 60_000 });
    // Assess
    expect(result).toMatchObject({ agentId: 'knowledge-base', modelId: DEFINITION.defaultModel, callShape: 'Converse' });
    const store = new Container();
    store.load(domainModule(), storeModule({ tableName: 'agent-smoke', region: 'us-east-1', endpoint: dynamo.endpoint }));
    const events = await (await store.getAsync(TOKENS.UsageStoreReader)).eventsOfIncident('INC-SMOKE-1');
    await store.get(TOKENS.StoreShutdown)();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ agentId: 'knowledge-base', incidentId: 'INC-SMOKE-1', api: 'Converse', modelId: DEFINITION.defaultModel, outcome: 'success' });
    expect(events[0].cost).not.toBeNull();
    expect(readFileSync(join(dir, 'emf.log'), 'utf8')).toContain(`"event_id":"${events[0].eventId}"`);
  });

  it('takes its model from BEDROCK_USAGE_KNOWLEDGE_BASE_MODEL and stops start-up on a bad one', () => {
    // Act
    const configured = loadConfig({ [MODEL_VARIABLE]: 'us.amazon.nova-pro-v1:0' });
    const bad = (): unknown => loadConfig({ [MODEL_VARIABLE]: 'not a model' });
    // Assess
    expect(MODEL_VARIABLE).toBe('BEDROCK_USAGE_KNOWLEDGE_BASE_MODEL');
    expect(configured.model).toBe('us.amazon.nova-pro-v1:0');
    expect(bad).toThrow(UsageError);
    expect(bad).toThrow('BEDROCK_USAGE_KNOWLEDGE_BASE_MODEL="not a model"');
  });
});
