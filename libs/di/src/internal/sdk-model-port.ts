import {
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
  type BedrockRuntimeClient,
} from '@aws-sdk/client-bedrock-runtime';

import type { ConverseRequest, InvokeRequest, ModelPort } from '@bedrock-usage/agent-runtime';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * The agent runtime's `ModelPort` over a (tracked) `BedrockRuntimeClient`: builds the four SDK commands from plain
 * requests and decodes their bodies. Streams are read to the end, so the tracked client records each call.
 */
export class SdkModelPort implements ModelPort {
  readonly #client: BedrockRuntimeClient;

  constructor(client: BedrockRuntimeClient) {
    this.#client = client;
  }

  async invokeModel(request: InvokeRequest): Promise<unknown> {
    const output = await this.#client.send(
      new InvokeModelCommand({ modelId: request.modelId, contentType: 'application/json', accept: 'application/json', body: encoder.encode(request.body) }),
    );
    return parseJson(output.body);
  }

  async *invokeModelStream(request: InvokeRequest): AsyncIterable<unknown> {
    const output = await this.#client.send(
      new InvokeModelWithResponseStreamCommand({ modelId: request.modelId, contentType: 'application/json', accept: 'application/json', body: encoder.encode(request.body) }),
    );
    for await (const event of output.body ?? []) {
      if (event.chunk?.bytes !== undefined) yield parseJson(event.chunk.bytes);
    }
  }

  async converse(request: ConverseRequest): Promise<string> {
    const output = await this.#client.send(new ConverseCommand(converseInput(request)));
    return (output.output?.message?.content ?? []).map((block) => block.text ?? '').join('');
  }

  async *converseStream(request: ConverseRequest): AsyncIterable<string> {
    const output = await this.#client.send(new ConverseStreamCommand(converseInput(request)));
    for await (const event of output.stream ?? []) {
      const text = event.contentBlockDelta?.delta?.text;
      if (text !== undefined) yield text;
    }
  }
}

function converseInput(request: ConverseRequest): { modelId: string; system: { text: string }[]; messages: { role: 'user'; content: { text: string }[] }[]; inferenceConfig: { maxTokens: number } } {
  return {
    modelId: request.modelId,
    system: [{ text: request.system }],
    messages: [{ role: 'user', content: [{ text: request.prompt }] }],
    inferenceConfig: { maxTokens: request.maxTokens },
  };
}

function parseJson(bytes: Uint8Array | undefined): unknown {
  if (bytes === undefined) return undefined;
  try {
    return JSON.parse(decoder.decode(bytes)) as unknown;
  } catch {
    return undefined;
  }
}
