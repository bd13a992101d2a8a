import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';

import { buildApp } from '../src/main';

import { resourcesOf, synthesizedStack, type SynthesizedStack } from './support/synthesized-stack';

interface Statement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** Every statement of the identity policies (AWS::IAM::Policy and roles' inline policies), with where it is. */
function identityStatements(json: SynthesizedStack['json']): { where: string; statement: Statement }[] {
  const policies = resourcesOf(json, 'AWS::IAM::Policy').map(([id, properties]) => ({ id, document: properties.PolicyDocument as { Statement: Statement[] } }));
  const inline = resourcesOf(json, 'AWS::IAM::Role').flatMap(([id, properties]) => ((properties.Policies as { PolicyDocument: { Statement: Statement[] } }[] | undefined) ?? []).map((policy) => ({ id, document: policy.PolicyDocument })));
  return [...policies, ...inline].flatMap(({ id, document }) => document.Statement.map((statement) => ({ where: id, statement })));
}

const actionsOf = (statement: Statement): string[] => (Array.isArray(statement.Action) ? statement.Action : [statement.Action]);

/** Identity statements granting `*` or `service:*`: what this stack must never have. */
function wildcardActions(json: SynthesizedStack['json']): string[] {
  return identityStatements(json).flatMap(({ where, statement }) => actionsOf(statement).filter((action) => action === '*' || action.endsWith(':*')).map((action) => `${where}: ${action}`));
}

describe('IAM is least privilege', () => {
  const synthesized = synthesizedStack({ namespace: 'Agents/Prod' });
  const { json, template } = synthesized;

  it('no identity statement grants * or service:* actions', () => {
    // Assess
    expect(identityStatements(json).length).toBeGreaterThan(10);
    expect(wildcardActions(json)).toEqual([]);
  });

  it('PutMetricData is allowed only into the configured namespace', () => {
    // Act
    const putMetricData = identityStatements(json).filter(({ statement }) => actionsOf(statement).includes('cloudwatch:PutMetricData'));
    // Assess
    expect(putMetricData).toHaveLength(5);
    for (const { statement } of putMetricData) expect(statement.Condition).toEqual({ StringEquals: { 'cloudwatch:namespace': 'Agents/Prod' } });
  });

  it('each agent may invoke only its configured models and inference profiles', () => {
    // Assess: the cloud engineer's inference profile and its fallback, and their models in the profile's regions
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: synthesized.stack.getLogicalId(synthesized.stack.agentRoles['cloud-engineer']?.node.defaultChild as iam.CfnRole) }],
      PolicyDocument: {
        Statement: [
          {
            Sid: 'InvokeConfiguredModels',
            Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
            Resource: [
              { 'Fn::Join': ['', ['arn:aws:bedrock:us-east-1:', { Ref: 'AWS::AccountId' }, ':inference-profile/us.anthropic.claude-3-7-sonnet-20250219-v1:0']] },
              'arn:aws:bedrock:*::foundation-model/anthropic.claude-3-7-sonnet-20250219-v1:0',
              { 'Fn::Join': ['', ['arn:aws:bedrock:us-east-1:', { Ref: 'AWS::AccountId' }, ':inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0']] },
              'arn:aws:bedrock:*::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0',
            ],
          },
          { Sid: 'PutMetricDataIntoTheNamespaceOnly' },
          { Sid: 'WriteUsageAndHeartbeats', Action: ['dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:Query'] },
          { Sid: 'OwnLogs', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'] },
        ],
      },
    });
    // Mistral is not a cross-region profile: its foundation model in the stack's region only.
    const operations = identityStatements(json).find(({ where, statement }) => where.startsWith('OperationsAgentRole') && statement.Sid === 'InvokeConfiguredModels');
    expect(operations?.statement.Resource).toEqual('arn:aws:bedrock:us-east-1::foundation-model/mistral.mistral-large-2402-v1:0');
  });

  it('DynamoDB actions are scoped to the usage table and its indexes (ListStreams, which has no resource, aside)', () => {
    // Act
    const dynamo = identityStatements(json).filter(({ statement }) => actionsOf(statement).some((action) => action.startsWith('dynamodb:')));
    const resources = dynamo.flatMap(({ statement }) => (Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]));
    // Assess
    const tableId = synthesized.stack.getLogicalId(synthesized.stack.table.node.defaultChild as never);
    for (const resource of resources) {
      const text = JSON.stringify(resource);
      if (text === '"*"') continue;
      expect(text).toContain(tableId);
    }
    const star = dynamo.filter(({ statement }) => statement.Resource === '*');
    expect(star.flatMap(({ statement }) => actionsOf(statement))).toEqual(['dynamodb:ListStreams']);
  });

  it('passes cdk-nag\'s AwsSolutions rules (every acknowledgment carries its reason in the code)', () => {
    // Act: synthesizing the whole app runs the rules again (the template above passed them already)
    const synth = (): unknown => synthesized.app.synth();
    // Assess
    expect(synth).not.toThrow();
  });

  it('the checks fail on a planted wildcard: cdk-nag refuses the stack, the walker above reports it', () => {
    // Prepare
    const planted = buildApp({ 'aws:cdk:bundling-stacks': [] }, mkdtempSync(join(tmpdir(), 'bedrock-usage-cdk-')));
    plantWildcard(planted.stack);
    const bare = new Stack(new App(), 'Bare');
    plantWildcard(bare);
    // Act
    const nag = (): unknown => Template.fromStack(planted.stack);
    const walked = wildcardActions(Template.fromStack(bare).toJSON() as SynthesizedStack['json']);
    // Assess
    expect(nag).toThrow(/AwsSolutions-IAM5\[Action::dynamodb:\*\]/);
    expect(walked).toEqual([expect.stringMatching(/^PlantedRole.*: dynamodb:\*$/)]);
  });
});

function plantWildcard(stack: Stack): void {
  const role = new iam.Role(stack, 'PlantedRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  role.addToPolicy(new iam.PolicyStatement({ actions: ['dynamodb:*'], resources: ['arn:aws:dynamodb:us-east-1:123456789012:table/x'] }));
}
