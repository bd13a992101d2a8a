import { Template, Match } from 'aws-cdk-lib/assertions';

import { DEFAULT_THRESHOLDS, type AlarmThresholds } from '../src/infra-config';
import { monitoringStack, NAMESPACE, TABLE_NAME } from './support/monitoring-stack';

type Topics = ReturnType<typeof monitoringStack>['topics'];

/** The spec's six alarms ("Alerting and Alarms"): fleet-wide metrics, no dimensions. */
const SPEC_ALARMS = [
  { AlarmName: 'BedrockUsage-DailyCostHigh', AlarmDescription: 'Daily Bedrock cost exceeded $100', MetricName: 'EstimatedCost', Statistic: 'Sum', Period: 86400, Threshold: 100, EvaluationPeriods: 1, ComparisonOperator: 'GreaterThanThreshold' },
  { AlarmName: 'BedrockUsage-HourlyCostSpike', AlarmDescription: 'Hourly Bedrock cost exceeded $10', MetricName: 'EstimatedCost', Statistic: 'Sum', Period: 3600, Threshold: 10, EvaluationPeriods: 1, ComparisonOperator: 'GreaterThanThreshold' },
  { AlarmName: 'BedrockUsage-APIErrorsHigh', AlarmDescription: 'High API error rate detected', MetricName: 'APIErrors', Statistic: 'Sum', Period: 300, Threshold: 5, EvaluationPeriods: 2, ComparisonOperator: 'GreaterThanThreshold' },
  { AlarmName: 'BedrockUsage-LoggingErrorsHigh', AlarmDescription: 'High logging error rate detected', MetricName: 'LoggingErrors', Statistic: 'Sum', Period: 300, Threshold: 10, EvaluationPeriods: 2, ComparisonOperator: 'GreaterThanThreshold' },
  { AlarmName: 'BedrockUsage-HighLatency', AlarmDescription: 'High API latency detected', MetricName: 'APILatency', Statistic: 'Average', Period: 300, Threshold: 5000, EvaluationPeriods: 3, ComparisonOperator: 'GreaterThanThreshold' },
  { AlarmName: 'BedrockUsage-CircuitBreakerTripped', AlarmDescription: 'Circuit breaker activated', MetricName: 'CircuitBreakerTrips', Statistic: 'Sum', Period: 300, Threshold: 1, EvaluationPeriods: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' },
];

const OTHER_THRESHOLDS: AlarmThresholds = {
  dailyCostUsd: 250,
  hourlyCostUsd: 30,
  apiErrorsPer5Min: 7,
  loggingErrorsPer5Min: 20,
  apiLatencyMs: 8000,
  noUsageHours: 12,
  loggingQueueDepth: 500,
  dynamoDbThrottlesPer5Min: 3,
  costAnomalyBandStdDevs: 3,
};

/** The properties of the alarm named so (fails the test when there is none or more than one). */
function alarmProperties(template: Template, alarmName: string): Record<string, unknown> {
  const found = Object.values(template.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: alarmName } }));
  expect(found).toHaveLength(1);
  return found[0]?.Properties as Record<string, unknown>;
}

describe("the spec's alarms", () => {
  const { stack } = monitoringStack();
  const template = Template.fromStack(stack);

  it.each(SPEC_ALARMS)('$AlarmName: the spec\'s metric, statistic, period, threshold and evaluation periods, no dimensions', (expected) => {
    // Act
    const properties = alarmProperties(template, expected.AlarmName);
    // Assess
    expect(properties).toMatchObject({ ...expected, Namespace: NAMESPACE, TreatMissingData: 'notBreaching' });
    expect(properties).not.toHaveProperty('Dimensions');
    expect(properties).not.toHaveProperty('Metrics');
  });
});

describe('our alarms', () => {
  const { stack } = monitoringStack();
  const template = Template.fromStack(stack);

  it('BedrockUsage-DynamoDBThrottles: Sum of DynamoDBThrottles for the usage table per 5 min, at or above the threshold', () => {
    // Act
    const properties = alarmProperties(template, 'BedrockUsage-DynamoDBThrottles');
    // Assess
    expect(properties).toMatchObject({
      Namespace: NAMESPACE, MetricName: 'DynamoDBThrottles', Dimensions: [{ Name: 'TableName', Value: TABLE_NAME }], Statistic: 'Sum', Period: 300,
      Threshold: DEFAULT_THRESHOLDS.dynamoDbThrottlesPer5Min, EvaluationPeriods: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching',
    });
  });

  it('BedrockUsage-LoggingQueueDepthGrowing: the deepest agent queue (Metrics Insights over {AgentId}) above the threshold for 3 × 5 min', () => {
    // Act
    const properties = alarmProperties(template, 'BedrockUsage-LoggingQueueDepthGrowing');
    // Assess
    expect(properties).toMatchObject({
      Metrics: [{ Expression: `SELECT MAX(LoggingQueueDepth) FROM SCHEMA("${NAMESPACE}", AgentId)`, Period: 300, ReturnData: true }],
      Threshold: DEFAULT_THRESHOLDS.loggingQueueDepth, EvaluationPeriods: 3, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching',
    });
  });

  it('BedrockUsage-NoUsageData (Runbook 4): fewer than 1 request per hour for noUsageHours hours, missing data breaching', () => {
    // Act
    const properties = alarmProperties(template, 'BedrockUsage-NoUsageData');
    // Assess
    expect(properties).toMatchObject({
      Namespace: NAMESPACE, MetricName: 'Requests', Statistic: 'Sum', Period: 3600,
      Threshold: 1, EvaluationPeriods: DEFAULT_THRESHOLDS.noUsageHours, ComparisonOperator: 'LessThanThreshold', TreatMissingData: 'breaching',
    });
    expect(properties).not.toHaveProperty('Dimensions');
  });

  it('BedrockUsage-CostAnomaly: hourly cost above its anomaly detection band', () => {
    // Act
    const properties = alarmProperties(template, 'BedrockUsage-CostAnomaly');
    // Assess
    const metrics = properties.Metrics as { Id: string; Expression?: string }[];
    const band = metrics.find((query) => query.Expression?.startsWith('ANOMALY_DETECTION_BAND('));
    expect(band?.Expression).toBe(`ANOMALY_DETECTION_BAND(m0, ${DEFAULT_THRESHOLDS.costAnomalyBandStdDevs})`);
    expect(properties).toMatchObject({ ComparisonOperator: 'GreaterThanUpperThreshold', ThresholdMetricId: band?.Id, EvaluationPeriods: 1 });
    expect(metrics).toContainEqual({ Id: 'm0', ReturnData: true, MetricStat: { Metric: { Namespace: NAMESPACE, MetricName: 'EstimatedCost' }, Stat: 'Sum', Period: 3600 } });
    expect(properties).not.toHaveProperty('Threshold');
  });

  it('there are exactly these ten alarms', () => {
    // Act
    const names = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((alarm) => (alarm.Properties as { AlarmName: string }).AlarmName);
    // Assess
    expect(names.sort()).toEqual(
      [...SPEC_ALARMS.map((alarm) => alarm.AlarmName), 'BedrockUsage-DynamoDBThrottles', 'BedrockUsage-LoggingQueueDepthGrowing', 'BedrockUsage-NoUsageData', 'BedrockUsage-CostAnomaly'].sort(),
    );
  });
});

describe('where alarms go', () => {
  const { stack, topics, monitoring } = monitoringStack();
  const template = Template.fromStack(stack);
  const ref = (topic: keyof Topics): unknown => stack.resolve(topics[topic].topicArn);

  it.each<[string, (keyof Topics)[]]>([
    ['BedrockUsage-DailyCostHigh', ['cost']],
    ['BedrockUsage-HourlyCostSpike', ['cost']],
    ['BedrockUsage-CostAnomaly', ['cost']],
    ['BedrockUsage-APIErrorsHigh', ['errors']],
    ['BedrockUsage-LoggingErrorsHigh', ['errors']],
    ['BedrockUsage-HighLatency', ['errors']],
    ['BedrockUsage-LoggingQueueDepthGrowing', ['errors']],
    ['BedrockUsage-CircuitBreakerTripped', ['errors', 'critical']],
    ['BedrockUsage-NoUsageData', ['errors', 'critical']],
    ['BedrockUsage-DynamoDBThrottles', ['errors', 'critical']],
  ])('%s notifies %j (and the critical topic again when it recovers)', (alarmName, expected) => {
    // Act
    const properties = alarmProperties(template, alarmName);
    // Assess
    expect(properties.AlarmActions).toEqual(expected.map(ref));
    expect(properties.OKActions).toEqual(expected.includes('critical') ? [ref('critical')] : undefined);
    expect(monitoring.alarms[alarmName]).toBeDefined();
  });
});

describe('thresholds are configuration', () => {
  it('a stack with other thresholds alarms at those values', () => {
    // Prepare
    const { stack } = monitoringStack(OTHER_THRESHOLDS);
    // Act
    const template = Template.fromStack(stack);
    // Assess
    const expected: [string, Record<string, unknown>][] = [
      ['BedrockUsage-DailyCostHigh', { Threshold: 250, AlarmDescription: 'Daily Bedrock cost exceeded $250' }],
      ['BedrockUsage-HourlyCostSpike', { Threshold: 30, AlarmDescription: 'Hourly Bedrock cost exceeded $30' }],
      ['BedrockUsage-APIErrorsHigh', { Threshold: 7 }],
      ['BedrockUsage-LoggingErrorsHigh', { Threshold: 20 }],
      ['BedrockUsage-HighLatency', { Threshold: 8000 }],
      ['BedrockUsage-NoUsageData', { Threshold: 1, EvaluationPeriods: 12 }],
      ['BedrockUsage-LoggingQueueDepthGrowing', { Threshold: 500 }],
      ['BedrockUsage-DynamoDBThrottles', { Threshold: 3 }],
      ['BedrockUsage-CostAnomaly', { Metrics: Match.arrayWith([Match.objectLike({ Expression: 'ANOMALY_DETECTION_BAND(m0, 3)' })]) }],
    ];
    for (const [AlarmName, properties] of expected) template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName, ...properties });
  });
});

describe("the spec's Logs Insights queries", () => {
  const { stack } = monitoringStack();
  const template = Template.fromStack(stack);
  const logGroups = [{ Ref: Match.stringLikeRegexp('^AgentLogs') }, { Ref: Match.stringLikeRegexp('^BatchPublisherLogs') }];

  it.each([
    ['BedrockUsage/HighCostRequests', 'fields @timestamp, agent_id, model_id, estimated_cost, total_tokens\n| filter estimated_cost > 0.01\n| sort @timestamp desc\n| limit 100'],
    ['BedrockUsage/ErrorAnalysis', 'fields @timestamp, level, message, agent_id, error_code\n| filter level = "ERROR"\n| stats count() by error_code, agent_id\n| sort count desc'],
    [
      'BedrockUsage/TokenUsageByAgentModel',
      'fields @timestamp, agent_id, model_id, input_tokens, output_tokens, total_tokens\n| filter @timestamp > @timestamp - 1h\n| stats avg(input_tokens), avg(output_tokens), sum(total_tokens) by agent_id, model_id',
    ],
    ['BedrockUsage/PerformanceAnalysis', 'fields @timestamp, agent_id, api_latency_ms, logging_latency_ms\n| filter api_latency_ms > 1000\n| sort api_latency_ms desc\n| limit 50'],
  ])('%s is saved with the spec\'s text, over every usage log group', (Name, QueryString) => {
    // Assess
    template.hasResourceProperties('AWS::Logs::QueryDefinition', { Name, QueryString, LogGroupNames: logGroups });
  });
});
