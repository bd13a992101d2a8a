import { CreateTableCommand, DescribeTableCommand, TransactWriteItemsCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { startDynaliteBehindFaultProxy, type DynaliteBehindFaultProxy } from '@bedrock-usage/testing';

// The embedded store's limits, as the README states them: if a dynalite upgrade lifts one, this fails and the
// README (and the design choices that work around it) should be revisited.
describe('dynalite 4.0.0 (the embedded store) lacks Streams, transactions and TTL', () => {
  let local: DynaliteBehindFaultProxy;

  beforeEach(async () => {
    local = await startDynaliteBehindFaultProxy();
  });

  afterEach(async () => {
    await local.close();
  });

  it('accepts a StreamSpecification and ignores it (no stream, no stream ARN)', async () => {
    // Act
    await local.direct.send(
      new CreateTableCommand({
        TableName: 'streamed',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      }),
    );
    const { Table } = await local.direct.send(new DescribeTableCommand({ TableName: 'streamed' }));

    // Assess
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.StreamSpecification).toBeUndefined();
    expect(Table?.LatestStreamArn).toBeUndefined();
  });

  it('answers TransactWriteItems and UpdateTimeToLive with UnknownOperationException', async () => {
    // Act
    const transact = await local.direct
      .send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'any-table', Item: { pk: { S: 'x' } } } }] }))
      .catch((e: unknown) => e);
    const ttl = await local.direct
      .send(new UpdateTimeToLiveCommand({ TableName: 'any-table', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' } }))
      .catch((e: unknown) => e);

    // Assess
    expect(transact).toMatchObject({ name: 'UnknownOperationException', $metadata: { httpStatusCode: 400 } });
    expect(ttl).toMatchObject({ name: 'UnknownOperationException', $metadata: { httpStatusCode: 400 } });
  });
});
