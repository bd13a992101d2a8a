import { join, resolve } from 'node:path';

import { CliError } from './cli-io';

/** Where the usage store is: an embedded dynalite on disk, or DynamoDB (AWS, or a local endpoint). */
export type StoreConfig =
  | { readonly kind: 'embedded'; readonly dataDir: string }
  | { readonly kind: 'dynamodb'; readonly endpoint?: string };

/** The CLI's settings, from the environment; validated once at start. */
export interface CliConfig {
  /** BEDROCK_USAGE_REGION, else AWS_REGION, else us-east-1: the region prices are looked up for. */
  readonly region: string;
  /** BEDROCK_USAGE_PRICING_FILE: a JSON file of price overrides merged over the built-in book. */
  readonly pricingFile?: string;
  /** BEDROCK_USAGE_TABLE: the usage table (default bedrock-usage). */
  readonly tableName: string;
  /**
   * BEDROCK_USAGE_DYNAMODB_ENDPOINT given: DynamoDB at that endpoint (table created when missing). Else, with AWS
   * configuration in the environment (AWS_PROFILE, AWS_ACCESS_KEY_ID, a container or web-identity credential):
   * DynamoDB on AWS. Else the embedded store in BEDROCK_USAGE_DATA_DIR (default `.bedrock-usage/` at the repo root).
   */
  readonly store: StoreConfig;
}

/** The repository root (apps/cli/src → ../../..): the embedded store's default home. */
const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;
const AWS_CONFIGURATION = ['AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI'];

const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d+$/;

/**
 * The only place the CLI reads `process.env`. A bad value stops start-up naming the variable, the value and what
 * is allowed.
 */
export function loadConfig(env: NodeJS.ProcessEnv): CliConfig {
  const region = env.BEDROCK_USAGE_REGION || env.AWS_REGION || 'us-east-1';
  const variable = env.BEDROCK_USAGE_REGION ? 'BEDROCK_USAGE_REGION' : 'AWS_REGION';
  if (!REGION.test(region)) throw new CliError(`${variable}="${region}" is not an AWS region — use one like us-east-1 or eu-central-1`);
  const pricingFile = env.BEDROCK_USAGE_PRICING_FILE || undefined;
  const tableName = env.BEDROCK_USAGE_TABLE || 'bedrock-usage';
  if (!TABLE_NAME.test(tableName)) {
    throw new CliError(`BEDROCK_USAGE_TABLE="${tableName}" is not a DynamoDB table name — use 3 to 255 characters of a-z, A-Z, 0-9, "_", "-" or "."`);
  }
  return { region, pricingFile, tableName, store: storeConfig(env) };
}

function storeConfig(env: NodeJS.ProcessEnv): StoreConfig {
  const endpoint = env.BEDROCK_USAGE_DYNAMODB_ENDPOINT || undefined;
  if (endpoint !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(endpoint);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new CliError(`BEDROCK_USAGE_DYNAMODB_ENDPOINT="${endpoint}" is not an http(s) URL — use one like http://127.0.0.1:8000, or unset it for AWS or the embedded store`);
    }
    return { kind: 'dynamodb', endpoint };
  }
  if (AWS_CONFIGURATION.some((name) => env[name])) return { kind: 'dynamodb' };
  const dataDir = env.BEDROCK_USAGE_DATA_DIR ?? join(REPO_ROOT, '.bedrock-usage');
  if (dataDir.trim() === '' || dataDir.includes('\0')) {
    throw new CliError(`BEDROCK_USAGE_DATA_DIR="${dataDir}" is not a directory path — use a writable directory, e.g. /tmp/bedrock-usage (default .bedrock-usage/ at the repo root)`);
  }
  return { kind: 'embedded', dataDir: resolve(dataDir) };
}

/** True when the string is shaped like an AWS region name. */
export function isRegion(value: string): boolean {
  return REGION.test(value);
}
