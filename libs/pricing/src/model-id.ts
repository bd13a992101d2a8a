import type { PriceRouting } from '@bedrock-usage/core';
import type { ModelResolution } from './pricing.types';

/** Prefixes of geographic cross-region inference profiles (`us-gov.` before `us.`). */
const GEO_PREFIXES = ['us-gov.', 'us.', 'eu.', 'apac.', 'jp.', 'au.'] as const;
const GLOBAL_PREFIX = 'global.';
/** arn:PARTITION:bedrock:REGION:ACCOUNT:TYPE/ID — the ID may itself contain ':' (model versions). */
const BEDROCK_ARN = /^arn:aws(?:-[a-z]+)*:bedrock:([a-z0-9-]*):(\d{12})?:([a-z-]+)\/(.+)$/;
/** provider.model[:version…]: what every Bedrock model id looks like. */
const MODEL_ID = /^[a-z0-9-]+\.[A-Za-z0-9._:-]+$/;
/** A context-window suffix of provisioned-throughput variants: `:200k`, `:28k`. */
const CONTEXT_SUFFIX = /:\d+k$/;
/** A second numeric suffix after the version (`cohere.embed-english-v3:0:512`). */
const SECOND_NUMERIC_SUFFIX = /^(.+:\d+):\d+$/;

/**
 * Says what a model id, inference-profile id or Bedrock ARN names, from its text alone (no price lookup):
 * - base ids (`anthropic.claude-3-5-haiku-20241022-v1:0`) → routing `in-region`;
 * - `us.`/`eu.`/`apac.`/`jp.`/`au.`/`us-gov.` profile ids → routing `geo`; `global.` → routing `global`;
 * - foundation-model and inference-profile ARNs → the model they name, with the ARN's region as `profileRegion`;
 * - application inference-profile ARNs → `application-profile` (they name no model);
 * - provisioned-model ARNs → `provisioned`;
 * - context-window variants (`…-v1:0:200k`, `…:28k`) → the base model;
 * - anything else → `unknown`.
 *
 * @example
 * resolveModelId('us.anthropic.claude-3-7-sonnet-20250219-v1:0')
 * // { kind: 'model', model: 'anthropic.claude-3-7-sonnet-20250219-v1:0', routing: 'geo' }
 * resolveModelId('arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3')
 * // { kind: 'application-profile', arn: 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3' }
 */
export function resolveModelId(modelId: string): ModelResolution {
  if (typeof modelId !== 'string' || modelId.length === 0) return { kind: 'unknown', modelId: String(modelId) };
  if (modelId.startsWith('arn:')) return fromArn(modelId);
  return fromId(modelId, modelId, undefined);
}

function fromArn(arn: string): ModelResolution {
  const match = BEDROCK_ARN.exec(arn);
  if (!match) return { kind: 'unknown', modelId: arn };
  const [, region = '', , resourceType, resourceId = ''] = match;
  switch (resourceType) {
    case 'foundation-model':
    case 'inference-profile':
      return fromId(resourceId, arn, region || undefined);
    case 'application-inference-profile':
      return { kind: 'application-profile', arn };
    case 'provisioned-model':
      return { kind: 'provisioned', arn };
    default:
      return { kind: 'unknown', modelId: arn };
  }
}

function fromId(id: string, asCalled: string, profileRegion: string | undefined): ModelResolution {
  let routing: PriceRouting = 'in-region';
  let model = id;
  if (model.startsWith(GLOBAL_PREFIX)) {
    routing = 'global';
    model = model.slice(GLOBAL_PREFIX.length);
  } else {
    for (const prefix of GEO_PREFIXES) {
      if (model.startsWith(prefix)) {
        routing = 'geo';
        model = model.slice(prefix.length);
        break;
      }
    }
  }
  model = stripContextSuffix(model);
  if (!MODEL_ID.test(model)) return { kind: 'unknown', modelId: asCalled };
  return profileRegion === undefined ? { kind: 'model', model, routing } : { kind: 'model', model, routing, profileRegion };
}

/** `anthropic.claude-3-haiku-20240307-v1:0:200k` → `anthropic.claude-3-haiku-20240307-v1:0`. */
function stripContextSuffix(model: string): string {
  const withoutK = model.replace(CONTEXT_SUFFIX, '');
  if (withoutK !== model) return withoutK;
  const second = SECOND_NUMERIC_SUFFIX.exec(model);
  return second?.[1] ?? model;
}
