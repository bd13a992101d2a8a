import { UsageError, withUsageContext } from '@bedrock-usage/core';

import { validateAgentDefinition, type AgentDefinition, type AgentTask, type CallShape } from './agent-definition';
import { invokeModelBody, invokeModelText, invokeStreamChunkText } from './model-family';
import type { ModelPort } from './model-port';

/**
 * Options of {@link AgentRuntime}.
 *
 * @example
 * const options: AgentRuntimeOptions = { definition: jira, port, model: 'amazon.nova-lite-v1:0' };
 */
export interface AgentRuntimeOptions {
  readonly definition: AgentDefinition;
  /** Bedrock through the tracked client. */
  readonly port: ModelPort;
  /**
   * The model to call (the app's configured override).
   * @default definition.defaultModel
   */
  readonly model?: string;
}

/**
 * What one task produced. The answer is returned to the caller, never logged by the runtime.
 *
 * @example
 * const { answer, modelId } = await runtime.runTask(task);
 */
export interface TaskResult {
  readonly agentId: string;
  readonly incidentId: string;
  readonly modelId: string;
  readonly callShape: CallShape;
  /** The completion text (a model output: keep it out of logs). */
  readonly answer: string;
}

/**
 * The agent loop's one step, over ports only: each task runs inside `withUsageContext({ agentId, incidentId })`
 * and makes one Bedrock call of the definition's call shape through the {@link ModelPort} (the tracked client), so
 * the call's usage event carries the agent and the incident. Bedrock's errors reach the caller unchanged.
 *
 * @example
 * const runtime = new AgentRuntime({ definition: jira, port: container.get(TOKENS.ModelPort) });
 * const { answer } = await runtime.runTask({ incidentId: 'INC-20250311-0042', input: 'Summarise the timeline.' });
 */
export class AgentRuntime {
  readonly #definition: AgentDefinition;
  readonly #port: ModelPort;
  readonly #model: string;
  readonly #maxTokens: number;

  constructor(options: AgentRuntimeOptions) {
    this.#definition = validateAgentDefinition(options.definition);
    this.#port = options.port;
    this.#model = options.model ?? options.definition.defaultModel;
    this.#maxTokens = options.definition.maxTokens ?? 512;
    if (this.#model.trim() === '') throw new UsageError('INVALID_CONFIG', `agent "${this.#definition.agentId}" has no model`);
    if (this.#definition.callShape === 'InvokeModel' || this.#definition.callShape === 'InvokeModelWithResponseStream') {
      // Fails at start-up, not at the first task, when the model has no native body here.
      invokeModelBody(this.#model, { system: '', prompt: '', maxTokens: 1 });
    }
  }

  get agentId(): string {
    return this.#definition.agentId;
  }

  /** The model this runtime calls. */
  get model(): string {
    return this.#model;
  }

  get callShape(): CallShape {
    return this.#definition.callShape;
  }

  /** Runs one task: one Bedrock call, attributed to this agent and the task's incident. */
  runTask(task: AgentTask): Promise<TaskResult> {
    const { agentId, callShape } = this.#definition;
    return withUsageContext({ agentId, incidentId: task.incidentId }, async () => {
      const answer = await this.#call(task.input);
      return { agentId, incidentId: task.incidentId, modelId: this.#model, callShape, answer };
    });
  }

  async #call(prompt: string): Promise<string> {
    const modelId = this.#model;
    const system = this.#definition.rolePrompt;
    const maxTokens = this.#maxTokens;
    switch (this.#definition.callShape) {
      case 'InvokeModel':
        return invokeModelText(modelId, await this.#port.invokeModel({ modelId, body: invokeModelBody(modelId, { system, prompt, maxTokens }) }));
      case 'InvokeModelWithResponseStream': {
        let answer = '';
        for await (const chunk of this.#port.invokeModelStream({ modelId, body: invokeModelBody(modelId, { system, prompt, maxTokens }) })) {
          answer += invokeStreamChunkText(modelId, chunk);
        }
        return answer;
      }
      case 'Converse':
        return this.#port.converse({ modelId, system, prompt, maxTokens });
      case 'ConverseStream': {
        let answer = '';
        for await (const delta of this.#port.converseStream({ modelId, system, prompt, maxTokens })) answer += delta;
        return answer;
      }
    }
  }
}
