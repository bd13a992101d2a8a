import { CreateTableCommand } from '@aws-sdk/client-dynamodb';

import { startDynaliteBehindFaultProxy, type DynaliteBehindFaultProxy } from '../../src';

/**
 * dynalite behind the fault proxy, with one `pk`-keyed table created directly. The proxied client makes one attempt:
 * the SDK would otherwise retry the injected faults itself.
 */
export async function startProxiedTable(tableName: string): Promise<DynaliteBehindFaultProxy> {
  const local = await startDynaliteBehindFaultProxy({ maxAttempts: 1 });
  try {
    await local.direct.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    return local;
  } catch (error) {
    await local.close();
    throw error;
  }
}
