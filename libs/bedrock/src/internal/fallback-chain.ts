import { UsageError, type BedrockApi } from '@bedrock-usage/core';
import { isRetryableBedrockError } from '@bedrock-usage/extraction';

import type { FallbackChains } from '../tracked-bedrock-client.types';

const GEO_PREFIX = /^(us|eu|apac|jp|au|ca|us-gov|global)\./;
const INVOKE_APIS: ReadonlySet<BedrockApi> = new Set(['InvokeModel', 'InvokeModelWithResponseStream']);

/**
 * The request-body format of a model id for InvokeModel — the provider, and for Amazon the model line (Nova, Titan
 * Text and Titan Embeddings take different bodies). Undefined for an application inference profile (opaque).
 */
export function invokeBodyFamily(modelId: string): string | undefined {
  if (modelId.startsWith('arn:')) {
    if (!modelId.includes(':foundation-model/') && !modelId.includes(':inference-profile/')) return undefined;
  }
  const base = modelId.slice(modelId.lastIndexOf('/') + 1).replace(GEO_PREFIX, '');
  const [provider, model = ''] = base.split('.', 2);
  if (!provider || !model) return undefined;
  if (provider !== 'amazon') return provider;
  if (model.startsWith('nova')) return 'amazon.nova';
  if (model.startsWith('titan-embed')) return 'amazon.titan-embed';
  if (model.startsWith('titan')) return 'amazon.titan-text';
  return `amazon.${model}`;
}

/** Checks a fallback table once, at `trackBedrockClient`; a function is checked on each use instead. */
export function validateFallbacks(fallbacks: FallbackChains | undefined): void {
  if (fallbacks === undefined || typeof fallbacks === 'function') return;
  if (typeof fallbacks !== 'object' || fallbacks === null) {
    throw new UsageError('INVALID_CONFIG', `"fallbacks" is ${String(fallbacks)} — expected { [modelId]: [fallbackModelId, …] } or a function`);
  }
  for (const [modelId, chain] of Object.entries(fallbacks)) {
    if (!Array.isArray(chain) || chain.some((id) => typeof id !== 'string' || id.length === 0)) {
      throw new UsageError('INVALID_CONFIG', `"fallbacks['${modelId}']" is ${JSON.stringify(chain)} — expected an array of model ids`);
    }
    if (chain.includes(modelId)) {
      throw new UsageError('INVALID_CONFIG', `"fallbacks['${modelId}']" lists the model itself — a model is never its own fallback`);
    }
  }
}

/**
 * The model ids to try after `modelId` for `api`, in order: the configured chain without duplicates or the model
 * itself; for InvokeModel* only the ids taking the same request body (same `invokeBodyFamily`), since the body is
 * sent unchanged.
 */
export function fallbackChain(fallbacks: FallbackChains | undefined, api: BedrockApi, modelId: string): string[] {
  if (fallbacks === undefined || modelId === '') return [];
  const configured = typeof fallbacks === 'function' ? fallbacks(modelId, api) : fallbacks[modelId];
  if (!Array.isArray(configured)) return [];
  const family = INVOKE_APIS.has(api) ? invokeBodyFamily(modelId) : undefined;
  const chain: string[] = [];
  for (const id of configured as readonly unknown[]) {
    if (typeof id !== 'string' || id.length === 0 || id === modelId || chain.includes(id)) continue;
    if (INVOKE_APIS.has(api) && (family === undefined || invokeBodyFamily(id) !== family)) continue;
    chain.push(id);
  }
  return chain;
}

/**
 * The default `fallbackOn`: Bedrock answered (an HTTP error response, or a stream whose first event was an
 * exception) with an exception that retrying can cure — throttling, unavailability, a model not ready, a server
 * error (extraction's `isRetryableBedrockError`). Not: client-side timeouts, aborts and network failures (the
 * request may have run and been billed), nor validation, access or quota errors (another model would fail alike).
 */
export function isUnavailability(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, $fault, $metadata } = error as { name?: unknown; $fault?: unknown; $metadata?: { httpStatusCode?: unknown } };
  const status = $metadata?.httpStatusCode;
  // A modelled service exception carries $fault; one thrown from a stream's first event has no HTTP status.
  const answered = typeof status === 'number' || $fault === 'client' || $fault === 'server';
  if (typeof name !== 'string' || !answered) return false;
  return isRetryableBedrockError(name, typeof status === 'number' ? status : undefined);
}

/** The same command for another model: a new instance of the command's own class, its input with `modelId` replaced. */
export function commandForModel(command: unknown, modelId: string): unknown {
  const { constructor: Command, input } = command as { constructor: new (input: unknown) => unknown; input: Record<string, unknown> };
  return new Command({ ...input, modelId });
}
