import { describeUsageSinkContract, InMemoryUsageSink } from '../src';

describeUsageSinkContract('InMemoryUsageSink', async () => {
  const sink = new InMemoryUsageSink();
  return {
    sink,
    readBack: async () => sink.persistedIds,
    outage: { begin: () => sink.fail({ code: 'IO', retryable: true }), end: () => sink.recover() },
    close: async () => undefined,
  };
});
