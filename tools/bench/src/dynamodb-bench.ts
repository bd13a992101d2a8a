import { type AttributeValue, DynamoDBClient, type BatchWriteItemCommandInput, type BatchWriteItemCommandOutput } from '@aws-sdk/client-dynamodb';
import { DynamoDbUsageStore, USAGE_TABLE_INDEXES, createUsageTable } from '@bedrock-usage/sinks';
import { InMemoryHealthMetrics, generateUsage, localDynamoDbClientConfig, startDynalite } from '@bedrock-usage/testing';

import { sized, type BenchContext } from './bench-context';
import { ratio, type Figure } from './figures';

const PHASE = 'P4 DynamoDB';
const TABLE = 'usage';
const PER = 1_000;
const INDEX_KEYS = Object.values(USAGE_TABLE_INDEXES).map((index) => index.partitionKey);

/** DynamoDB's item size rule: attribute names plus values (numbers ≈ 1 byte per 2 digits + 1; maps and lists 3 + contents). */
function attributeSize(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return Math.ceil(value.N.replace(/^-|\.|^0+/g, '').length / 2) + 1;
  if (value.M !== undefined) return 3 + itemSize(value.M);
  if (value.L !== undefined) return 3 + value.L.reduce((sum, element) => sum + 1 + attributeSize(element), 0);
  if (value.SS !== undefined) return value.SS.reduce((sum, element) => sum + Buffer.byteLength(element), 0);
  return 1; // BOOL, NULL
}

function itemSize(item: Readonly<Record<string, AttributeValue>>): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + attributeSize(value), 0);
}

/** What the middleware saw: requests, the table's consumed capacity (dynalite), and WCUs by the item size rule. */
interface WriteTally {
  requests: number;
  items: number;
  itemBytes: number;
  tableWcuReported: number;
  tableWcuBySize: number;
  indexWcuBySize: number;
}

/**
 * P4: write requests and write capacity per 1k events through our `DynamoDbUsageStore` against dynalite, against one
 * PutItem per event. A middleware on the client counts requests, asks for `ReturnConsumedCapacity: INDEXES` (dynalite
 * reports the table's units only) and computes WCUs by the size rule — 1 WCU per started KB per item, per write to the
 * table and to each index holding it (all four project ALL attributes; byIncident is sparse).
 *
 * @example
 * const figures = await runDynamoDbBench({ mode: 'quick', tempDir, log: () => undefined });
 */
export async function runDynamoDbBench(context: BenchContext): Promise<Figure[]> {
  const count = sized(context, { quick: 1_000, standard: 5_000 });
  const server = await startDynalite();
  const client = new DynamoDBClient(localDynamoDbClientConfig(server.endpoint));
  const tally: WriteTally = { requests: 0, items: 0, itemBytes: 0, tableWcuReported: 0, tableWcuBySize: 0, indexWcuBySize: 0 };
  try {
    await createUsageTable(client, TABLE);
    client.middlewareStack.add(
      (next, handlerContext) => async (args) => {
        if (handlerContext.commandName !== 'BatchWriteItemCommand') return next(args);
        const input = args.input as BatchWriteItemCommandInput;
        Object.assign(input, { ReturnConsumedCapacity: 'INDEXES' });
        tally.requests += 1;
        for (const request of input.RequestItems?.[TABLE] ?? []) {
          const item = request.PutRequest?.Item;
          if (item === undefined) continue;
          const size = itemSize(item);
          const units = Math.ceil(size / 1024);
          tally.items += 1;
          tally.itemBytes += size;
          tally.tableWcuBySize += units;
          tally.indexWcuBySize += units * INDEX_KEYS.filter((key) => item[key] !== undefined).length;
        }
        const result = await next(args);
        for (const consumed of (result.output as BatchWriteItemCommandOutput).ConsumedCapacity ?? []) tally.tableWcuReported += consumed.CapacityUnits ?? 0;
        return result;
      },
      { step: 'initialize', name: 'benchWriteTally' },
    );
    const store = new DynamoDbUsageStore({ client, tableName: TABLE, health: new InMemoryHealthMetrics(), requestTimeoutMs: 60_000 });
    const events = generateUsage({ count, firstDay: '2025-03-11', days: 1, seed: 4 });
    for (let start = 0; start < events.length; start += 100) {
      const result = await store.write(events.slice(start, start + 100)); // the pipeline's default batch
      if (!result.ok) throw new Error(`P4: a store write failed: ${result.error.message}`);
    }
    await store.shutdown();
  } finally {
    client.destroy();
    await server.close();
  }
  const scale = PER / count;
  const detail = `${count.toLocaleString('en-US')} generated events in writes of 100 (the pipeline's batch), scaled to 1k`;
  const wcu = (tally.tableWcuBySize + tally.indexWcuBySize) * scale;
  context.log(`P4: ${tally.requests} BatchWriteItem requests for ${count} events`);
  return [
    { phase: PHASE, name: 'BatchWriteItem requests per 1k events', value: tally.requests * scale, unit: 'requests', detail },
    { phase: PHASE, name: 'fewer requests than one PutItem per event', value: ratio(PER, tally.requests * scale), unit: '×' },
    { phase: PHASE, name: 'mean item size', value: tally.itemBytes / Math.max(1, tally.items), unit: 'B', detail: 'DynamoDB size rule' },
    { phase: PHASE, name: 'table WCU per 1k events (dynalite ConsumedCapacity)', value: tally.tableWcuReported * scale, unit: 'WCU', detail: `size rule: ${Math.round(tally.tableWcuBySize * scale)} WCU` },
    { phase: PHASE, name: 'table + index WCU per 1k events (size rule)', value: wcu, unit: 'WCU', detail: `${Math.round(tally.indexWcuBySize * scale)} of them index writes (4 GSIs, projection ALL)` },
  ];
}
