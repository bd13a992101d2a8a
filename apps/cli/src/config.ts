import { join, resolve } from 'node:path';

import { loadUsageStoreConfig, type UsageStoreConfig } from '@bedrock-usage/di';

/** The CLI's settings, from the environment; validated once at start. */
export interface CliConfig extends UsageStoreConfig {
  /** BEDROCK_USAGE_PRICING_FILE: a JSON file of price overrides merged over the built-in book. */
  readonly pricingFile?: string;
}

/** The repository root (apps/cli/src → ../../..): home of the default data directory `.bedrock-usage/`. */
const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/**
 * The only place the CLI reads `process.env`. A bad value stops start-up naming the variable, the value and what
 * is allowed (a `UsageError` with code INVALID_CONFIG: exit 2).
 */
export function loadConfig(env: NodeJS.ProcessEnv): CliConfig {
  return { ...loadUsageStoreConfig(env, { defaultDataDir: join(REPO_ROOT, '.bedrock-usage') }), pricingFile: env.BEDROCK_USAGE_PRICING_FILE || undefined };
}
