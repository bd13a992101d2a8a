import { Match } from 'aws-cdk-lib/assertions';

import { AGENT_DEFINITIONS } from '@bedrock-usage/agents';

import { agentLogGroupName, SPEC_LOG_GROUPS } from '../src/usage-stack';

import { synthesizedStack } from './support/synthesized-stack';

describe('the batch publisher, the reporting worker and the log groups', () => {
  const { template, stack } = synthesizedStack({ logRetentionDays: 90, reportSchedule: 'cron(30 1 * * ? *)' });
  const tableArn = { 'Fn::GetAtt': [stack.getLogicalId(stack.table.node.defaultChild as never), 'StreamArn'] };

  it('the batch publisher is the spec\'s metrics-publisher function, fed INSERTs of events from the table\'s stream with partial batch failures', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'cloud-engineer-metrics-publisher',
      Handler: 'index.handler',
      Runtime: 'nodejs22.x',
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^MetricsPublisherLogs') } },
      Environment: { Variables: Match.objectLike({ BEDROCK_USAGE_METRICS_PRODUCER: 'agents', BEDROCK_USAGE_NAMESPACE: 'BedrockUsage' }) },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: tableArn,
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT'], dynamodb: { Keys: { pk: { S: [{ prefix: 'EVENT#' }] } } } }) }] },
    });
  });

  it('the reporting worker is the spec\'s cost-analyzer function, run on the configured schedule, posting to the cost topic', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'cloud-engineer-cost-analyzer',
      Environment: { Variables: Match.objectLike({ BEDROCK_USAGE_REPORTS_DIR: '/tmp/reports', BEDROCK_USAGE_DAILY_COST_THRESHOLD: '100', BEDROCK_USAGE_REPORT_SNS_TOPIC_ARN: { Ref: Match.stringLikeRegexp('^CostAlerts') } }) },
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(30 1 * * ? *)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ReportingWorker'), 'Arn'] } })],
    });
  });

  it('creates the spec\'s three log groups and one per agent, with the configured retention', () => {
    // Assess
    for (const name of [...Object.values(SPEC_LOG_GROUPS), ...AGENT_DEFINITIONS.map((definition) => agentLogGroupName(definition.agentId))]) {
      template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: name, RetentionInDays: 90 });
    }
  });

  it('encrypts the three alert topics with a rotated key CloudWatch may use, TLS only', () => {
    // Assess
    for (const name of ['BedrockUsage-CostAlerts', 'BedrockUsage-ErrorAlerts', 'BedrockUsage-Critical']) {
      template.hasResourceProperties('AWS::SNS::Topic', { TopicName: name, KmsMasterKeyId: Match.anyValue() });
    }
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] })]) },
    });
  });
});

describe('raw-event retention', () => {
  const { template } = synthesizedStack({ rawEventRetentionDays: 400 });

  it('reaches every process that writes or aggregates usage: both functions, and the agents through the AgentEnvironment output', () => {
    // Assess
    for (const name of ['cloud-engineer-metrics-publisher', 'cloud-engineer-cost-analyzer']) {
      template.hasResourceProperties('AWS::Lambda::Function', { FunctionName: name, Environment: { Variables: Match.objectLike({ BEDROCK_USAGE_EVENT_RETENTION_DAYS: '400' }) } });
    }
    const output = JSON.stringify(template.findOutputs('AgentEnvironment'));
    expect(output).toContain('BEDROCK_USAGE_EVENT_RETENTION_DAYS');
    expect(output).toContain('400');
  });
});

describe('alert subscriptions from the configuration', () => {
  const { template } = synthesizedStack({
    alerts: { emails: ['oncall@example.com'], pagerDutyUrl: 'https://events.pagerduty.com/integration/abc/enqueue', slackWebhookUrl: 'https://hooks.slack.com/services/T/B/X' },
  });

  it('email on every topic, PagerDuty on critical only, Slack through the webhook function on every topic', () => {
    // Assess
    template.resourcePropertiesCountIs('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' }, 3);
    template.resourcePropertiesCountIs('AWS::SNS::Subscription', { Protocol: 'https' }, 1);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'https', Endpoint: 'https://events.pagerduty.com/integration/abc/enqueue', TopicArn: { Ref: Match.stringLikeRegexp('^CriticalAlerts') } });
    template.resourcePropertiesCountIs('AWS::SNS::Subscription', { Protocol: 'lambda' }, 3);
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { ALARM_WEBHOOK_URLS: 'https://hooks.slack.com/services/T/B/X' } } });
  });
});
