export { TOKENS } from './tokens';
export { domainModule } from './domain.module';
export type { DomainModuleOptions } from './domain.module';
export { embeddedStoreModule, storeModule, usageStoreModule } from './store.module';
export { embeddedStoreDir, isAwsRegion, loadUsageStoreConfig } from './store-config';
export type { UsageStoreConfig, UsageStoreLocation } from './store-config';
export type { EmbeddedStoreModuleOptions, StoreModuleOptions } from './store.module';
