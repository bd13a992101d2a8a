import { defaultBedrockResponder } from '@bedrock-usage/stand-ins';

import { runAgentWorker, type AgentDefinition } from '../src';

import { AgentRig } from './support/agent-rig';

const JIRA: AgentDefinition = { agentId: 'inflight-jira', defaultModel: 'us.anthropic.claude-3-5-haiku-20241022-v1:0', callShape: 'ConverseStream', rolePrompt: 'You write Jira tickets.' };

describe('a stop request while a task is calling Bedrock', () => {
  let rig: AgentRig;
  beforeAll(async () => {
    rig = await AgentRig.start();
  });
  afterAll(() => rig.close());

  it('lets the call finish and records its usage before shutting down', async () => {
    // Prepare: the stand-in tells us when the call is in progress, and answers a little later
    const env = rig.env({ BEDROCK_USAGE_SHUTDOWN_DEADLINE_MS: '60000' });
    let stop: () => void = () => undefined;
    let callArrived: () => void = () => undefined;
    const arrived = new Promise<void>((resolve) => (callArrived = resolve));
    rig.standIn.respondWith(async (request) => {
      callArrived();
      return { ...(await defaultBedrockResponder(request)), delayMs: 50 };
    });
    async function* queue(): AsyncIterable<string> {
      yield JSON.stringify({ incidentId: 'INC-INFLIGHT-1', input: 'Draft the ticket.' });
      await new Promise<never>(() => undefined);
    }
    const log: string[] = [];
    // Act
    const exit = runAgentWorker(rig.app(JIRA), env, { tasks: queue(), log: (line) => log.push(line), onStop: (requested) => (stop = requested) });
    await arrived;
    stop();
    const code = await exit;
    // Assess
    expect(code).toBe(0);
    expect(log.some((line) => line.includes('"stop requested: finishing the task in progress"'))).toBe(true);
    expect(log.some((line) => line.includes('"task done"'))).toBe(true);
    expect(await rig.storedEvents(env, 'INC-INFLIGHT-1')).toHaveLength(1);
  });
});
