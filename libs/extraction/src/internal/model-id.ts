/** Model families told apart by the model id, used only as a hint when the body shape is not enough. */
export type ModelVendor =
  | 'anthropic'
  | 'amazon-nova'
  | 'amazon-titan'
  | 'amazon-titan-embed'
  | 'meta'
  | 'mistral'
  | 'cohere'
  | 'ai21'
  | 'deepseek'
  | 'openai'
  | 'unknown';

// Geographic / global cross-region inference profile prefixes: us.anthropic..., global.anthropic..., apac.amazon...
const PROFILE_PREFIXES = ['us.', 'eu.', 'apac.', 'global.', 'us-gov.', 'ca.', 'jp.', 'au.'];

/**
 * The vendor of a model id, an inference-profile id (`us.`, `global.`, …) or an ARN
 * (`arn:aws:bedrock:…:foundation-model/<id>` or `…:inference-profile/<id>`). Application inference profiles
 * have opaque ids and give `unknown`.
 */
export function modelVendor(modelId: unknown): ModelVendor {
  if (typeof modelId !== 'string' || modelId.length === 0) return 'unknown';
  let id = modelId.toLowerCase();
  if (id.startsWith('arn:')) id = id.slice(id.lastIndexOf('/') + 1);
  for (const prefix of PROFILE_PREFIXES) {
    if (id.startsWith(prefix)) {
      id = id.slice(prefix.length);
      break;
    }
  }
  const dot = id.indexOf('.');
  const provider = dot === -1 ? id : id.slice(0, dot);
  switch (provider) {
    case 'anthropic':
      return 'anthropic';
    case 'amazon':
      if (id.includes('nova')) return 'amazon-nova';
      return id.includes('embed') ? 'amazon-titan-embed' : 'amazon-titan';
    case 'meta':
      return 'meta';
    case 'mistral':
      return 'mistral';
    case 'cohere':
      return 'cohere';
    case 'ai21':
      return 'ai21';
    case 'deepseek':
      return 'deepseek';
    case 'openai':
      return 'openai';
    default:
      return 'unknown';
  }
}
