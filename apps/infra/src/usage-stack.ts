import { join } from 'node:path';

import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SnsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct, IConstruct } from 'constructs';

import { USAGE_TABLE_INDEXES } from '@bedrock-usage/di';

import type { InfraConfig } from './infra-config';
import { UsageMonitoring } from './monitoring/usage-monitoring';


/**
 * Props of {@link UsageStack}.
 *
 * @example
 * new UsageStack(app, 'BedrockUsage', { config: loadInfraConfig(app.node.getAllContext()), repoRoot });
 */
export interface UsageStackProps extends StackProps {
  readonly config: InfraConfig;
  /** The repository root: the Lambda entry points are bundled from its sources with the local esbuild. */
  readonly repoRoot: string;
}

/** The log groups of the spec's three functions (monitoring-guide.md, "CloudWatch Logs Groups"). */
export const SPEC_LOG_GROUPS = {
  tokenLogging: '/aws/lambda/cloud-engineer-token-logging',
  costAnalyzer: '/aws/lambda/cloud-engineer-cost-analyzer',
  metricsPublisher: '/aws/lambda/cloud-engineer-metrics-publisher',
} as const;

/** The log group of an agent's processes (ECS `awslogs`, or a Lambda function's `loggingConfig`). */
export function agentLogGroupName(agentId: string): string {
  return `/bedrock-usage/agents/${agentId}`;
}

/**
 * bedrock-usage on AWS: the usage table (the store's exact key design, its stream for the batch publisher), the
 * alert topics and their subscriptions, the log groups, the batch publisher (DynamoDB Stream) and the reporting
 * worker (EventBridge schedule) as Lambda functions bundled with the local esbuild, a least-privilege role per
 * agent, and the monitoring (alarms, dashboards, saved queries).
 *
 * @example
 * const stack = new UsageStack(app, 'BedrockUsage', { config, repoRoot, env: { region: config.region } });
 */
export class UsageStack extends Stack {
  readonly table: dynamodb.Table;
  readonly topics: { readonly cost: sns.Topic; readonly errors: sns.Topic; readonly critical: sns.Topic };
  readonly agentRoles: Readonly<Record<string, iam.Role>>;

  constructor(scope: Construct, id: string, props: UsageStackProps) {
    super(scope, id, props);
    const { config, repoRoot } = props;

    this.table = usageTable(this, config.tableName);
    this.topics = alertTopics(this, config, repoRoot);

    const logGroup = (constructId: string, logGroupName: string): logs.LogGroup =>
      new logs.LogGroup(this, constructId, { logGroupName, retention: config.logRetentionDays as logs.RetentionDays, removalPolicy: RemovalPolicy.RETAIN });
    const specGroups = {
      tokenLogging: logGroup('TokenLoggingLogs', SPEC_LOG_GROUPS.tokenLogging),
      costAnalyzer: logGroup('CostAnalyzerLogs', SPEC_LOG_GROUPS.costAnalyzer),
      metricsPublisher: logGroup('MetricsPublisherLogs', SPEC_LOG_GROUPS.metricsPublisher),
    };
    const agentIds = Object.keys(config.agents);
    const agentGroups = agentIds.map((agentId) => logGroup(`${pascal(agentId)}Logs`, agentLogGroupName(agentId)));

    // What every process that writes or aggregates usage needs (the agents too: see the AgentEnvironment output).
    const usageEnvironment: Record<string, string> = {
      BEDROCK_USAGE_TABLE: this.table.tableName,
      BEDROCK_USAGE_NAMESPACE: config.namespace,
      ...(config.rawEventRetentionDays === undefined ? {} : { BEDROCK_USAGE_EVENT_RETENTION_DAYS: String(config.rawEventRetentionDays) }),
    };
    new CfnOutput(this, 'AgentEnvironment', {
      description: 'The environment of every agent process (with its role bedrock-usage-agent-<agent>)',
      value: Stack.of(this).toJsonString({ ...usageEnvironment, BEDROCK_USAGE_SINKS: 'store,emf', AWS_REGION: config.region }),
    });

    const bundle = (constructId: string, functionName: string, entry: string, logs: logs.ILogGroup, environment: Record<string, string>, timeout: Duration): nodejs.NodejsFunction =>
      new nodejs.NodejsFunction(this, constructId, {
        functionName,
        entry: join(repoRoot, entry),
        handler: 'handler',
        runtime: lambda.Runtime.NODEJS_22_X,
        architecture: lambda.Architecture.ARM_64,
        memorySize: 512,
        timeout,
        logGroup: logs,
        projectRoot: repoRoot,
        depsLockFilePath: join(repoRoot, 'package-lock.json'),
        environment: { ...usageEnvironment, NODE_OPTIONS: '--enable-source-maps', ...environment },
        bundling: {
          // The pinned local esbuild (package.json): without it CDK would bundle in Docker.
          forceDockerBundling: false,
          tsconfig: join(repoRoot, 'tsconfig.base.json'),
          target: 'node22',
          format: nodejs.OutputFormat.CJS,
          minify: true,
          sourceMap: true,
          // Our pinned SDK clients, not the runtime's.
          externalModules: [],
        },
      });

    const publisher = bundle('BatchPublisher', 'cloud-engineer-metrics-publisher', 'apps/batch-publisher/src/main.ts', specGroups.metricsPublisher, { BEDROCK_USAGE_METRICS_PRODUCER: 'agents' }, Duration.minutes(5));
    publisher.addEventSource(
      new DynamoEventSource(this.table, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 500,
        maxBatchingWindow: Duration.seconds(5),
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        retryAttempts: 10,
        // New events only: aggregates, heartbeats and re-puts are not new usage.
        filters: [lambda.FilterCriteria.filter({ eventName: lambda.FilterRule.isEqual('INSERT'), dynamodb: { Keys: { pk: { S: lambda.FilterRule.beginsWith('EVENT#') } } } })],
      }),
    );
    // Recomputes the touched hours from the events (Query on byDay) and writes the aggregates (PutItem).
    allowTable(publisher, this.table, ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem']);

    const reporter = bundle(
      'ReportingWorker',
      'cloud-engineer-cost-analyzer',
      'apps/reporting-worker/src/main.ts',
      specGroups.costAnalyzer,
      {
        BEDROCK_USAGE_REPORTS_DIR: '/tmp/reports',
        BEDROCK_USAGE_DAILY_COST_THRESHOLD: String(config.thresholds.dailyCostUsd),
        BEDROCK_USAGE_HOURLY_COST_THRESHOLD: String(config.thresholds.hourlyCostUsd),
        BEDROCK_USAGE_REPORT_SNS_TOPIC_ARN: this.topics.cost.topicArn,
      },
      Duration.minutes(10),
    );
    allowTable(reporter, this.table, ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem']);
    this.topics.cost.grantPublish(reporter);
    new events.Rule(this, 'DailyReportSchedule', {
      description: 'The daily cost report, for the previous UTC day',
      schedule: events.Schedule.expression(config.reportSchedule),
      targets: [new targets.LambdaFunction(reporter, { retryAttempts: 2, maxEventAge: Duration.hours(6) })],
    });

    this.agentRoles = Object.fromEntries(
      Object.entries(config.agents).map(([agentId, models], i) => [agentId, agentRole(this, agentId, models, config, this.table, agentGroups[i] as logs.LogGroup)]),
    );


    new UsageMonitoring(this, 'Monitoring', {
      namespace: config.namespace,
      region: config.region,
      tableName: config.tableName,
      agentIds,
      thresholds: config.thresholds,
      topics: this.topics,
      // Every log group that carries usage log lines: the spec's token-logging group and the agents'.
      usageLogGroups: [specGroups.tokenLogging, ...agentGroups],
    });

    const tableArn = `<${this.getLogicalId(this.table.node.defaultChild as dynamodb.CfnTable)}.Arn>`;
    for (const fn of [publisher, reporter]) {
      acknowledgeLambdaBasics(fn);
      acknowledge(fn, [`IAM5[Resource::${tableArn}/index/*]`], 'the reads cover the usage table\'s four indexes (table/index/*), nothing else');
    }
    acknowledge(publisher, ['IAM5[Resource::*]'], 'dynamodb:ListStreams has no resource-level permissions (the event source mapping grants it on *)');
    acknowledge(reporter, ['IAM5[Action::kms:GenerateDataKey*]'], 'publishing to the encrypted cost topic needs its key\'s GenerateDataKey* (granted by topic.grantPublish, on that key only)');
  }
}

function usageTable(scope: Construct, tableName: string): dynamodb.Table {
  const table = new dynamodb.Table(scope, 'UsageTable', {
    tableName,
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    // Heartbeats (PROCESS) and breaker reset requests (CONTROL) expire; events and aggregates are kept.
    timeToLiveAttribute: 'expiresAt',
    // The batch publisher decodes each new event from the record's new image.
    stream: dynamodb.StreamViewType.NEW_IMAGE,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  for (const index of Object.values(USAGE_TABLE_INDEXES)) {
    table.addGlobalSecondaryIndex({
      indexName: index.indexName,
      partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });
  }
  return table;
}

/**
 * The cost, errors and critical (paging) topics, encrypted with a key CloudWatch alarms may use, TLS only; email
 * subscriptions on each, PagerDuty (HTTPS) on critical, Slack / Teams through a small webhook function on each.
 */
function alertTopics(scope: Construct, config: InfraConfig, repoRoot: string): UsageStack['topics'] {
  const key = new kms.Key(scope, 'AlertsKey', { description: 'bedrock-usage alert topics', enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
  // CloudWatch alarms publish to encrypted topics only with a customer managed key that allows them.
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
    }),
  );
  const topic = (id: string, displayName: string): sns.Topic => new sns.Topic(scope, id, { topicName: displayName, displayName, masterKey: key, enforceSSL: true });
  const topics = { cost: topic('CostAlerts', 'BedrockUsage-CostAlerts'), errors: topic('ErrorAlerts', 'BedrockUsage-ErrorAlerts'), critical: topic('CriticalAlerts', 'BedrockUsage-Critical') };
  const all = Object.values(topics);
  for (const email of config.alerts.emails) for (const each of all) each.addSubscription(new subscriptions.EmailSubscription(email));
  if (config.alerts.pagerDutyUrl !== undefined) topics.critical.addSubscription(new subscriptions.UrlSubscription(config.alerts.pagerDutyUrl, { protocol: sns.SubscriptionProtocol.HTTPS }));
  const webhooks = [config.alerts.slackWebhookUrl, config.alerts.teamsWebhookUrl].filter((url): url is string => url !== undefined);
  if (webhooks.length > 0) {
    const notifier = new nodejs.NodejsFunction(scope, 'AlarmWebhookNotifier', {
      entry: join(repoRoot, 'apps/infra/src/alarm-webhook/alarm-webhook-handler.ts'),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      timeout: Duration.seconds(30),
      projectRoot: repoRoot,
      depsLockFilePath: join(repoRoot, 'package-lock.json'),
      environment: { ALARM_WEBHOOK_URLS: webhooks.join(' ') },
      bundling: { forceDockerBundling: false, tsconfig: join(repoRoot, 'tsconfig.base.json'), target: 'node22', minify: true, externalModules: [] },
    });
    for (const each of all) notifier.addEventSource(new SnsEventSource(each));
    acknowledgeLambdaBasics(notifier);
  }
  return topics;
}

/** The table and its indexes, for exactly these actions. */
function allowTable(grantee: iam.IGrantable, table: dynamodb.Table, actions: readonly string[]): void {
  grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [...actions], resources: [table.tableArn, `${table.tableArn}/index/*`] }));
}

/**
 * An agent's role (Lambda or ECS task): Bedrock invoke on its configured models and inference profiles only,
 * PutMetricData only into the namespace, the usage table's writes (events, heartbeats) and the reads of breaker
 * reset requests, and its own log group.
 */
function agentRole(scope: Construct, agentId: string, models: readonly string[], config: InfraConfig, table: dynamodb.Table, logGroup: logs.LogGroup): iam.Role {
  const role = new iam.Role(scope, `${pascal(agentId)}AgentRole`, {
    roleName: `bedrock-usage-agent-${agentId}`,
    description: `The ${agentId} agent: Bedrock on its models, usage into the table and CloudWatch namespace ${config.namespace}`,
    assumedBy: new iam.CompositePrincipal(new iam.ServicePrincipal('lambda.amazonaws.com'), new iam.ServicePrincipal('ecs-tasks.amazonaws.com')),
  });
  role.addToPolicy(new iam.PolicyStatement({ sid: 'InvokeConfiguredModels', actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'], resources: models.flatMap((model) => modelArns(model, config)) }));
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'PutMetricDataIntoTheNamespaceOnly',
      actions: ['cloudwatch:PutMetricData'],
      // PutMetricData has no resource-level permissions: the namespace condition is the scope.
      resources: ['*'],
      conditions: { StringEquals: { 'cloudwatch:namespace': config.namespace } },
    }),
  );
  role.addToPolicy(new iam.PolicyStatement({ sid: 'WriteUsageAndHeartbeats', actions: ['dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:Query'], resources: [table.tableArn] }));
  role.addToPolicy(new iam.PolicyStatement({ sid: 'OwnLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [`${logGroup.logGroupArn}:*`] }));
  acknowledge(role, ['IAM5[Resource::*]'], 'PutMetricData has no resource ARN: the cloudwatch:namespace condition scopes it');
  acknowledge(role, [`IAM5[Resource::<${Stack.of(role).getLogicalId(logGroup.node.defaultChild as logs.CfnLogGroup)}.Arn>:*]`], 'log streams are named at run time, within the agent\'s own group');
  acknowledge(
    role,
    models.flatMap((model) => modelArns(model, config).filter((arn) => arn.includes(':*:')).map((arn) => `IAM5[Resource::${arn}]`)),
    'a cross-region inference profile routes to its model in any region of the profile: the model is fixed, the region cannot be',
  );
  return role;
}

/**
 * IAM resources for a model id as called: a foundation model in the stack's region, or a cross-region inference
 * profile (`us.`, `eu.`, `apac.`, …) in this account plus its foundation model in the regions it routes to.
 */
function modelArns(model: string, config: InfraConfig): string[] {
  const profile = /^(us|eu|apac|us-gov|ca|jp|au|global)\.(.+)$/.exec(model);
  if (!profile) return [`arn:aws:bedrock:${config.region}::foundation-model/${model}`];
  return [`arn:aws:bedrock:${config.region}:${config.account ?? Aws.ACCOUNT_ID}:inference-profile/${model}`, `arn:aws:bedrock:*::foundation-model/${profile[2]}`];
}

/** Acknowledges cdk-nag AwsSolutions findings (`IAM5[Resource::…]`) on a construct and its children, with the reason. */
function acknowledge(scope: IConstruct, findings: readonly string[], reason: string): void {
  for (const finding of findings) Validations.of(scope).acknowledge({ id: `AwsSolutions::AwsSolutions-${finding}`, reason });
}

function acknowledgeLambdaBasics(fn: IConstruct): void {
  acknowledge(fn, ['IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]'], 'AWSLambdaBasicExecutionRole is the documented minimum for a function writing its own logs');
  acknowledge(fn, ['L1'], 'Node.js 22: the code is tested on Node 20 and 22; Node 24 is not tested here yet');
}

function pascal(id: string): string {
  return id.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
}
