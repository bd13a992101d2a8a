import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';

import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';

import { withUsageContext } from '@bedrock-usage/core';
import { createUsageTable } from '@bedrock-usage/sinks';
import { startBedrockStandIn, type BedrockStandIn } from '@bedrock-usage/stand-ins';
import { localDynamoDbClientConfig, startDynalite, type DynaliteServer } from '@bedrock-usage/testing';

import { trackUsage } from '../src';

const messages = [{ role: 'user' as const, content: [{ text: 'Summarise the incident.' }] }];

/** Everything written to a stream, as lines. */
function capture(): { output: PassThrough; lines: () => Record<string, unknown>[] } {
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { output, lines: () => text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('trackUsage: the default pipeline in one call', () => {
  let standIn: BedrockStandIn;
  let dynamo: DynaliteServer;
  let spoolDir: string;

  beforeAll(async () => {
    standIn = await startBedrockStandIn();
    dynamo = await startDynalite();
  });

  afterAll(async () => {
    await standIn.close();
    await dynamo.close();
  });

  beforeEach(() => {
    spoolDir = mkdtempSync(join(tmpdir(), 'bedrock-usage-kit-'));
  });

  afterEach(() => rmSync(spoolDir, { recursive: true, force: true }));

  const bedrock = (): BedrockRuntimeClient => new BedrockRuntimeClient({ endpoint: standIn.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });

  it('records each call once: a DynamoDB item and an EMF line with its cost, in the usage context', async () => {
    // Prepare
    const client = new DynamoDBClient(localDynamoDbClientConfig(dynamo.endpoint));
    await createUsageTable(client, 'kit-usage');
    const emf = capture();
    const usage = await trackUsage(bedrock(), { agentId: 'jira', region: 'us-east-1', store: { client, tableName: 'kit-usage' }, emf: { output: emf.output }, spool: { dir: spoolDir } });

    // Act
    const answer = await withUsageContext({ agentId: 'jira', incidentId: 'INC-20250311-0042' }, () => usage.client.send(new ConverseCommand({ modelId: 'us.amazon.nova-lite-v1:0', messages })));
    const report = await usage.shutdown();
    const { Items = [] } = await client.send(new ScanCommand({ TableName: 'kit-usage' }));

    // Assess: the agent's call is untouched; its usage is in the store and in an EMF line, exactly once
    expect(answer.usage?.inputTokens).toBeGreaterThan(0);
    expect(report).toEqual({ flushed: true, spooled: 0, dropped: 0 });
    const events = Items.filter((item) => item.sk?.S === 'EVENT');
    expect(events).toHaveLength(1);
    expect(events[0]?.incidentId?.S).toBe('INC-20250311-0042');
    expect(events[0]?.usage?.M?.inputTokens?.N).toBe(String(answer.usage?.inputTokens));
    const lines = emf.lines().filter((line) => line.event_id === events[0]?.eventId?.S);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.EstimatedCost).toBe(Number(events[0]?.cost?.M?.total?.S));
    client.destroy();
  });

  it('spools what the store cannot take and loses nothing; the agent\'s call still succeeds', async () => {
    // Prepare: a store nobody listens on
    const client = new DynamoDBClient({ ...localDynamoDbClientConfig('http://127.0.0.1:9'), maxAttempts: 1 });
    const usage = await trackUsage(bedrock(), { agentId: 'jira', region: 'us-east-1', store: { client }, emf: { output: new PassThrough() }, spool: { dir: spoolDir } });

    // Act
    const answer = await usage.client.send(new ConverseCommand({ modelId: 'us.amazon.nova-lite-v1:0', messages }));
    const report = await usage.shutdown(2000);

    // Assess
    expect(answer.output?.message?.role).toBe('assistant');
    expect(report.dropped).toBe(0);
    const spooled = readdirSync(spoolDir).filter((name) => name.startsWith('DynamoDB'));
    expect(spooled).toHaveLength(1);
    expect(readFileSync(join(spoolDir, spooled[0] as string), 'utf8')).toContain('"agentId":"jira"');
    client.destroy();
  });
});
