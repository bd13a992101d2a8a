import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { localDynamoDbClientConfig, startDynalite, type DynaliteServer } from '@bedrock-usage/testing';

import { storeClockSkew } from '../src';

describe('storeClockSkew', () => {
  let dynamo: DynaliteServer;
  let skewed: Server;
  beforeAll(async () => {
    dynamo = await startDynalite();
    // A DynamoDB endpoint whose clock is 10 minutes ahead: it answers ListTables with its own Date header.
    skewed = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', date: new Date(Date.now() + 600_000).toUTCString() });
        response.end('{"TableNames":[]}');
      });
    });
    await new Promise<void>((resolve) => skewed.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await dynamo.close();
    await new Promise((resolve) => skewed.close(resolve));
  });

  it('finds no skew against an endpoint on this machine', async () => {
    const client = new DynamoDBClient(localDynamoDbClientConfig(dynamo.endpoint));
    const { skewMs, uncertaintyMs } = await storeClockSkew(client);
    client.destroy();
    expect(skewMs).not.toBeNull();
    expect(Math.abs(skewMs!)).toBeLessThanOrEqual(uncertaintyMs);
  });

  it('measures an endpoint 10 minutes ahead as +600 s, within its uncertainty', async () => {
    const client = new DynamoDBClient(localDynamoDbClientConfig(`http://127.0.0.1:${(skewed.address() as AddressInfo).port}`));
    const { skewMs, uncertaintyMs } = await storeClockSkew(client);
    client.destroy();
    expect(Math.abs(skewMs! - 600_000)).toBeLessThanOrEqual(uncertaintyMs);
  });
});
