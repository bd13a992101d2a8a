import { USAGE_TABLE_INDEXES } from '@bedrock-usage/di';

import { synthesizedStack } from './support/synthesized-stack';

describe('the usage table', () => {
  const { template } = synthesizedStack({ tableName: 'usage-prod' });

  it('has the store\'s keys, its four indexes projecting ALL, on-demand billing, PITR, TTL and a NEW_IMAGE stream', () => {
    // Assess
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'usage-prod',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
      GlobalSecondaryIndexes: Object.values(USAGE_TABLE_INDEXES).map((index) => ({
        IndexName: index.indexName,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    });
  });

  it('is kept when the stack is deleted (usage is the record of what was spent)', () => {
    // Assess
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });
});
