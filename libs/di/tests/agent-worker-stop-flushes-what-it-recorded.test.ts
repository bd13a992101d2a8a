import { runAgentWorker, type AgentDefinition } from '../src';

import { AgentRig } from './support/agent-rig';

const KNOWLEDGE_BASE: AgentDefinition = { agentId: 'stop-knowledge-base', defaultModel: 'us.amazon.nova-lite-v1:0', callShape: 'Converse', rolePrompt: 'You search the knowledge base.' };

describe('a stop request (SIGTERM/SIGINT) to the long-running worker', () => {
  let rig: AgentRig;
  beforeAll(async () => {
    rig = await AgentRig.start();
  });
  afterAll(() => rig.close());

  it('stops waiting for tasks and delivers what was recorded before exiting', async () => {
    // Prepare: a queue that yields one task, then stays open (like an idle stdin); no timer flush during the test
    const env = rig.env({ BEDROCK_USAGE_FLUSH_INTERVAL_MS: '3600000' });
    let stop: () => void = () => undefined;
    let firstDone: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (firstDone = resolve));
    async function* queue(): AsyncIterable<string> {
      yield JSON.stringify({ incidentId: 'INC-STOP-1', input: 'Which runbook covers a full disk?' });
      await new Promise<never>(() => undefined);
    }
    const log: string[] = [];
    // Act
    const exit = runAgentWorker(rig.app(KNOWLEDGE_BASE), env, {
      tasks: queue(),
      log: (line) => {
        log.push(line);
        if (line.includes('"task done"')) firstDone();
      },
      onStop: (requested) => (stop = requested),
    });
    await done;
    stop();
    const code = await exit;
    // Assess
    expect(code).toBe(0);
    expect(await rig.storedEvents(env, 'INC-STOP-1')).toHaveLength(1);
    expect(log.at(-1)).toContain('"usage pipeline shut down"');
    expect(JSON.parse(log.at(-1) ?? '{}')).toMatchObject({ flushed: true, dropped: 0 });
  });
});
