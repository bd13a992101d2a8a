import { describeUsageSinkContract, InMemoryUsageSink } from '@bedrock-usage/testing';
import { GuardedSink } from '../src';

describeUsageSinkContract('GuardedSink(InMemoryUsageSink)', async () => {
  const inner = new InMemoryUsageSink();
  // a high volume threshold: the contract's short outage must pass through, not trip (tripping is tested apart)
  const sink = new GuardedSink(inner, { volumeThreshold: 100 });
  return {
    sink,
    readBack: async () => inner.persistedIds,
    outage: { begin: () => inner.fail(), end: () => inner.recover() },
    close: async () => undefined,
  };
});
