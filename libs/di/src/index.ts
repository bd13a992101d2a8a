export { TOKENS } from './tokens';
export { domainModule } from './domain.module';
export type { DomainModuleOptions } from './domain.module';
