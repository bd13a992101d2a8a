import { createAgentHandler, type AgentDefinition } from '../src';

import { AgentRig } from './support/agent-rig';

const OPERATIONS: AgentDefinition = { agentId: 'lambda-operations', defaultModel: 'amazon.nova-micro-v1:0', callShape: 'InvokeModel', rolePrompt: 'You run operations.' };

describe('the agent Lambda handler', () => {
  let rig: AgentRig;
  beforeAll(async () => {
    rig = await AgentRig.start();
  });
  afterAll(() => rig.close());

  it('returns only after the task\'s usage event is stored (the pipeline is flushed in finally)', async () => {
    // Prepare: a flush interval far beyond the test, so only the handler's flush can deliver the event
    const env = rig.env({ BEDROCK_USAGE_FLUSH_INTERVAL_MS: '3600000', AWS_LAMBDA_FUNCTION_NAME: 'agent-operations' });
    const handler = createAgentHandler(rig.app(OPERATIONS), env);
    const context = { getRemainingTimeInMillis: () => 60_000 };
    // Act
    const result = await handler({ incidentId: 'INC-LAMBDA-1', input: 'Is the queue backlog draining?' }, context);
    // Assess
    expect(result).toMatchObject({ agentId: 'lambda-operations', incidentId: 'INC-LAMBDA-1', modelId: 'amazon.nova-micro-v1:0', callShape: 'InvokeModel' });
    expect(result.answer.length).toBeGreaterThan(0);
    const stored = await rig.storedEvents(env, 'INC-LAMBDA-1');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ agentId: 'lambda-operations', api: 'InvokeModel' });
    expect(rig.emfUsageLines(env)).toHaveLength(1);
  });

  it('flushes also when the task is refused, and the next invocation reuses the composition', async () => {
    // Prepare
    const env = rig.env({ BEDROCK_USAGE_FLUSH_INTERVAL_MS: '3600000', AWS_LAMBDA_FUNCTION_NAME: 'agent-operations' });
    const handler = createAgentHandler(rig.app(OPERATIONS), env);
    const context = { getRemainingTimeInMillis: () => 60_000 };
    await handler({ incidentId: 'INC-LAMBDA-2', input: 'First task.' }, context);
    // Act
    const refused = handler({ incidentId: 'INC-LAMBDA-2' }, context);
    // Assess
    await expect(refused).rejects.toThrow('task "input" must be');
    await handler({ incidentId: 'INC-LAMBDA-2', input: 'Second task.' }, context);
    expect(await rig.storedEvents(env, 'INC-LAMBDA-2')).toHaveLength(2);
  });
});
