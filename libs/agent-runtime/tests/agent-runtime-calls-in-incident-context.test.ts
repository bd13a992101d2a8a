import { currentUsageContext, UsageError, type UsageContext } from '@bedrock-usage/core';

import { AgentRuntime, runTaskWorker, type AgentDefinition, type ConverseRequest, type InvokeRequest, type ModelPort, type TaskOutcome } from '../src';

/** A port answering like Bedrock would, keeping what it was asked and the usage context of each call. */
class FakeModelPort implements ModelPort {
  readonly calls: { readonly api: string; readonly modelId: string; readonly body?: unknown; readonly context: UsageContext | undefined }[] = [];

  async invokeModel(request: InvokeRequest): Promise<unknown> {
    this.calls.push({ api: 'InvokeModel', modelId: request.modelId, body: JSON.parse(request.body), context: currentUsageContext() });
    return request.modelId.includes('anthropic') ? { content: [{ type: 'text', text: 'Roll back.' }] } : { output: { message: { content: [{ text: 'Roll back.' }] } } };
  }

  async *invokeModelStream(request: InvokeRequest): AsyncIterable<unknown> {
    this.calls.push({ api: 'InvokeModelWithResponseStream', modelId: request.modelId, body: JSON.parse(request.body), context: currentUsageContext() });
    yield { generation: 'Roll ' };
    yield { generation: 'back.' };
  }

  async converse(request: ConverseRequest): Promise<string> {
    this.calls.push({ api: 'Converse', modelId: request.modelId, body: request, context: currentUsageContext() });
    return 'Roll back.';
  }

  async *converseStream(request: ConverseRequest): AsyncIterable<string> {
    this.calls.push({ api: 'ConverseStream', modelId: request.modelId, body: request, context: currentUsageContext() });
    yield 'Roll ';
    yield 'back.';
  }
}

const definition = (callShape: AgentDefinition['callShape'], defaultModel: string): AgentDefinition => ({ agentId: 'cloud-engineer', defaultModel, callShape, rolePrompt: 'You are a cloud engineer.', maxTokens: 300 });

async function* lines(...items: readonly string[]): AsyncIterable<string> {
  yield* items;
}

describe('AgentRuntime', () => {
  it.each([
    ['InvokeModel', 'anthropic.claude-3-5-haiku-20241022-v1:0'],
    ['InvokeModelWithResponseStream', 'us.meta.llama3-1-8b-instruct-v1:0'],
    ['Converse', 'amazon.nova-lite-v1:0'],
    ['ConverseStream', 'mistral.mistral-large-2402-v1:0'],
  ] as const)('makes one %s call on %s inside the task\'s usage context', async (callShape, model) => {
    // Prepare
    const port = new FakeModelPort();
    const runtime = new AgentRuntime({ definition: definition(callShape, model), port });
    // Act
    const result = await runtime.runTask({ incidentId: 'INC-7', input: 'Why did the deploy fail?' });
    // Assess
    expect(result).toEqual({ agentId: 'cloud-engineer', incidentId: 'INC-7', modelId: model, callShape, answer: 'Roll back.' });
    expect(port.calls).toHaveLength(1);
    expect(port.calls[0]).toMatchObject({ api: callShape, modelId: model, context: { agentId: 'cloud-engineer', incidentId: 'INC-7' } });
    expect(currentUsageContext()).toBeUndefined();
  });

  it('builds each family\'s native InvokeModel body with the role prompt and the token limit', async () => {
    // Prepare
    const port = new FakeModelPort();
    const models = ['anthropic.claude-3-haiku-20240307-v1:0', 'us.amazon.nova-pro-v1:0', 'amazon.titan-text-express-v1', 'meta.llama3-8b-instruct-v1:0', 'mistral.mistral-7b-instruct-v0:2'];
    // Act
    for (const model of models) await new AgentRuntime({ definition: definition('InvokeModel', model), port }).runTask({ incidentId: 'INC-8', input: 'Q?' });
    // Assess
    const bodies = port.calls.map((call) => call.body);
    expect(bodies[0]).toEqual({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 300, system: 'You are a cloud engineer.', messages: [{ role: 'user', content: [{ type: 'text', text: 'Q?' }] }] });
    expect(bodies[1]).toEqual({ schemaVersion: 'messages-v1', system: [{ text: 'You are a cloud engineer.' }], messages: [{ role: 'user', content: [{ text: 'Q?' }] }], inferenceConfig: { maxTokens: 300 } });
    expect(bodies[2]).toMatchObject({ textGenerationConfig: { maxTokenCount: 300 } });
    expect(bodies[3]).toMatchObject({ max_gen_len: 300 });
    expect(bodies[4]).toMatchObject({ max_tokens: 300 });
    for (const body of bodies.slice(2)) expect(JSON.stringify(body)).toContain('You are a cloud engineer.');
  });

  it('refuses at construction a model with no native body for an InvokeModel agent', () => {
    // Act
    const create = (): unknown => new AgentRuntime({ definition: definition('InvokeModel', 'cohere.command-r-v1:0'), port: new FakeModelPort() });
    // Assess
    expect(create).toThrow(UsageError);
    expect(create).toThrow('use an Anthropic, Amazon Nova');
  });
});

describe('runTaskWorker', () => {
  it('runs every good line, reports bad ones by field, and never reports input or answer text', async () => {
    // Prepare
    const port = new FakeModelPort();
    const runtime = new AgentRuntime({ definition: definition('Converse', 'amazon.nova-lite-v1:0'), port });
    const outcomes: TaskOutcome[] = [];
    // Act
    const summary = await runTaskWorker(
      lines(JSON.stringify({ incidentId: 'INC-1', input: 'PROMPT-MARKER one' }), '', 'not json', JSON.stringify({ incidentId: '', input: 'x' }), JSON.stringify({ incidentId: 'INC-2', input: 'PROMPT-MARKER two' })),
      runtime,
      { onOutcome: (outcome) => outcomes.push(outcome) },
    );
    // Assess
    expect(summary).toEqual({ done: 2, failed: 2 });
    expect(outcomes.map((o) => [o.line, o.ok])).toEqual([[1, true], [3, false], [4, false], [5, true]]);
    expect(outcomes[0]).toEqual({ ok: true, line: 1, agentId: 'cloud-engineer', incidentId: 'INC-1', modelId: 'amazon.nova-lite-v1:0', answerChars: 10 });
    expect(JSON.stringify(outcomes)).not.toMatch(/PROMPT-MARKER|Roll back/);
    expect(JSON.stringify(outcomes[2])).toContain('task \\"incidentId\\" must be');
  });

  it('stops taking lines once stopped() says so', async () => {
    // Prepare
    const port = new FakeModelPort();
    const runtime = new AgentRuntime({ definition: definition('Converse', 'amazon.nova-lite-v1:0'), port });
    const task = JSON.stringify({ incidentId: 'INC-3', input: 'Q' });
    // Act
    const summary = await runTaskWorker(lines(task, task, task), runtime, { onOutcome: () => undefined, stopped: () => port.calls.length >= 1 });
    // Assess
    expect(summary).toEqual({ done: 1, failed: 0 });
  });
});
