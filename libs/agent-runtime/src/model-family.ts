import { UsageError } from '@bedrock-usage/core';

/**
 * The model families whose native InvokeModel bodies the agent runtime speaks.
 *
 * @example
 * modelFamilyOf('us.meta.llama3-1-70b-instruct-v1:0'); // 'llama'
 */
export type ModelFamily = 'anthropic' | 'nova' | 'titan-text' | 'llama' | 'mistral';

const GEO_PREFIX = /^(us|eu|apac|jp|au|ca|us-gov|global)\./;

/**
 * The family of a model id, cross-region profile id (`us.…`) or foundation-model ARN; undefined when the runtime
 * cannot build a native body for it (Converse still works for any model).
 *
 * @example
 * modelFamilyOf('anthropic.claude-3-5-haiku-20241022-v1:0'); // 'anthropic'
 */
export function modelFamilyOf(modelId: string): ModelFamily | undefined {
  const tail = modelId.startsWith('arn:') ? modelId.slice(modelId.lastIndexOf('/') + 1) : modelId;
  const base = tail.replace(GEO_PREFIX, '');
  if (base.startsWith('anthropic.')) return 'anthropic';
  if (base.startsWith('amazon.nova')) return 'nova';
  if (base.startsWith('amazon.titan-text')) return 'titan-text';
  if (base.startsWith('meta.llama')) return 'llama';
  if (base.startsWith('mistral.')) return 'mistral';
  return undefined;
}

/**
 * The native InvokeModel (and InvokeModelWithResponseStream) request body of a model family, as a JSON string.
 * Throws `UsageError('INVALID_CONFIG')` for a model whose family has no native body here — use Converse for it.
 *
 * @example
 * const body = invokeModelBody('anthropic.claude-3-5-haiku-20241022-v1:0', { system: 'You are …', prompt: 'Why …?', maxTokens: 512 });
 */
export function invokeModelBody(modelId: string, request: { readonly system: string; readonly prompt: string; readonly maxTokens: number }): string {
  const { system, prompt, maxTokens } = request;
  switch (requireFamily(modelId)) {
    case 'anthropic':
      return JSON.stringify({
        anthropic_version: 'bedrock-2023-05-31',
        max_tokens: maxTokens,
        system,
        messages: [{ role: 'user', content: [{ type: 'text', text: prompt }] }],
      });
    case 'nova':
      return JSON.stringify({
        schemaVersion: 'messages-v1',
        system: [{ text: system }],
        messages: [{ role: 'user', content: [{ text: prompt }] }],
        inferenceConfig: { maxTokens },
      });
    case 'titan-text':
      return JSON.stringify({ inputText: `${system}\n\nUser: ${prompt}\nBot:`, textGenerationConfig: { maxTokenCount: maxTokens } });
    case 'llama':
      return JSON.stringify({
        prompt:
          `<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n${system}<|eot_id|>` +
          `<|start_header_id|>user<|end_header_id|>\n\n${prompt}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n`,
        max_gen_len: maxTokens,
      });
    case 'mistral':
      return JSON.stringify({ prompt: `<s>[INST] ${system}\n\n${prompt} [/INST]`, max_tokens: maxTokens });
  }
}

/**
 * The completion text of an InvokeModel response body of the model's family ('' when the body has none).
 *
 * @example
 * invokeModelText('meta.llama3-1-8b-instruct-v1:0', { generation: 'Roll back.' }); // 'Roll back.'
 */
export function invokeModelText(modelId: string, body: unknown): string {
  const b = asRecord(body);
  switch (requireFamily(modelId)) {
    case 'anthropic':
      return texts(b['content']).join('');
    case 'nova':
      return texts(asRecord(asRecord(b['output'])['message'])['content']).join('');
    case 'titan-text':
      return asArray(b['results']).map((r) => str(asRecord(r)['outputText'])).join('');
    case 'llama':
      return str(b['generation']);
    case 'mistral':
      return asArray(b['outputs']).map((o) => str(asRecord(o)['text'])).join('');
  }
}

/**
 * The text delta of one InvokeModelWithResponseStream chunk of the model's family ('' for chunks without text).
 *
 * @example
 * invokeStreamChunkText('anthropic.claude-3-haiku-20240307-v1:0', { type: 'content_block_delta', delta: { text: 'Roll' } }); // 'Roll'
 */
export function invokeStreamChunkText(modelId: string, chunk: unknown): string {
  const c = asRecord(chunk);
  switch (requireFamily(modelId)) {
    case 'anthropic':
      return c['type'] === 'content_block_delta' ? str(asRecord(c['delta'])['text']) : '';
    case 'nova':
      return str(asRecord(asRecord(c['contentBlockDelta'])['delta'])['text']);
    case 'titan-text':
      return str(c['outputText']);
    case 'llama':
      return str(c['generation']);
    case 'mistral':
      return asArray(c['outputs']).map((o) => str(asRecord(o)['text'])).join('');
  }
}

function requireFamily(modelId: string): ModelFamily {
  const family = modelFamilyOf(modelId);
  if (family === undefined) {
    throw new UsageError(
      'INVALID_CONFIG',
      `model "${modelId}" has no native InvokeModel body here — use an Anthropic, Amazon Nova, Amazon Titan Text, Meta Llama or Mistral model, or the Converse call shape`,
    );
  }
  return family;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function texts(content: unknown): string[] {
  return asArray(content).map((block) => str(asRecord(block)['text']));
}
