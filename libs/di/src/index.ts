export { TOKENS } from './tokens';
export { domainModule } from './domain.module';
export type { DomainModuleOptions } from './domain.module';
export { embeddedStoreModule, storeModule } from './store.module';
export type { EmbeddedStoreModuleOptions, StoreModuleOptions } from './store.module';
