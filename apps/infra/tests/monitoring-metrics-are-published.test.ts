import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

import { AGENT_DEFINITIONS } from '@bedrock-usage/agents';
import { PUBLISHED_DIMENSION_SETS, type MetricName } from '@bedrock-usage/di';

import { monitoringStack, NAMESPACE, TABLE_NAME } from './support/monitoring-stack';

/** One metric an alarm or a widget reads: a metric name and the exact dimension names it resolves to. */
interface MetricReference {
  /** `alarm <AlarmName>` or `dashboard <DashboardName> / <widget title>`. */
  readonly where: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: readonly string[];
}

type Json = Record<string, unknown>;
type Widget = { type: string; properties: { title?: string; metrics?: unknown[][]; period?: number; stat?: string; region?: string } };

const SEARCH = /SEARCH\(\s*'\{([^}]*)\}\s+MetricName="([^"]+)"'/;
const METRICS_INSIGHTS = /SELECT\s+\w+\((\w+)\)\s+FROM\s+SCHEMA\(([^)]*)\)/i;

/** The metrics a math expression reads by itself: a SEARCH's or a Metrics Insights query's schema; none for math over ids. */
function expressionReferences(where: string, expression: string): MetricReference[] {
  const search = SEARCH.exec(expression);
  const insights = METRICS_INSIGHTS.exec(expression);
  const [schema, metricName] = search ? [search[1], search[2]] : insights ? [insights[2], insights[1]] : [undefined, undefined];
  if (schema === undefined || metricName === undefined) {
    if (/\b(SEARCH|SELECT)\b/i.test(expression)) throw new Error(`${where}: cannot read the schema of "${expression}" — use {Namespace,Dimension,...} / SCHEMA(Namespace, Dimension, ...)`);
    return [];
  }
  const [namespace = '', ...dimensions] = schema.split(',').map((part) => part.trim().replace(/^"(.*)"$/, '$1'));
  return [{ where, namespace, metricName, dimensions }];
}

/** An alarm's metrics: its single metric, or each MetricStat and expression of its Metrics[]. */
function alarmReferences(properties: Json): MetricReference[] {
  const where = `alarm ${String(properties.AlarmName)}`;
  const stat = (metric: Json): MetricReference => ({
    where,
    namespace: String(metric.Namespace),
    metricName: String(metric.MetricName),
    dimensions: ((metric.Dimensions ?? []) as { Name: string }[]).map((dimension) => dimension.Name),
  });
  if (properties.Metrics === undefined) return [stat(properties)];
  return (properties.Metrics as { MetricStat?: { Metric: Json }; Expression?: string }[]).flatMap((query) =>
    query.MetricStat ? [stat(query.MetricStat.Metric)] : expressionReferences(where, query.Expression ?? ''),
  );
}

/**
 * A dashboard's body as JSON: the body is an `Fn::Join` when it holds tokens (log group names, alarm ARNs), which sit
 * inside JSON strings, so each is replaced by a placeholder before parsing.
 */
function dashboardBody(body: unknown): { widgets: Widget[] } {
  const text = typeof body === 'string' ? body : (body as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : 'TOKEN')).join('');
  return JSON.parse(text) as { widgets: Widget[] };
}

/** A widget's metrics: rows `[namespace, name, dimension, value, ..., {options}?]` and `[{expression, ...}]`. */
function widgetReferences(where: string, widget: Widget): MetricReference[] {
  return (widget.properties.metrics ?? []).flatMap((row) => {
    const [first] = row;
    if (typeof first === 'object' && first !== null) return expressionReferences(where, String((first as { expression?: string }).expression));
    const names = row.filter((cell): cell is string => typeof cell === 'string');
    if (names.includes('.') || names.includes('...')) throw new Error(`${where}: shorthand rows ("." / "...") are not read — write each row in full`);
    const [namespace = '', metricName = '', ...pairs] = names;
    return [{ where, namespace, metricName, dimensions: pairs.filter((_, index) => index % 2 === 0) }];
  });
}

/** Every metric every alarm and every dashboard widget of a synthesized template reads. */
function metricReferences(template: Json): MetricReference[] {
  const resources = Object.values(template.Resources as Record<string, { Type: string; Properties: Json }>);
  return resources.flatMap(({ Type, Properties }) => {
    if (Type === 'AWS::CloudWatch::Alarm') return alarmReferences(Properties);
    if (Type !== 'AWS::CloudWatch::Dashboard') return [];
    return dashboardBody(Properties.DashboardBody).widgets.flatMap((widget) => widgetReferences(`dashboard ${String(Properties.DashboardName)} / ${widget.properties.title ?? widget.type}`, widget));
  });
}

/** The references that resolve to nothing bedrock-usage publishes: another namespace, an unknown metric, or a dimension set not in PUBLISHED_DIMENSION_SETS. */
function unpublished(references: readonly MetricReference[], namespace: string): string[] {
  const key = (dimensions: readonly string[]): string => [...dimensions].sort().join(',');
  return references
    .filter((reference) => {
      const published = PUBLISHED_DIMENSION_SETS[reference.metricName as MetricName] as readonly (readonly string[])[] | undefined;
      return reference.namespace !== namespace || published === undefined || !published.some((set) => key(set) === key(reference.dimensions));
    })
    .map(({ where, namespace: actual, metricName, dimensions }) => `${where}: ${actual}/${metricName}{${dimensions.join(',')}}`);
}

describe('every metric the monitoring reads is one the code publishes', () => {
  it('every alarm and every dashboard widget resolves to a published (metric, dimension set) in the namespace', () => {
    // Prepare
    const { stack, monitoring } = monitoringStack();
    // Act
    const references = metricReferences(Template.fromStack(stack).toJSON());
    // Assess
    expect(unpublished(references, NAMESPACE)).toEqual([]);
    const alarmNames = Object.keys(monitoring.alarms);
    const places = new Set(references.map((reference) => reference.where.split(' / ')[0]));
    expect([...places].sort()).toEqual([...alarmNames.map((name) => `alarm ${name}`), 'dashboard BedrockUsage-Health', 'dashboard BedrockUsage-Overview', 'dashboard BedrockUsage-Performance'].sort());
    expect(references).toContainEqual({ where: 'alarm BedrockUsage-LoggingQueueDepthGrowing', namespace: NAMESPACE, metricName: 'LoggingQueueDepth', dimensions: ['AgentId'] });
    expect(references).toContainEqual({ where: 'dashboard BedrockUsage-Overview / Cost by Model (per agent)', namespace: NAMESPACE, metricName: 'EstimatedCost', dimensions: ['AgentId', 'ModelId'] });
  });

  it('reports a widget, a SEARCH and an alarm that read a dimension set nobody publishes', () => {
    // Prepare
    const { stack, monitoring } = monitoringStack();
    const wrongCost = new cloudwatch.Metric({ namespace: NAMESPACE, metricName: 'EstimatedCost', statistic: 'Sum', dimensionsMap: { ModelId: 'anthropic.claude-3-haiku-20240307-v1:0' } });
    new cloudwatch.Dashboard(monitoring, 'Wrong', { dashboardName: 'Wrong' }).addWidgets(
      new cloudwatch.GraphWidget({ title: 'Cost by model alone', left: [wrongCost] }),
      new cloudwatch.GraphWidget({ title: 'Search by model alone', left: [new cloudwatch.SearchExpression({ expression: `SEARCH('{${NAMESPACE},ModelId} MetricName="EstimatedCost"', 'Sum', 3600)` })] }),
    );
    new cloudwatch.Alarm(monitoring, 'FleetQueue', {
      alarmName: 'Wrong-FleetQueueDepth',
      metric: new cloudwatch.Metric({ namespace: NAMESPACE, metricName: 'LoggingQueueDepth', period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
    });
    // Act
    const problems = unpublished(metricReferences(Template.fromStack(stack).toJSON()), NAMESPACE);
    // Assess
    expect(problems.sort()).toEqual([
      'alarm Wrong-FleetQueueDepth: BedrockUsage/LoggingQueueDepth{}',
      'dashboard Wrong / Cost by model alone: BedrockUsage/EstimatedCost{ModelId}',
      'dashboard Wrong / Search by model alone: BedrockUsage/EstimatedCost{ModelId}',
    ]);
  });

  it('reports another namespace and a metric nobody publishes, and refuses a SEARCH without a schema', () => {
    // Prepare
    const references: MetricReference[] = [
      { where: 'alarm A', namespace: 'Other', metricName: 'EstimatedCost', dimensions: [] },
      { where: 'alarm B', namespace: NAMESPACE, metricName: 'TokensPerDollar', dimensions: [] },
    ];
    // Act
    const problems = unpublished(references, NAMESPACE);
    const schemaless = (): unknown => expressionReferences('widget C', `SEARCH('MetricName="EstimatedCost"', 'Sum', 300)`);
    // Assess
    expect(problems).toEqual(['alarm A: Other/EstimatedCost{}', 'alarm B: BedrockUsage/TokensPerDollar{}']);
    expect(schemaless).toThrow('widget C: cannot read the schema');
  });
});

describe("the spec's dashboards, widget for widget", () => {
  const { stack } = monitoringStack();
  const dashboards = Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard');
  const widget = (dashboardName: string, title: string): Widget | undefined =>
    Object.values(dashboards)
      .filter((dashboard) => (dashboard.Properties as Json).DashboardName === dashboardName)
      .flatMap((dashboard) => dashboardBody((dashboard.Properties as Json).DashboardBody).widgets)
      .find((candidate) => candidate.properties.title === title);
  /** A widget's rows without their options: `[namespace, name, dimension, value, ...]`. */
  const rows = (found: Widget | undefined): unknown[][] | undefined => found?.properties.metrics?.map((row) => row.filter((cell) => typeof cell === 'string'));

  it.each([
    ['BedrockUsage-Overview', 'Hourly Cost and Token Usage', [[NAMESPACE, 'EstimatedCost'], [NAMESPACE, 'TotalTokens']], 3600, 'Sum'],
    ['BedrockUsage-Overview', 'Cost by Agent', AGENT_DEFINITIONS.map(({ agentId }) => [NAMESPACE, 'EstimatedCost', 'AgentId', agentId]), 3600, 'Sum'],
    ['BedrockUsage-Overview', 'Error Rates', [[NAMESPACE, 'APIErrors'], [NAMESPACE, 'LoggingErrors']], 300, 'Sum'],
    ['BedrockUsage-Performance', 'Latency Metrics', [[NAMESPACE, 'APILatency'], [NAMESPACE, 'LoggingLatency']], 300, 'Average'],
    ['BedrockUsage-Performance', 'Request Rate', [[NAMESPACE, 'RequestsPerSecond']], 300, 'Sum'],
  ])('%s has "%s" with the spec\'s metrics, period and statistic', (dashboardName, title, metrics, period, stat) => {
    // Act
    const found = widget(dashboardName, title);
    // Assess
    expect(rows(found)).toEqual(metrics);
    expect(found?.properties).toMatchObject({ period, stat, region: 'eu-west-1' });
    expect(found?.properties.metrics?.map((row) => (row.at(-1) as { stat?: string }).stat ?? stat)).toEqual(metrics.map(() => stat));
  });

  it.each([
    ['BedrockUsage-Overview', 'Cost by Agent (every agent)', `SEARCH('{"${NAMESPACE}",AgentId} MetricName="EstimatedCost"', 'Sum', 3600)`],
    ['BedrockUsage-Overview', 'Cost by Model (per agent)', `SEARCH('{"${NAMESPACE}",AgentId,ModelId} MetricName="EstimatedCost"', 'Sum', 3600)`],
    ['BedrockUsage-Health', 'Logging Queue Depth by Agent', `SEARCH('{"${NAMESPACE}",AgentId} MetricName="LoggingQueueDepth"', 'Maximum', 300)`],
  ])('%s has "%s" without a hard-coded agent list', (dashboardName, title, expression) => {
    // Act
    const found = widget(dashboardName, title);
    // Assess
    expect(found?.properties.metrics).toEqual([[expect.objectContaining({ expression })]]);
  });

  it('adds cost by incident, cache efficiency, p95 latency and the pipeline health widgets', () => {
    // Act
    const incident = widget('BedrockUsage-Overview', 'Cost by Incident (USD)') as (Widget & { properties: { query?: string } }) | undefined;
    // Assess
    expect(incident?.type).toBe('log');
    expect(incident?.properties.query).toMatch(/^SOURCE 'TOKEN' \| SOURCE 'TOKEN' \| .*stats sum\(estimated_cost\) as cost_usd by incident_id/s);
    expect(rows(widget('BedrockUsage-Overview', 'Prompt Cache Efficiency'))).toEqual([[NAMESPACE, 'CacheReadInputTokens'], [NAMESPACE, 'CacheWriteInputTokens'], [NAMESPACE, 'InputTokens'], []]);
    expect(widget('BedrockUsage-Performance', 'API Latency p95')?.properties).toMatchObject({ metrics: [[NAMESPACE, 'APILatency', { stat: 'p95' }]], period: 300 });
    expect(rows(widget('BedrockUsage-Health', 'Circuit Breaker Trips'))).toEqual([[NAMESPACE, 'CircuitBreakerTrips']]);
    expect(rows(widget('BedrockUsage-Health', `DynamoDB Throttles (${TABLE_NAME})`))).toEqual([[NAMESPACE, 'DynamoDBThrottles', 'TableName', TABLE_NAME]]);
    expect(rows(widget('BedrockUsage-Health', 'Logging Errors'))).toEqual([[NAMESPACE, 'LoggingErrors']]);
  });
});
