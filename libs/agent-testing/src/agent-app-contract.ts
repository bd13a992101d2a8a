import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Container } from 'inversify';

import type { AgentDefinition } from '@bedrock-usage/agent-runtime';
import { UsageError } from '@bedrock-usage/core';
import { agentModelVariable, createAgentHandler, domainModule, storeModule, TOKENS, type AgentApp, type AgentConfig } from '@bedrock-usage/di';
import { startDynalite, type DynaliteServer } from '@bedrock-usage/testing';
import { startBedrockStandIn, type BedrockStandIn } from '@bedrock-usage/stand-ins';

/**
 * What every agent app must do, run by each app's own test (the five apps differ only in their definition): a task
 * through the real Lambda handler against the Bedrock stand-in and dynalite gives one priced event of the agent's call
 * shape on its default model, stored and written as an EMF line; the model variable overrides the model and a bad
 * one stops start-up naming it.
 */
export function describeAgentApp({ app, definition, loadConfig }: { app: AgentApp; definition: AgentDefinition; loadConfig: (env: NodeJS.ProcessEnv) => AgentConfig }): void {
  const { agentId, callShape, defaultModel } = definition;
  describe(`the ${agentId} agent`, () => {
    let standIn: BedrockStandIn;
    let dynamo: DynaliteServer;
    let dir: string;
    beforeAll(async () => {
      [standIn, dynamo] = await Promise.all([startBedrockStandIn(), startDynalite()]);
      dir = mkdtempSync(join(tmpdir(), `agent-${agentId}-`));
    });
    afterAll(async () => {
      await Promise.all([standIn.close(), dynamo.close()]);
      rmSync(dir, { recursive: true, force: true });
    });

    it(`runs a task through its Lambda handler: one priced ${callShape} event on its default model, stored and in the EMF file`, async () => {
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
      expect(result).toMatchObject({ agentId, modelId: defaultModel, callShape });
      const store = new Container();
      store.load(domainModule(), storeModule({ tableName: 'agent-smoke', region: 'us-east-1', endpoint: dynamo.endpoint }));
      const events = await (await store.getAsync(TOKENS.UsageStoreReader)).eventsOfIncident('INC-SMOKE-1');
      await store.get(TOKENS.StoreShutdown)();
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ agentId, incidentId: 'INC-SMOKE-1', api: callShape, modelId: defaultModel, outcome: 'success' });
      expect(events[0].cost).not.toBeNull();
      expect(readFileSync(join(dir, 'emf.log'), 'utf8')).toContain(`"event_id":"${events[0].eventId}"`);
    });

    it(`takes its model from ${agentModelVariable(agentId)} and stops start-up on a bad one`, () => {
      // Act
      const variable = agentModelVariable(agentId);
      const configured = loadConfig({ [variable]: 'us.amazon.nova-pro-v1:0' });
      const bad = (): unknown => loadConfig({ [variable]: 'not a model' });
      // Assess
      expect(configured.model).toBe('us.amazon.nova-pro-v1:0');
      expect(bad).toThrow(UsageError);
      expect(bad).toThrow(`${variable}="not a model"`);
    });
  });
}
