
export { DynamoDbUsageStore } from './dynamodb/dynamodb-usage-store';
export type { DynamoDbRetryPolicy, DynamoDbUsageStoreOptions } from './dynamodb/dynamodb-usage-store';
export { DAY_SHARDS, USAGE_TABLE_INDEXES, createUsageTable } from './dynamodb/usage-table';
