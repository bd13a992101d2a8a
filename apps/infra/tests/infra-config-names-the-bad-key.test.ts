import { UsageError } from '@bedrock-usage/core';

import { DEFAULT_THRESHOLDS, loadInfraConfig } from '../src/infra-config';

describe('loadInfraConfig', () => {
  it('gives the spec\'s thresholds and every agent its default model (the cloud engineer its fallback too) when nothing is set', () => {
    // Act
    const config = loadInfraConfig({});
    // Assess
    expect(config).toMatchObject({ region: 'us-east-1', namespace: 'BedrockUsage', tableName: 'bedrock-usage', logRetentionDays: 30, thresholds: DEFAULT_THRESHOLDS, alerts: { emails: [] } });
    expect(config.thresholds).toMatchObject({ dailyCostUsd: 100, hourlyCostUsd: 10, apiErrorsPer5Min: 5, loggingErrorsPer5Min: 10, apiLatencyMs: 5000 });
    expect(config.agents['cloud-engineer']).toEqual(['us.anthropic.claude-3-7-sonnet-20250219-v1:0', 'us.anthropic.claude-3-5-haiku-20241022-v1:0']);
    expect(Object.keys(config.agents)).toEqual(['cloud-engineer', 'knowledge-base', 'error-analysis', 'jira', 'operations']);
  });

  it('takes overrides', () => {
    // Act
    const config = loadInfraConfig({ region: 'eu-west-1', thresholds: { dailyCostUsd: 250 }, alerts: { emails: ['oncall@example.com'], pagerDutyUrl: 'https://events.pagerduty.com/integration/abc/enqueue' }, agentModels: { jira: ['eu.amazon.nova-pro-v1:0'] } });
    // Assess
    expect(config.thresholds.dailyCostUsd).toBe(250);
    expect(config.thresholds.hourlyCostUsd).toBe(10);
    expect(config.alerts).toEqual({ emails: ['oncall@example.com'], pagerDutyUrl: 'https://events.pagerduty.com/integration/abc/enqueue' });
    expect(config.agents.jira).toEqual(['eu.amazon.nova-pro-v1:0']);
  });

  it.each([
    [{ region: 'mars' }, 'region="mars" is not allowed — use an AWS region'],
    [{ thresholds: { dailyCostUsd: -1 } }, 'thresholds.dailyCostUsd=-1 is not allowed — use a positive number (default 100)'],
    [{ thresholds: { weeklyCost: 5 } }, 'thresholds.weeklyCost is not a threshold'],
    [{ thresholds: { noUsageHours: 2.5 } }, 'thresholds.noUsageHours=2.5 is not allowed — use a whole number of hours from 1 to 168'],
    [{ alerts: { emails: ['not-an-address'] } }, 'alerts.emails=["not-an-address"] is not allowed'],
    [{ alerts: { slackWebhookUrl: 'http://hooks.slack.com/x' } }, 'alerts.slackWebhookUrl="http://hooks.slack.com/x" is not allowed — use an https URL'],
    [{ logRetentionDays: 10 }, 'logRetentionDays=10 is not allowed — use one of 1, 3, 5, 7, 14, 30'],
    [{ agentModels: { sales: ['x'] } }, 'agentModels.sales is not an agent'],
    [{ reportSchedule: 'daily' }, 'reportSchedule="daily" is not allowed — use an EventBridge cron expression'],
    [{ rawEventRetentionDays: 1 }, 'rawEventRetentionDays=1 is not allowed — use a whole number of days from 2 to 3650'],
  ])('refuses %j, naming the key, the value and what is allowed', (context, message) => {
    // Act
    const load = (): unknown => loadInfraConfig(context);
    // Assess
    expect(load).toThrow(UsageError);
    expect(load).toThrow(message);
  });
});
