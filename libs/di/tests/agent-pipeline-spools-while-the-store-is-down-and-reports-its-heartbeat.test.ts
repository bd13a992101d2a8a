import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

import { DynamoDbProcessStatusStore } from '@bedrock-usage/sinks';
import { localDynamoDbClientConfig, startDynaliteBehindFaultProxy, type DynaliteBehindFaultProxy } from '@bedrock-usage/testing';

import { runAgentWorker, type AgentDefinition } from '../src';

import { AgentRig } from './support/agent-rig';

const OPERATIONS: AgentDefinition = { agentId: 'outage-operations', defaultModel: 'amazon.nova-micro-v1:0', callShape: 'InvokeModel', rolePrompt: 'You run operations.' };
const TASK = { incidentId: 'INC-OUTAGE-1', input: 'Fail over the primary database?' };

describe('an agent whose usage store goes down', () => {
  let rig: AgentRig;
  let local: DynaliteBehindFaultProxy;
  beforeAll(async () => {
    [rig, local] = await Promise.all([AgentRig.start(), startDynaliteBehindFaultProxy()]);
  });
  afterAll(async () => {
    await local.close();
    await rig.close();
  });

  it('keeps the event in its spool (and still writes the EMF line); nothing is dropped', async () => {
    // Prepare: the store is reachable at start-up (table created), refused once the task comes
    const env = rig.env({ BEDROCK_USAGE_DYNAMODB_ENDPOINT: local.proxy.endpoint, BEDROCK_USAGE_SHUTDOWN_DEADLINE_MS: '3000' });
    async function* queue(): AsyncIterable<string> {
      await local.proxy.mode('refuse');
      yield JSON.stringify(TASK);
    }
    const log: string[] = [];
    // Act
    const code = await runAgentWorker(rig.app(OPERATIONS), env, { tasks: queue(), log: (line) => log.push(line), onStop: () => undefined });
    await local.proxy.mode('pass');
    // Assess
    expect(code).toBe(0);
    const [emf] = rig.emfUsageLines(env);
    expect(emf).toMatchObject({ agent_id: 'outage-operations', incident_id: 'INC-OUTAGE-1' });
    const spooled = readFileSync(join(env.BEDROCK_USAGE_DATA_DIR ?? '', 'spool', 'outage-operations', 'DynamoDB.jsonl'), 'utf8');
    expect(spooled).toContain(String(emf['event_id']));
    expect(JSON.parse(log.at(-1) ?? '{}')).toMatchObject({ message: 'usage pipeline shut down', dropped: 0 });
  });
});

describe('an agent with the heartbeat on', () => {
  let rig: AgentRig;
  beforeAll(async () => {
    rig = await AgentRig.start();
  });
  afterAll(() => rig.close());

  it('leaves its last status, marked stopped, in the usage table for "cli breaker status"', async () => {
    // Prepare
    const env = rig.env({ BEDROCK_USAGE_HEARTBEAT_INTERVAL_MS: '1000' });
    async function* queue(): AsyncIterable<string> {
      yield JSON.stringify(TASK);
    }
    // Act
    const code = await runAgentWorker(rig.app(OPERATIONS), env, { tasks: queue(), log: () => undefined, onStop: () => undefined });
    // Assess
    expect(code).toBe(0);
    const client = new DynamoDBClient(localDynamoDbClientConfig(rig.dynamo.endpoint));
    try {
      const statuses = await new DynamoDbProcessStatusStore({ client, tableName: env.BEDROCK_USAGE_TABLE ?? '' }).listStatuses();
      expect(statuses).toHaveLength(1);
      expect(statuses[0]).toMatchObject({ agentId: 'outage-operations', pid: process.pid, stopped: true, breakers: { DynamoDB: 'closed', EMF: 'closed' } });
    } finally {
      client.destroy();
    }
  });
});
