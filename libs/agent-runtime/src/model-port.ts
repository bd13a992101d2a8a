/**
 * A request in the shape of Converse / ConverseStream (plain data: the adapter builds the SDK command from it).
 *
 * @example
 * const request: ConverseRequest = { modelId: 'amazon.nova-lite-v1:0', system: 'You are …', prompt: 'Why …?', maxTokens: 512 };
 */
export interface ConverseRequest {
  readonly modelId: string;
  readonly system: string;
  readonly prompt: string;
  readonly maxTokens: number;
}

/**
 * An InvokeModel / InvokeModelWithResponseStream request: the model's native JSON body, already serialized.
 *
 * @example
 * const request: InvokeRequest = { modelId: 'meta.llama3-1-70b-instruct-v1:0', body: '{"prompt":"…","max_gen_len":512}' };
 */
export interface InvokeRequest {
  readonly modelId: string;
  readonly body: string;
}

/**
 * The agent's only way to Bedrock — the port the app's composition fills with the **tracked** SDK client, so every
 * call is accounted. Streams must be consumed to the end (the usage event is recorded when the stream ends).
 *
 * @example
 * const port: ModelPort = container.get(TOKENS.ModelPort); // the tracked BedrockRuntimeClient behind it
 * const body = await port.invokeModel({ modelId, body: JSON.stringify(anthropicBody) });
 */
export interface ModelPort {
  /** InvokeModel: the response body, parsed as JSON. */
  invokeModel(request: InvokeRequest): Promise<unknown>;
  /** InvokeModelWithResponseStream: each chunk's JSON, parsed. */
  invokeModelStream(request: InvokeRequest): AsyncIterable<unknown>;
  /** Converse: the answer's text. */
  converse(request: ConverseRequest): Promise<string>;
  /** ConverseStream: the answer's text deltas. */
  converseStream(request: ConverseRequest): AsyncIterable<string>;
}
