import type { AgentDefinition } from '../src';
import { runAgentWorker } from '../src';

import { AgentRig, lines } from './support/agent-rig';

/** One definition per call shape, over four model families (as the five agent apps are). */
const DEFINITIONS: readonly AgentDefinition[] = [
  { agentId: 'shape-invoke', defaultModel: 'us.anthropic.claude-3-7-sonnet-20250219-v1:0', callShape: 'InvokeModel', rolePrompt: 'You are a cloud engineer.' },
  { agentId: 'shape-invoke-stream', defaultModel: 'us.meta.llama3-1-70b-instruct-v1:0', callShape: 'InvokeModelWithResponseStream', rolePrompt: 'You analyse errors.' },
  { agentId: 'shape-converse', defaultModel: 'us.amazon.nova-lite-v1:0', callShape: 'Converse', rolePrompt: 'You search the knowledge base.' },
  { agentId: 'shape-converse-stream', defaultModel: 'us.anthropic.claude-3-5-haiku-20241022-v1:0', callShape: 'ConverseStream', rolePrompt: 'You write Jira tickets.' },
  { agentId: 'shape-invoke-nova', defaultModel: 'amazon.nova-micro-v1:0', callShape: 'InvokeModel', rolePrompt: 'You run operations.' },
  { agentId: 'shape-stream-mistral', defaultModel: 'mistral.mistral-large-2402-v1:0', callShape: 'InvokeModelWithResponseStream', rolePrompt: 'You run operations.' },
];

describe('an agent task against the Bedrock stand-in', () => {
  let rig: AgentRig;
  beforeAll(async () => {
    rig = await AgentRig.start();
  });
  afterAll(() => rig.close());

  it.each(DEFINITIONS.map((definition) => [definition.callShape, definition.defaultModel, definition] as const))(
    '%s on %s produces exactly one priced usage event, stored in DynamoDB and written as an EMF line',
    async (callShape, model, definition) => {
      // Prepare
      const env = rig.env();
      const incidentId = `INC-${definition.agentId}`;
      const answersBefore = rig.answers.length;
      const log: string[] = [];
      // Act
      const code = await runAgentWorker(rig.app(definition), env, {
        tasks: lines({ incidentId, input: 'Checkout p99 latency doubled since 09:10 UTC; what changed?' }),
        log: (line) => log.push(line),
        onStop: () => undefined,
      });
      // Assess: one call reached the stand-in, and its tokens are the event's
      expect(code).toBe(0);
      expect(rig.answers.length - answersBefore).toBe(1);
      const reported = rig.answers[answersBefore];
      const stored = await rig.storedEvents(env, incidentId);
      expect(stored).toHaveLength(1);
      const [event] = stored;
      expect(event).toMatchObject({ agentId: definition.agentId, incidentId, api: callShape, modelId: model, outcome: 'success' });
      expect(event.usage).toMatchObject({ inputTokens: reported.inputTokens, outputTokens: reported.outputTokens });
      expect(event.usage.inputTokens).toBeGreaterThan(0);
      expect(event.cost?.total).toBeGreaterThan(0n);
      expect(event.flags).not.toContain('unpriced');
      const emf = rig.emfUsageLines(env);
      expect(emf).toHaveLength(1);
      expect(emf[0]).toMatchObject({
        event_id: event.eventId,
        agent_id: definition.agentId,
        incident_id: incidentId,
        model_id: model,
        input_tokens: reported.inputTokens,
        output_tokens: reported.outputTokens,
      });
      expect(log.some((line) => line.includes('"task done"'))).toBe(true);
    },
  );

  it('never logs the task input or the completion', async () => {
    // Prepare
    const env = rig.env();
    const log: string[] = [];
    // Act
    await runAgentWorker(rig.app(DEFINITIONS[3]), env, {
      tasks: lines({ incidentId: 'INC-quiet', input: 'SECRET-PROMPT-MARKER' }, { incidentId: 'INC-quiet', input: 42 }),
      log: (line) => log.push(line),
      onStop: () => undefined,
    });
    // Assess: the second line was refused by field name, and no text of the prompt or the answer was logged
    const text = log.join('\n');
    expect(text).toContain('"task failed"');
    expect(text).toContain('task \\"input\\" must be');
    expect(text).not.toContain('SECRET-PROMPT-MARKER');
    expect(text).not.toContain('health check');
  });
});
