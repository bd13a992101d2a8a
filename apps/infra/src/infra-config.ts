import { AGENT_DEFINITIONS } from '@bedrock-usage/agents';
import { UsageError } from '@bedrock-usage/core';

/**
 * The alarms' thresholds: the spec's values by default, each overridable (context key `thresholds`).
 *
 * @example
 * const thresholds: AlarmThresholds = { ...DEFAULT_THRESHOLDS, dailyCostUsd: 250 };
 */
export interface AlarmThresholds {
  /** BedrockUsage-DailyCostHigh: Sum(EstimatedCost) over 24 h. */
  readonly dailyCostUsd: number;
  /** BedrockUsage-HourlyCostSpike: Sum(EstimatedCost) over 1 h. */
  readonly hourlyCostUsd: number;
  /** BedrockUsage-APIErrorsHigh: Sum(APIErrors) per 5 min, 2 periods. */
  readonly apiErrorsPer5Min: number;
  /** BedrockUsage-LoggingErrorsHigh: Sum(LoggingErrors) per 5 min, 2 periods. */
  readonly loggingErrorsPer5Min: number;
  /** BedrockUsage-HighLatency: Average(APILatency) per 5 min, 3 periods. */
  readonly apiLatencyMs: number;
  /** BedrockUsage-NoUsageData (Runbook 4's trigger): no EstimatedCost / Requests data for this many hours. */
  readonly noUsageHours: number;
  /** BedrockUsage-LoggingQueueDepthGrowing: Maximum(LoggingQueueDepth) per agent above this, 3 periods of 5 min. */
  readonly loggingQueueDepth: number;
  /** BedrockUsage-DynamoDBThrottles: Sum(DynamoDBThrottles{TableName}) per 5 min. */
  readonly dynamoDbThrottlesPer5Min: number;
  /** BedrockUsage-CostAnomaly: the anomaly-detection band's width in standard deviations. */
  readonly costAnomalyBandStdDevs: number;
}

/**
 * Where alarms go. Each topic gets the subscriptions configured here; none configured is allowed (the topics still
 * exist, for subscriptions added later).
 *
 * @example
 * const alerts: AlertEndpoints = { emails: ['oncall@example.com'], slackWebhookUrl: 'https://hooks.slack.com/services/T/B/X' };
 */
export interface AlertEndpoints {
  /** Email addresses subscribed to every topic (cost, errors, critical). */
  readonly emails: readonly string[];
  /** A Slack incoming webhook: the notifier Lambda posts each alarm of every topic to it. */
  readonly slackWebhookUrl?: string;
  /** A Microsoft Teams incoming webhook, as Slack. */
  readonly teamsWebhookUrl?: string;
  /** PagerDuty's CloudWatch integration URL (HTTPS): subscribed to the critical topic only (paging). */
  readonly pagerDutyUrl?: string;
}

/**
 * The stack's whole configuration, read from CDK context (`cdk.json` or `--context key=value`), validated once.
 *
 * @example
 * const config = loadInfraConfig({ region: 'eu-west-1', tableName: 'usage-prod' });
 */
export interface InfraConfig {
  /** @default us-east-1 */
  readonly region: string;
  /** The account, when known (model and inference-profile ARNs in IAM use it). @default the deploying account */
  readonly account?: string;
  /** The CloudWatch namespace the agents publish to. @default BedrockUsage */
  readonly namespace: string;
  /** The usage table. @default bedrock-usage */
  readonly tableName: string;
  readonly thresholds: AlarmThresholds;
  readonly alerts: AlertEndpoints;
  /** Retention of every log group, in days (a value CloudWatch Logs allows). @default 30 */
  readonly logRetentionDays: number;
  /** The agents (id → the models and inference profiles its role may invoke, fallbacks included). */
  readonly agents: Readonly<Record<string, readonly string[]>>;
  /** The daily report's schedule (EventBridge cron, UTC). @default cron(15 0 * * ? *) */
  readonly reportSchedule: string;
  /**
   * Raw-event retention in days: the table's TTL deletes each event item this long after its call (the hourly
   * aggregates stay). Every process writing or aggregating gets BEDROCK_USAGE_EVENT_RETENTION_DAYS.
   * @default none (raw events are kept)
   */
  readonly rawEventRetentionDays?: number;
}

/** The spec's alarm values, and ours for the alarms the spec does not have. */
export const DEFAULT_THRESHOLDS: AlarmThresholds = Object.freeze({
  dailyCostUsd: 100,
  hourlyCostUsd: 10,
  apiErrorsPer5Min: 5,
  loggingErrorsPer5Min: 10,
  apiLatencyMs: 5000,
  noUsageHours: 6,
  loggingQueueDepth: 1000,
  dynamoDbThrottlesPer5Min: 1,
  costAnomalyBandStdDevs: 2,
});

/** The values CloudWatch Logs accepts as a retention (days). */
const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const ACCOUNT = /^\d{12}$/;
const NAMESPACE = /^[^:][\x20-\x7e]{0,254}$/;
const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,2047}$/;
/** The cloud engineer's Runbook 2 fallback (what `npm start` configures). */
const DEFAULT_FALLBACKS: Readonly<Record<string, readonly string[]>> = { 'cloud-engineer': ['us.anthropic.claude-3-5-haiku-20241022-v1:0'] };

/**
 * Reads and validates the stack's configuration from CDK context values. A bad value throws
 * `UsageError('INVALID_CONFIG')` naming the key, the value and what is allowed.
 *
 * @example
 * const config = loadInfraConfig(app.node.getAllContext());
 */
export function loadInfraConfig(context: Readonly<Record<string, unknown>>): InfraConfig {
  const region = text(context, 'region', 'us-east-1', REGION, 'an AWS region such as eu-west-1');
  const account = context.account === undefined ? undefined : text(context, 'account', '', ACCOUNT, 'a 12-digit account id');
  const thresholdValues = object(context, 'thresholds');
  const thresholds = Object.fromEntries(
    Object.entries(DEFAULT_THRESHOLDS).map(([key, fallback]) => {
      const value = thresholdValues[key] ?? fallback;
      if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
        throw invalid(`thresholds.${key}=${JSON.stringify(value)} is not allowed — use a positive number (default ${fallback})`);
      }
      return [key, value];
    }),
  ) as unknown as AlarmThresholds;
  if (!Number.isInteger(thresholds.noUsageHours) || thresholds.noUsageHours > 168) {
    throw invalid(`thresholds.noUsageHours=${thresholds.noUsageHours} is not allowed — use a whole number of hours from 1 to 168 (an alarm evaluates at most 7 days; default ${DEFAULT_THRESHOLDS.noUsageHours})`);
  }
  const unknownThreshold = Object.keys(thresholdValues).find((key) => !(key in DEFAULT_THRESHOLDS));
  if (unknownThreshold !== undefined) throw invalid(`thresholds.${unknownThreshold} is not a threshold — use ${Object.keys(DEFAULT_THRESHOLDS).join(', ')}`);
  const alertValues = object(context, 'alerts');
  const emails = alertValues.emails ?? [];
  if (!Array.isArray(emails) || emails.some((email) => typeof email !== 'string' || !EMAIL.test(email))) {
    throw invalid(`alerts.emails=${JSON.stringify(emails)} is not allowed — use a list of email addresses`);
  }
  const alerts: AlertEndpoints = {
    emails: emails as string[],
    ...httpsUrl(alertValues, 'slackWebhookUrl'),
    ...httpsUrl(alertValues, 'teamsWebhookUrl'),
    ...httpsUrl(alertValues, 'pagerDutyUrl'),
  };
  const retention = context.logRetentionDays ?? 30;
  if (typeof retention !== 'number' || !RETENTION_DAYS.includes(retention)) {
    throw invalid(`logRetentionDays=${JSON.stringify(retention)} is not allowed — use one of ${RETENTION_DAYS.join(', ')} (default 30)`);
  }
  const rawRetention = context.rawEventRetentionDays;
  if (rawRetention !== undefined && (typeof rawRetention !== 'number' || !Number.isInteger(rawRetention) || rawRetention < 2 || rawRetention > 3650)) {
    throw invalid(`rawEventRetentionDays=${JSON.stringify(rawRetention)} is not allowed — use a whole number of days from 2 to 3650, or leave it out to keep raw events`);
  }
  return {
    region,
    ...(account === undefined ? {} : { account }),
    ...(rawRetention === undefined ? {} : { rawEventRetentionDays: rawRetention }),
    namespace: text(context, 'namespace', 'BedrockUsage', NAMESPACE, 'a custom CloudWatch namespace (1 to 255 printable ASCII characters)'),
    tableName: text(context, 'tableName', 'bedrock-usage', TABLE_NAME, '3 to 255 characters of a-z, A-Z, 0-9, "_", "-" or "."'),
    thresholds,
    alerts,
    logRetentionDays: retention,
    agents: agentModels(object(context, 'agentModels')),
    reportSchedule: text(context, 'reportSchedule', 'cron(15 0 * * ? *)', /^cron\((\S+ ){5}\S+\)$/, 'an EventBridge cron expression such as cron(15 0 * * ? *)'),
  };
}

function agentModels(overrides: Readonly<Record<string, unknown>>): Record<string, readonly string[]> {
  const known = AGENT_DEFINITIONS.map((definition) => definition.agentId);
  const unknown = Object.keys(overrides).find((agentId) => !known.includes(agentId));
  if (unknown !== undefined) throw invalid(`agentModels.${unknown} is not an agent — use ${known.join(', ')}`);
  return Object.fromEntries(
    AGENT_DEFINITIONS.map(({ agentId, defaultModel }) => {
      const models = overrides[agentId] ?? [defaultModel, ...(DEFAULT_FALLBACKS[agentId] ?? [])];
      if (!Array.isArray(models) || models.length === 0 || models.some((model) => typeof model !== 'string' || !MODEL_ID.test(model))) {
        throw invalid(`agentModels.${agentId}=${JSON.stringify(models)} is not allowed — use a non-empty list of Bedrock model or inference profile ids`);
      }
      return [agentId, models as string[]];
    }),
  );
}

function text(context: Readonly<Record<string, unknown>>, key: string, fallback: string, pattern: RegExp, allowed: string): string {
  const value = context[key] ?? fallback;
  if (typeof value !== 'string' || !pattern.test(value)) throw invalid(`${key}=${JSON.stringify(value)} is not allowed — use ${allowed}${fallback ? ` (default ${fallback})` : ''}`);
  return value;
}

function object(context: Readonly<Record<string, unknown>>, key: string): Readonly<Record<string, unknown>> {
  const value = context[key] ?? {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(`${key}=${JSON.stringify(value)} is not allowed — use an object`);
  return value as Record<string, unknown>;
}

function httpsUrl(values: Readonly<Record<string, unknown>>, key: string): Record<string, string> {
  const value = values[key];
  if (value === undefined) return {};
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'https:') throw invalid(`alerts.${key}=${JSON.stringify(value)} is not allowed — use an https URL`);
  return { [key]: value as string };
}

function invalid(message: string): UsageError {
  return new UsageError('INVALID_CONFIG', message);
}
