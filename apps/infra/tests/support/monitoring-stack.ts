import { App, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';

import { AGENT_DEFINITIONS } from '@bedrock-usage/agents';

import { DEFAULT_THRESHOLDS, type AlarmThresholds } from '../../src/infra-config';
import { UsageMonitoring } from '../../src/monitoring/usage-monitoring';

/**
 * The test stack's namespace.
 *
 * @example
 * template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: NAMESPACE });
 */
export const NAMESPACE = 'BedrockUsage';

/**
 * The test stack's usage table (the DynamoDBThrottles dimension).
 *
 * @example
 * expect(dimensions).toEqual([{ Name: 'TableName', Value: TABLE_NAME }]);
 */
export const TABLE_NAME = 'usage-test';

/**
 * A stack holding only {@link UsageMonitoring}: three topics and two usage log groups, the five agents.
 *
 * @example
 * const { stack, topics } = monitoringStack({ ...DEFAULT_THRESHOLDS, dailyCostUsd: 250 });
 */
export function monitoringStack(thresholds: AlarmThresholds = DEFAULT_THRESHOLDS): {
  stack: Stack;
  monitoring: UsageMonitoring;
  topics: { cost: sns.Topic; errors: sns.Topic; critical: sns.Topic };
} {
  const stack = new Stack(new App(), 'MonitoringTest', { env: { account: '123456789012', region: 'eu-west-1' } });
  const topics = { cost: new sns.Topic(stack, 'Cost'), errors: new sns.Topic(stack, 'Errors'), critical: new sns.Topic(stack, 'Critical') };
  const monitoring = new UsageMonitoring(stack, 'Monitoring', {
    namespace: NAMESPACE,
    region: 'eu-west-1',
    tableName: TABLE_NAME,
    agentIds: AGENT_DEFINITIONS.map((definition) => definition.agentId),
    thresholds,
    topics,
    usageLogGroups: [new logs.LogGroup(stack, 'AgentLogs'), new logs.LogGroup(stack, 'BatchPublisherLogs')],
  });
  return { stack, monitoring, topics };
}
