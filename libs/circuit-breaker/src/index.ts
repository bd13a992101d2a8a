export { GuardedSink } from './guarded-sink';
export type { BreakerState, GuardedSinkOptions } from './guarded-sink';
