import { join, resolve } from 'node:path';

import { UsageError } from '@bedrock-usage/core';

/** Where the usage store is: an embedded dynalite on disk, or DynamoDB (AWS, or a local endpoint). */
export type UsageStoreLocation =
  | {
      readonly kind: 'embedded';
      /** BEDROCK_USAGE_DATA_DIR: the local state of bedrock-usage (the store in `dynamodb/`, spools, reports). */
      readonly dataDir: string;
    }
  | { readonly kind: 'dynamodb'; readonly endpoint?: string };

/**
 * The store settings every app shares, from the environment (see {@link loadUsageStoreConfig}).
 *
 * @example
 * const config: UsageStoreConfig = { region: 'us-east-1', tableName: 'bedrock-usage', location: { kind: 'embedded', dataDir: '.bedrock-usage' } };
 */
export interface UsageStoreConfig {
  /** BEDROCK_USAGE_REGION, else AWS_REGION, else us-east-1: the region of the DynamoDB client and of the prices. */
  readonly region: string;
  /** BEDROCK_USAGE_TABLE: the usage table (default bedrock-usage). */
  readonly tableName: string;
  /**
   * BEDROCK_USAGE_DYNAMODB_ENDPOINT given: DynamoDB at that endpoint (table created when missing). Else, with AWS
   * configuration in the environment (AWS_PROFILE, AWS_ACCESS_KEY_ID, a container or web-identity credential):
   * DynamoDB on AWS. Else the embedded store under BEDROCK_USAGE_DATA_DIR.
   */
  readonly location: UsageStoreLocation;
  /**
   * BEDROCK_USAGE_EVENT_RETENTION_DAYS: raw events carry `expiresAt` (the table's TTL deletes them after this many
   * days; the hourly aggregates stay), and the analyzer no longer recomputes hours older than one day less.
   * @default none (raw events are kept)
   */
  readonly eventRetentionDays?: number;
}

const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d+$/;
const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;
const AWS_CONFIGURATION = ['AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI'];

/**
 * Reads the store settings from `env` (an app's `loadConfig` calls it once at start). A bad value throws a
 * `UsageError` (`INVALID_CONFIG`) naming the variable, the value and what is allowed.
 *
 * @example
 * const store = loadUsageStoreConfig(process.env, { defaultDataDir: join(repoRoot, '.bedrock-usage') });
 */
export function loadUsageStoreConfig(env: NodeJS.ProcessEnv, defaults: { readonly defaultDataDir: string }): UsageStoreConfig {
  const region = env.BEDROCK_USAGE_REGION || env.AWS_REGION || 'us-east-1';
  const variable = env.BEDROCK_USAGE_REGION ? 'BEDROCK_USAGE_REGION' : 'AWS_REGION';
  if (!isAwsRegion(region)) throw invalid(`${variable}="${region}" is not an AWS region — use one like us-east-1 or eu-central-1`);
  const tableName = env.BEDROCK_USAGE_TABLE || 'bedrock-usage';
  if (!TABLE_NAME.test(tableName)) {
    throw invalid(`BEDROCK_USAGE_TABLE="${tableName}" is not a DynamoDB table name — use 3 to 255 characters of a-z, A-Z, 0-9, "_", "-" or "."`);
  }
  const retention = env.BEDROCK_USAGE_EVENT_RETENTION_DAYS || undefined;
  const eventRetentionDays = retention === undefined ? undefined : /^\d+$/.test(retention) ? Number(retention) : Number.NaN;
  if (eventRetentionDays !== undefined && !(eventRetentionDays >= 2 && eventRetentionDays <= 3650)) {
    throw invalid(`BEDROCK_USAGE_EVENT_RETENTION_DAYS="${retention}" is not allowed — use a whole number of days from 2 to 3650, or unset it to keep raw events`);
  }
  return { region, tableName, location: locationOf(env, defaults.defaultDataDir), ...(eventRetentionDays === undefined ? {} : { eventRetentionDays }) };
}

/**
 * True when `value` is shaped like an AWS region name.
 *
 * @example
 * isAwsRegion('eu-central-1'); // true
 */
export function isAwsRegion(value: string): boolean {
  return REGION.test(value);
}

/** The directory the embedded store's dynalite keeps its LevelDB files in. */
export function embeddedStoreDir(dataDir: string): string {
  return join(dataDir, 'dynamodb');
}

function locationOf(env: NodeJS.ProcessEnv, defaultDataDir: string): UsageStoreLocation {
  const endpoint = env.BEDROCK_USAGE_DYNAMODB_ENDPOINT || undefined;
  if (endpoint !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(endpoint);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw invalid(`BEDROCK_USAGE_DYNAMODB_ENDPOINT="${endpoint}" is not an http(s) URL — use one like http://127.0.0.1:8000, or unset it for AWS or the embedded store`);
    }
    return { kind: 'dynamodb', endpoint };
  }
  if (AWS_CONFIGURATION.some((name) => env[name])) return { kind: 'dynamodb' };
  const dataDir = env.BEDROCK_USAGE_DATA_DIR ?? defaultDataDir;
  if (dataDir.trim() === '' || dataDir.includes('\0')) {
    throw invalid(`BEDROCK_USAGE_DATA_DIR="${dataDir}" is not a directory path — use a writable directory, e.g. /tmp/bedrock-usage (default ${defaultDataDir})`);
  }
  return { kind: 'embedded', dataDir: resolve(dataDir) };
}

function invalid(message: string): UsageError {
  return new UsageError('INVALID_CONFIG', message);
}
