import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { type ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

import { UsageError } from '@bedrock-usage/core';
import { type MetricName } from '@bedrock-usage/di';

import { type AlarmThresholds } from '../infra-config';

/**
 * What {@link UsageMonitoring} watches and where its alarms go.
 *
 * @example
 * const props: UsageMonitoringProps = {
 *   namespace: 'BedrockUsage', region: 'us-east-1', tableName: 'bedrock-usage',
 *   agentIds: AGENT_DEFINITIONS.map((definition) => definition.agentId), thresholds: DEFAULT_THRESHOLDS,
 *   topics: { cost, errors, critical }, usageLogGroups: [usageLogGroup],
 * };
 */
export interface UsageMonitoringProps {
  /** The CloudWatch namespace the agents publish to, e.g. `BedrockUsage`. */
  readonly namespace: string;
  /** The region the dashboards' widgets read from. */
  readonly region: string;
  /** The usage table: `DynamoDBThrottles{TableName}` is published per table. */
  readonly tableName: string;
  /** The agents the spec's "Cost by Agent" widget lists (the SEARCH widgets find every agent anyway). */
  readonly agentIds: readonly string[];
  readonly thresholds: AlarmThresholds;
  /** The alarms' destinations (see {@link UsageMonitoring} for which alarm goes where). */
  readonly topics: { readonly cost: ITopic; readonly errors: ITopic; readonly critical: ITopic };
  /** Every log group that carries usage log lines: the saved queries and the cost-by-incident widget run over them (at least one). */
  readonly usageLogGroups: readonly logs.ILogGroup[];
}

const FIVE_MINUTES = Duration.minutes(5);
const ONE_HOUR = Duration.hours(1);
const ONE_DAY = Duration.hours(24);
const WIDTH = 12;

/** One threshold alarm: the name is `BedrockUsage-<id>`. */
interface ThresholdAlarm {
  readonly id: string;
  readonly description: string;
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  readonly evaluationPeriods: number;
  readonly topics: readonly ITopic[];
  /**
   * @default GREATER_THAN_THRESHOLD: the spec's descriptions say "exceeded" (its Python leaves the operator unset,
   * which in CDK means ≥; only the circuit breaker's "≥ 1" is kept as ≥).
   */
  readonly comparisonOperator?: cloudwatch.ComparisonOperator;
  /**
   * @default NOT_BREACHING: every metric alarmed on is a count, a cost or a latency published only when something
   * happened, so no data means nothing happened (the spec sets it for the daily cost alarm only).
   */
  readonly treatMissingData?: cloudwatch.TreatMissingData;
}

/**
 * The spec's four Logs Insights queries ("Log Analysis"), verbatim: `QueryString` renders each part as
 * `<command> <text>` joined by `\n| `, which is the spec's text.
 */
const SPEC_QUERIES: Readonly<Record<string, logs.QueryStringProps>> = {
  HighCostRequests: {
    fields: ['@timestamp', 'agent_id', 'model_id', 'estimated_cost', 'total_tokens'],
    filterStatements: ['estimated_cost > 0.01'],
    sort: '@timestamp desc',
    limit: 100,
  },
  ErrorAnalysis: {
    fields: ['@timestamp', 'level', 'message', 'agent_id', 'error_code'],
    filterStatements: ['level = "ERROR"'],
    statsStatements: ['count() by error_code, agent_id'],
    sort: 'count desc',
  },
  TokenUsageByAgentModel: {
    fields: ['@timestamp', 'agent_id', 'model_id', 'input_tokens', 'output_tokens', 'total_tokens'],
    // Always true (both sides are the same row's timestamp): the spec's text is kept, and the console's time range
    // is what limits the query to the last hour.
    filterStatements: ['@timestamp > @timestamp - 1h'],
    statsStatements: ['avg(input_tokens), avg(output_tokens), sum(total_tokens) by agent_id, model_id'],
  },
  PerformanceAnalysis: {
    fields: ['@timestamp', 'agent_id', 'api_latency_ms', 'logging_latency_ms'],
    filterStatements: ['api_latency_ms > 1000'],
    sort: 'api_latency_ms desc',
    limit: 50,
  },
};

/**
 * CloudWatch monitoring of bedrock-usage: the spec's alarms plus ours, the spec's two dashboards plus the widgets it
 * lacks (on a third, `BedrockUsage-Health`), and the spec's four Logs Insights queries saved as query definitions.
 * Every metric used resolves to a dimension set the code publishes (`PUBLISHED_DIMENSION_SETS`).
 *
 * Where alarms go:
 * - `topics.cost`: DailyCostHigh, HourlyCostSpike, CostAnomaly.
 * - `topics.errors`: APIErrorsHigh, LoggingErrorsHigh, HighLatency, LoggingQueueDepthGrowing.
 * - `topics.errors` and `topics.critical` (paging, with an OK action so the page resolves itself):
 *   CircuitBreakerTripped, NoUsageData, DynamoDBThrottles — usage is being lost or not recorded.
 *
 * @example
 * const monitoring = new UsageMonitoring(stack, 'Monitoring', {
 *   namespace: config.namespace, region: config.region, tableName: config.tableName,
 *   agentIds: Object.keys(config.agents), thresholds: config.thresholds,
 *   topics: { cost, errors, critical }, usageLogGroups: agentLogGroups,
 * });
 * monitoring.alarms['BedrockUsage-DailyCostHigh'].alarmArn;
 */
export class UsageMonitoring extends Construct {
  /** Every alarm, keyed by alarm name (`BedrockUsage-…`). */
  readonly alarms: Readonly<Record<string, cloudwatch.Alarm>>;
  readonly #props: UsageMonitoringProps;

  constructor(scope: Construct, id: string, props: UsageMonitoringProps) {
    super(scope, id);
    if (props.usageLogGroups.length === 0) {
      throw new UsageError('INVALID_CONFIG', 'UsageMonitoring needs at least one usage log group — pass the log groups the agents write usage lines to');
    }
    this.#props = props;
    this.alarms = Object.fromEntries([...this.#thresholdAlarms().map((alarm) => this.#thresholdAlarm(alarm)), this.#costAnomalyAlarm()]);
    this.#overviewDashboard();
    this.#performanceDashboard();
    this.#healthDashboard();
    this.#queryDefinitions();
  }

  #thresholdAlarms(): ThresholdAlarm[] {
    const { thresholds, topics, tableName } = this.#props;
    const paging = [topics.errors, topics.critical];
    return [
      // The spec's alarms, on the fleet-wide (dimensionless) metrics.
      { id: 'DailyCostHigh', description: `Daily Bedrock cost exceeded $${thresholds.dailyCostUsd}`, metric: this.#metric('EstimatedCost', 'Sum', ONE_DAY), threshold: thresholds.dailyCostUsd, evaluationPeriods: 1, topics: [topics.cost] },
      { id: 'HourlyCostSpike', description: `Hourly Bedrock cost exceeded $${thresholds.hourlyCostUsd}`, metric: this.#metric('EstimatedCost', 'Sum', ONE_HOUR), threshold: thresholds.hourlyCostUsd, evaluationPeriods: 1, topics: [topics.cost] },
      { id: 'APIErrorsHigh', description: 'High API error rate detected', metric: this.#metric('APIErrors', 'Sum', FIVE_MINUTES), threshold: thresholds.apiErrorsPer5Min, evaluationPeriods: 2, topics: [topics.errors] },
      { id: 'LoggingErrorsHigh', description: 'High logging error rate detected', metric: this.#metric('LoggingErrors', 'Sum', FIVE_MINUTES), threshold: thresholds.loggingErrorsPer5Min, evaluationPeriods: 2, topics: [topics.errors] },
      { id: 'HighLatency', description: 'High API latency detected', metric: this.#metric('APILatency', 'Average', FIVE_MINUTES), threshold: thresholds.apiLatencyMs, evaluationPeriods: 3, topics: [topics.errors] },
      { id: 'CircuitBreakerTripped', description: 'Circuit breaker activated', metric: this.#metric('CircuitBreakerTrips', 'Sum', FIVE_MINUTES), threshold: 1, evaluationPeriods: 1, comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, topics: paging },
      // Ours.
      {
        id: 'DynamoDBThrottles',
        description: `DynamoDB throttled requests to table ${tableName} (usage writes are being retried or spooled)`,
        metric: this.#metric('DynamoDBThrottles', 'Sum', FIVE_MINUTES, { TableName: tableName }),
        threshold: thresholds.dynamoDbThrottlesPer5Min,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        topics: paging,
      },
      {
        id: 'LoggingQueueDepthGrowing',
        description: `An agent's logging queue held more than ${thresholds.loggingQueueDepth} events for 15 minutes`,
        // LoggingQueueDepth is published per AgentId only, and alarms cannot use SEARCH: a Metrics Insights query
        // takes the maximum over every agent's series, whichever agents exist.
        metric: new cloudwatch.MathExpression({
          expression: `SELECT MAX(LoggingQueueDepth) FROM SCHEMA(${JSON.stringify(this.#props.namespace)}, AgentId)`,
          label: 'Deepest agent logging queue',
          period: FIVE_MINUTES,
        }),
        threshold: thresholds.loggingQueueDepth,
        evaluationPeriods: 3,
        topics: [topics.errors],
      },
      {
        id: 'NoUsageData',
        description: `No Bedrock requests recorded for ${thresholds.noUsageHours} hours (Runbook 4: Missing Cost Data)`,
        metric: this.#metric('Requests', 'Sum', ONE_HOUR),
        threshold: 1,
        evaluationPeriods: thresholds.noUsageHours,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        // Here no data is the symptom.
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
        topics: paging,
      },
    ];
  }

  #thresholdAlarm(alarm: ThresholdAlarm): [string, cloudwatch.Alarm] {
    const alarmName = `BedrockUsage-${alarm.id}`;
    const created = new cloudwatch.Alarm(this, alarm.id, {
      alarmName,
      alarmDescription: alarm.description,
      metric: alarm.metric,
      threshold: alarm.threshold,
      evaluationPeriods: alarm.evaluationPeriods,
      comparisonOperator: alarm.comparisonOperator ?? cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: alarm.treatMissingData ?? cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    return [alarmName, this.#route(created, alarm.topics)];
  }

  #costAnomalyAlarm(): [string, cloudwatch.Alarm] {
    const alarmName = 'BedrockUsage-CostAnomaly';
    // The alarm creates the anomaly detector model of its ANOMALY_DETECTION_BAND(m0, stdDevs) expression.
    const alarm = new cloudwatch.AnomalyDetectionAlarm(this, 'CostAnomaly', {
      alarmName,
      alarmDescription: `Hourly Bedrock cost above its anomaly band (${this.#props.thresholds.costAnomalyBandStdDevs} standard deviations)`,
      metric: this.#metric('EstimatedCost', 'Sum', ONE_HOUR),
      stdDevs: this.#props.thresholds.costAnomalyBandStdDevs,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_UPPER_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    return [alarmName, this.#route(alarm, [this.#props.topics.cost])];
  }

  #route(alarm: cloudwatch.Alarm, topics: readonly ITopic[]): cloudwatch.Alarm {
    alarm.addAlarmAction(...topics.map((topic) => new SnsAction(topic)));
    if (topics.includes(this.#props.topics.critical)) alarm.addOkAction(new SnsAction(this.#props.topics.critical));
    return alarm;
  }

  /** The spec's "Bedrock Usage Overview", then cost without a hard-coded agent list, by model, by incident, and the prompt cache. */
  #overviewDashboard(): void {
    const { region, agentIds, usageLogGroups } = this.#props;
    const hourly = { region, period: ONE_HOUR, statistic: 'Sum', width: WIDTH };
    const dashboard = new cloudwatch.Dashboard(this, 'Overview', { dashboardName: 'BedrockUsage-Overview' });
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({ ...hourly, title: 'Hourly Cost and Token Usage', left: [this.#metric('EstimatedCost', 'Sum', ONE_HOUR)], right: [this.#metric('TotalTokens', 'Sum', ONE_HOUR)] }),
      new cloudwatch.GraphWidget({ ...hourly, title: 'Cost by Agent', left: agentIds.map((agentId) => this.#metric('EstimatedCost', 'Sum', ONE_HOUR, { AgentId: agentId })) }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({ region, period: FIVE_MINUTES, statistic: 'Sum', width: WIDTH, title: 'Error Rates', left: [this.#metric('APIErrors', 'Sum', FIVE_MINUTES), this.#metric('LoggingErrors', 'Sum', FIVE_MINUTES)] }),
      new cloudwatch.GraphWidget({ ...hourly, title: 'Cost by Agent (every agent)', left: [this.#search('EstimatedCost', ['AgentId'], 'Sum', ONE_HOUR)] }),
    );
    const cacheRead = this.#metric('CacheReadInputTokens', 'Sum', ONE_HOUR);
    const cacheWrite = this.#metric('CacheWriteInputTokens', 'Sum', ONE_HOUR);
    const uncached = this.#metric('InputTokens', 'Sum', ONE_HOUR);
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({ ...hourly, title: 'Cost by Model (per agent)', left: [this.#search('EstimatedCost', ['AgentId', 'ModelId'], 'Sum', ONE_HOUR)] }),
      new cloudwatch.LogQueryWidget({
        region,
        width: WIDTH,
        title: 'Cost by Incident (USD)',
        logGroupNames: usageLogGroups.map((group) => group.logGroupName),
        queryLines: ['fields incident_id, estimated_cost', 'filter ispresent(incident_id) and ispresent(estimated_cost)', 'stats sum(estimated_cost) as cost_usd by incident_id', 'sort cost_usd desc', 'limit 50'],
        view: cloudwatch.LogQueryVisualizationType.TABLE,
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        ...hourly,
        title: 'Prompt Cache Efficiency',
        left: [cacheRead, cacheWrite, uncached],
        right: [
          new cloudwatch.MathExpression({
            expression: '100 * cacheRead / (cacheRead + cacheWrite + uncached)',
            usingMetrics: { cacheRead, cacheWrite, uncached },
            label: 'Input tokens read from the cache (%)',
            period: ONE_HOUR,
          }),
        ],
      }),
    );
  }

  /**
   * The spec's "Performance" dashboard, then the p95 latency. The spec's "Request Rate" is kept as written (Sum of
   * RequestsPerSecond per 5 min): each call adds 1/60, so it reads as 5 × the mean rate per second.
   */
  #performanceDashboard(): void {
    const { region } = this.#props;
    const fiveMinutes = { region, period: FIVE_MINUTES, width: WIDTH };
    const dashboard = new cloudwatch.Dashboard(this, 'Performance', { dashboardName: 'BedrockUsage-Performance' });
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({ ...fiveMinutes, statistic: 'Average', title: 'Latency Metrics', left: [this.#metric('APILatency', 'Average', FIVE_MINUTES), this.#metric('LoggingLatency', 'Average', FIVE_MINUTES)] }),
      new cloudwatch.GraphWidget({ ...fiveMinutes, statistic: 'Sum', title: 'Request Rate', left: [this.#metric('RequestsPerSecond', 'Sum', FIVE_MINUTES)] }),
    );
    dashboard.addWidgets(new cloudwatch.GraphWidget({ ...fiveMinutes, statistic: 'p95', title: 'API Latency p95', left: [this.#metric('APILatency', 'p95', FIVE_MINUTES)] }));
  }

  /** The pipeline itself: queue depth per agent, breaker trips, table throttles, logging errors, and every alarm's state. */
  #healthDashboard(): void {
    const { region, tableName } = this.#props;
    const fiveMinutes = { region, period: FIVE_MINUTES, width: WIDTH };
    const dashboard = new cloudwatch.Dashboard(this, 'Health', { dashboardName: 'BedrockUsage-Health' });
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({ ...fiveMinutes, statistic: 'Maximum', title: 'Logging Queue Depth by Agent', left: [this.#search('LoggingQueueDepth', ['AgentId'], 'Maximum', FIVE_MINUTES)] }),
      new cloudwatch.GraphWidget({ ...fiveMinutes, statistic: 'Sum', title: 'Circuit Breaker Trips', left: [this.#metric('CircuitBreakerTrips', 'Sum', FIVE_MINUTES)] }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({ ...fiveMinutes, statistic: 'Sum', title: `DynamoDB Throttles (${tableName})`, left: [this.#metric('DynamoDBThrottles', 'Sum', FIVE_MINUTES, { TableName: tableName })] }),
      new cloudwatch.GraphWidget({ ...fiveMinutes, statistic: 'Sum', title: 'Logging Errors', left: [this.#metric('LoggingErrors', 'Sum', FIVE_MINUTES)] }),
    );
    dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: 'Alarms', width: 2 * WIDTH, alarms: Object.values(this.alarms) }));
  }

  #queryDefinitions(): void {
    for (const [name, query] of Object.entries(SPEC_QUERIES)) {
      new logs.QueryDefinition(this, `${name}Query`, {
        queryDefinitionName: `BedrockUsage/${name}`,
        queryString: new logs.QueryString(query),
        logGroups: [...this.#props.usageLogGroups],
      });
    }
  }

  #metric(metricName: MetricName, statistic: string, period: Duration, dimensionsMap?: Record<string, string>): cloudwatch.Metric {
    return new cloudwatch.Metric({ namespace: this.#props.namespace, metricName, statistic, period, ...(dimensionsMap === undefined ? {} : { dimensionsMap }) });
  }

  /** Every series of the metric with exactly these dimensions, whatever their values (new agents and models included). */
  #search(metricName: MetricName, dimensions: readonly string[], statistic: string, period: Duration): cloudwatch.SearchExpression {
    const schema = [JSON.stringify(this.#props.namespace), ...dimensions].join(',');
    return new cloudwatch.SearchExpression({
      expression: `SEARCH('{${schema}} MetricName="${metricName}"', '${statistic}', ${period.toSeconds()})`,
      period,
    });
  }
}
