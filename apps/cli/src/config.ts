import { join, resolve } from 'node:path';

import { UsageError } from '@bedrock-usage/core';
import { loadMetricsLocation, loadUsageStoreConfig, type MetricsLocation, type UsageStoreConfig } from '@bedrock-usage/di';

/** The CLI's settings, from the environment; validated once at start. */
export interface CliConfig extends UsageStoreConfig {
  /** BEDROCK_USAGE_PRICING_FILE: a JSON file of price overrides merged over the built-in book. */
  readonly pricingFile?: string;
  /**
   * BEDROCK_USAGE_SPOOL_DIR: the file spool the agents write (`<sink>.jsonl`), read by `spool inspect` and
   * `spool replay`. Default `<BEDROCK_USAGE_DATA_DIR>/spool` with the embedded store, else `.bedrock-usage/spool` at
   * the repo root.
   */
  readonly spoolDir: string;
  /** Where `doctor` checks metrics: CloudWatch on AWS or at BEDROCK_USAGE_CLOUDWATCH_ENDPOINT (BEDROCK_USAGE_NAMESPACE), else local. */
  readonly metrics: MetricsLocation;
}

/** The repository root (apps/cli/src → ../../..): home of the default data directory `.bedrock-usage/`. */
const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const DEFAULT_DATA_DIR = join(REPO_ROOT, '.bedrock-usage');

/**
 * The only place the CLI reads `process.env`. A bad value stops start-up naming the variable, the value and what
 * is allowed (a `UsageError` with code INVALID_CONFIG: exit 2).
 */
export function loadConfig(env: NodeJS.ProcessEnv): CliConfig {
  const store = loadUsageStoreConfig(env, { defaultDataDir: DEFAULT_DATA_DIR });
  const defaultSpoolDir = join(store.location.kind === 'embedded' ? store.location.dataDir : DEFAULT_DATA_DIR, 'spool');
  const spoolDir = env.BEDROCK_USAGE_SPOOL_DIR ?? defaultSpoolDir;
  if (spoolDir.trim() === '' || spoolDir.includes('\0')) {
    throw new UsageError('INVALID_CONFIG', `BEDROCK_USAGE_SPOOL_DIR="${spoolDir}" is not a directory path — use the spool directory of the agents, e.g. /var/lib/bedrock-usage/spool (default ${defaultSpoolDir})`);
  }
  const onAws = store.location.kind === 'dynamodb' && store.location.endpoint === undefined;
  return { ...store, pricingFile: env.BEDROCK_USAGE_PRICING_FILE || undefined, spoolDir: resolve(spoolDir), metrics: loadMetricsLocation(env, { region: store.region, onAws }) };
}
