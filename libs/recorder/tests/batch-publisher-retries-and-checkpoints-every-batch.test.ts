import { CostAnalyzer, InMemoryUsageStore } from '@bedrock-usage/analyzer';
import { UsageError, type UsageEvent } from '@bedrock-usage/core';
import { BatchPublisher, type PipelineLogger, type UsageEventBatch, type UsageEventFeed } from '../src';
import { generateUsage, InMemoryUsageSink } from '@bedrock-usage/testing';

/** A feed over a list: batches of `size` from the first unchecked position; `failNext` makes reads fail. */
class InMemoryUsageEventFeed implements UsageEventFeed {
  readonly #events: readonly UsageEvent[];
  readonly #size: number;
  checkpointed = 0;
  failNext = 0;

  constructor(events: readonly UsageEvent[], size: number) {
    this.#events = events;
    this.#size = size;
  }

  async next(): Promise<UsageEventBatch> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new UsageError('IO', 'feed unavailable');
    }
    const end = Math.min(this.#events.length, this.checkpointed + this.#size);
    return { events: this.#events.slice(this.checkpointed, end), position: String(end) };
  }

  async checkpoint(batch: UsageEventBatch): Promise<void> {
    this.checkpointed = Number(batch.position);
  }

  async close(): Promise<void> {}
}

const quietLogger = (): PipelineLogger & { messages: string[] } => {
  const messages: string[] = [];
  return { messages, error: (message) => messages.push(message) };
};

const DAY = '2025-03-11';

describe('BatchPublisher', () => {
  it('refreshes the aggregates of every batch, checkpoints each, and publishes each event once despite duplicates', async () => {
    // Prepare: events stored, delivered with every event twice (an at-least-once feed)
    const events = generateUsage({ count: 300, firstDay: DAY, days: 1, seed: 3 });
    const store = new InMemoryUsageStore();
    store.write(events);
    const feed = new InMemoryUsageEventFeed([...events, ...events.slice(0, 150), ...events.slice(100)], 64);
    const metrics = new InMemoryUsageSink({ name: 'CloudWatch' });
    const publisher = new BatchPublisher({ aggregates: new CostAnalyzer({ store }), metrics, logger: quietLogger() });
    const direct = new InMemoryUsageStore();
    direct.write(events);
    await new CostAnalyzer({ store: direct }).refreshAggregates(events);

    // Act
    const processed = await publisher.drain(feed);

    // Assess
    expect(processed).toBe(events.length + 150 + 200);
    expect(feed.checkpointed).toBe(processed);
    expect(await store.aggregatesOfDay(DAY)).toEqual(await direct.aggregatesOfDay(DAY));
    const publishedIds = metrics.batches.flat().map((event) => event.eventId);
    expect(publishedIds).toHaveLength(events.length);
    expect(new Set(publishedIds).size).toBe(events.length);
  });

  it('retries a failing feed and a failing metrics sink without skipping a batch or publishing an event twice', async () => {
    // Prepare
    const events = generateUsage({ count: 100, firstDay: DAY, days: 1, seed: 4 });
    const store = new InMemoryUsageStore();
    store.write(events);
    const feed = new InMemoryUsageEventFeed(events, 30);
    feed.failNext = 2;
    const metrics = new InMemoryUsageSink({ name: 'CloudWatch' });
    metrics.fail({ retryable: true }, 3);
    const logger = quietLogger();
    const publisher = new BatchPublisher({ aggregates: new CostAnalyzer({ store }), metrics, logger, baseDelayMs: 1, maxDelayMs: 2 });

    // Act
    const processed = await publisher.drain(feed);

    // Assess
    expect(processed).toBe(100);
    expect(feed.checkpointed).toBe(100);
    expect(metrics.persistedIds).toHaveLength(100);
    expect(logger.messages.filter((message) => message.startsWith('reading new usage events from the feed failed'))).toHaveLength(2);
    expect(logger.messages.filter((message) => message.startsWith('refreshing aggregates for batch'))).toHaveLength(3);
  });

  it('stops on request without checkpointing a batch that keeps failing, so it is delivered again', async () => {
    // Prepare
    const events = generateUsage({ count: 20, firstDay: DAY, days: 1, seed: 5 });
    const store = new InMemoryUsageStore();
    store.write(events);
    const feed = new InMemoryUsageEventFeed(events, 50);
    const metrics = new InMemoryUsageSink({ name: 'CloudWatch' });
    metrics.fail({ retryable: true });
    const stop = new AbortController();
    const logger: PipelineLogger = { error: () => stop.abort() };
    const publisher = new BatchPublisher({ aggregates: new CostAnalyzer({ store }), metrics, logger, baseDelayMs: 1, maxDelayMs: 2 });

    // Act
    await publisher.run(feed, stop.signal);

    // Assess
    expect(feed.checkpointed).toBe(0);
    expect((await feed.next()).events).toHaveLength(20);
  });
});
