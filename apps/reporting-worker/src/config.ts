import { join, resolve } from 'node:path';

import { UsageError } from '@bedrock-usage/core';
import { loadUsageStoreConfig, type UsageStoreConfig } from '@bedrock-usage/di';
import { CRON_FORM, CronSchedule, type ReportThresholds } from '@bedrock-usage/reporting';

/**
 * The reporting worker's settings, from the environment; validated once at start.
 *
 * @example
 * const config: WorkerConfig = loadConfig(process.env);
 */
export interface WorkerConfig extends UsageStoreConfig {
  /** BEDROCK_USAGE_REPORT_CRON (UTC), @default "15 0 * * *". */
  readonly cron: string;
  readonly schedule: CronSchedule;
  /** BEDROCK_USAGE_REPORTS_DIR, @default `<BEDROCK_USAGE_DATA_DIR>/reports` with the embedded store; required otherwise. */
  readonly reportsDir: string;
  /** BEDROCK_USAGE_DAILY_COST_THRESHOLD (@default 100) and BEDROCK_USAGE_HOURLY_COST_THRESHOLD (@default 10), USD. */
  readonly thresholds: ReportThresholds;
  /** BEDROCK_USAGE_REPORT_SNS_TOPIC_ARN, @default off. */
  readonly snsTopicArn?: string;
  /** BEDROCK_USAGE_REPORT_WEBHOOK_URL, @default off. */
  readonly webhookUrl?: string;
}

/** The repository root (apps/reporting-worker/src → ../../..): home of the default data directory `.bedrock-usage/`. */
const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const DEFAULT_CRON = '15 0 * * *';
const USD = /^\d+(\.\d{1,15})?$/;
const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

/**
 * The only place the worker reads `process.env`. A bad value stops start-up with a `UsageError('INVALID_CONFIG')`
 * naming the variable, the value and what is allowed (exit code 2).
 *
 * @example
 * const config = loadConfig({ ...process.env, BEDROCK_USAGE_REPORT_CRON: '0 6 * * *' });
 */
export function loadConfig(env: NodeJS.ProcessEnv): WorkerConfig {
  const store = loadUsageStoreConfig(env, { defaultDataDir: join(REPO_ROOT, '.bedrock-usage') });
  const cron = env.BEDROCK_USAGE_REPORT_CRON || DEFAULT_CRON;
  let schedule: CronSchedule;
  try {
    schedule = CronSchedule.parse(cron);
  } catch (error) {
    const problem = (error as Error).message.replace(/^cron "[^"]*" /, '').replace(/ — use .*$/s, '');
    throw invalid(`BEDROCK_USAGE_REPORT_CRON="${cron}" ${problem} — use ${CRON_FORM}`);
  }
  return {
    ...store,
    cron,
    schedule,
    reportsDir: reportsDirOf(env, store),
    thresholds: { dailyCost: usd(env, 'BEDROCK_USAGE_DAILY_COST_THRESHOLD', '100'), hourlyCost: usd(env, 'BEDROCK_USAGE_HOURLY_COST_THRESHOLD', '10') },
    snsTopicArn: snsTopicArn(env),
    webhookUrl: webhookUrl(env),
  };
}

function reportsDirOf(env: NodeJS.ProcessEnv, store: UsageStoreConfig): string {
  const dir = env.BEDROCK_USAGE_REPORTS_DIR;
  if (dir !== undefined && dir !== '') {
    if (dir.trim() === '' || dir.includes('\0')) throw invalid(`BEDROCK_USAGE_REPORTS_DIR="${dir}" is not a directory path — use a writable directory, e.g. /var/lib/bedrock-usage/reports`);
    return resolve(dir);
  }
  if (store.location.kind === 'embedded') return join(store.location.dataDir, 'reports');
  throw invalid(
    `BEDROCK_USAGE_REPORTS_DIR is not set — with DynamoDB (${store.location.endpoint ?? 'AWS'}) there is no local data directory to default to: set it to a writable directory (on Lambda, a mounted EFS path; /tmp does not outlive the environment)`,
  );
}

function usd(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const value = env[name] || fallback;
  if (!USD.test(value)) throw invalid(`${name}="${value}" is not an amount of dollars — use a decimal number ≥ 0 with at most 15 decimals, e.g. ${fallback} or 12.5`);
  return value;
}

function snsTopicArn(env: NodeJS.ProcessEnv): string | undefined {
  const value = env.BEDROCK_USAGE_REPORT_SNS_TOPIC_ARN || undefined;
  if (value !== undefined && !SNS_TOPIC_ARN.test(value)) {
    throw invalid(`BEDROCK_USAGE_REPORT_SNS_TOPIC_ARN="${value}" is not an SNS topic ARN — use arn:aws:sns:<region>:<12-digit account>:<topic>, or unset it to post nothing to SNS`);
  }
  return value;
}

function webhookUrl(env: NodeJS.ProcessEnv): string | undefined {
  const value = env.BEDROCK_USAGE_REPORT_WEBHOOK_URL || undefined;
  if (value === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw invalid(`BEDROCK_USAGE_REPORT_WEBHOOK_URL="${value}" is not an http(s) URL — use one like https://hooks.example.com/T000/B000/XXXX, or unset it to post nothing`);
  }
  return value;
}

function invalid(message: string): UsageError {
  return new UsageError('INVALID_CONFIG', message);
}
