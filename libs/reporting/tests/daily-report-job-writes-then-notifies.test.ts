import { UsageError, type UsageEvent } from '@bedrock-usage/core';
import { makeUsageEvent } from '@bedrock-usage/testing';

import { DailyReportJob, type ReportDocument, type ReportMessage, type ReportNotifier, type ReportStore } from '../src';
import { analyzerOf, dayOfUsage } from './support/day-of-usage';

class MemoryReportStore implements ReportStore {
  readonly documents = new Map<string, ReportDocument>();
  writes = 0;
  failWith: Error | undefined;
  async write(document: ReportDocument): Promise<string> {
    if (this.failWith) throw this.failWith;
    this.writes += 1;
    this.documents.set(document.name, document);
    return `mem://reports/${document.name}`;
  }
}

class RecordingNotifier implements ReportNotifier {
  readonly messages: ReportMessage[] = [];
  constructor(readonly name: string, private readonly failure?: Error) {}
  async notify(message: ReportMessage): Promise<void> {
    if (this.failure) throw this.failure;
    this.messages.push(message);
  }
}

const fixed = (iso: string) => ({ now: () => Date.parse(iso) });

describe('DailyReportJob', () => {
  it('writes JSON, Markdown and HTML for yesterday (UTC) by default, then notifies', async () => {
    // Prepare
    const { analyzer } = await analyzerOf(dayOfUsage({ date: '2025-03-11' }));
    const store = new MemoryReportStore();
    const notifier = new RecordingNotifier('webhook');
    const job = new DailyReportJob({ source: analyzer, store, notifiers: [notifier], clock: fixed('2025-03-12T00:15:00.000Z') });
    // Act
    const run = await job.run();
    // Assess
    expect(run.date).toBe('2025-03-11');
    expect([...store.documents.keys()]).toEqual(['daily-cost-report-2025-03-11.json', 'daily-cost-report-2025-03-11.md', 'daily-cost-report-2025-03-11.html']);
    expect(run.locations).toEqual({
      html: 'mem://reports/daily-cost-report-2025-03-11.html',
      markdown: 'mem://reports/daily-cost-report-2025-03-11.md',
      json: 'mem://reports/daily-cost-report-2025-03-11.json',
    });
    expect(store.documents.get('daily-cost-report-2025-03-11.html')?.contentType).toBe('text/html; charset=utf-8');
    expect(run.notifications).toEqual([{ notifier: 'webhook', ok: true }]);
    expect(run.notified).toBe(true);
    expect(notifier.messages).toHaveLength(1);
    expect(notifier.messages[0]?.subject).toMatch(/^Bedrock usage 2025-03-11: \$\d+\.\d\d - within thresholds$/);
    expect(notifier.messages[0]?.text).toContain(`Total: $${run.report.daily.totalCost}`);
    expect(notifier.messages[0]?.text).toContain('Report: mem://reports/daily-cost-report-2025-03-11.html');
    expect(run.report.generatedAt).toBe('2025-03-12T00:15:00.000Z');
  });

  it('a failing notifier is reported and the other one and the written report are kept', async () => {
    const { analyzer } = await analyzerOf(dayOfUsage({ date: '2025-03-11', perHour: 2 }));
    const store = new MemoryReportStore();
    const ok = new RecordingNotifier('webhook');
    const job = new DailyReportJob({ source: analyzer, store, notifiers: [new RecordingNotifier('sns', new UsageError('IO', 'SNS Publish to arn:x failed: 500')), ok] });
    const run = await job.run('2025-03-11');
    expect(run.notified).toBe(false);
    expect(run.notifications).toEqual([
      { notifier: 'sns', ok: false, error: 'SNS Publish to arn:x failed: 500' },
      { notifier: 'webhook', ok: true },
    ]);
    expect(store.documents.size).toBe(3);
    expect(ok.messages).toHaveLength(1);
  });

  it('a store failure rejects and nothing is notified', async () => {
    const { analyzer } = await analyzerOf(dayOfUsage({ date: '2025-03-11', perHour: 2 }));
    const store = new MemoryReportStore();
    store.failWith = new UsageError('IO', 'disk full');
    const notifier = new RecordingNotifier('webhook');
    await expect(new DailyReportJob({ source: analyzer, store, notifiers: [notifier] }).run('2025-03-11')).rejects.toThrow('disk full');
    expect(notifier.messages).toEqual([]);
  });

  it('re-running a day replaces its documents (same names, new figures)', async () => {
    const events = dayOfUsage({ date: '2025-03-11', perHour: 2 });
    const { analyzer, store: usage } = await analyzerOf(events, fixed('2025-03-11T23:00:00.000Z'));
    const store = new MemoryReportStore();
    const job = new DailyReportJob({ source: analyzer, store, clock: fixed('2025-03-11T23:00:00.000Z') });
    const first = await job.run('2025-03-11');
    const late: UsageEvent[] = [makeUsageEvent({ time: '2025-03-11T22:30:00.000Z', agentId: 'jira' })];
    usage.write(late);
    await analyzer.refreshAggregates(late);
    const second = await job.run('2025-03-11');
    expect(store.documents.size).toBe(3);
    expect(store.writes).toBe(6);
    expect(second.report.daily.requestCount).toBe(first.report.daily.requestCount + 1);
    expect(JSON.parse(store.documents.get('daily-cost-report-2025-03-11.json')?.body ?? '{}').daily.requestCount).toBe(second.report.daily.requestCount);
  });

  it('a restated day (late events after it closed) says so in every rendering and in the summary', async () => {
    // Prepare: the day's aggregates exist, then an event of that day arrives the next morning
    let now = Date.parse('2025-03-11T23:59:00.000Z');
    const clock = { now: () => now };
    const { analyzer, store: usage } = await analyzerOf(dayOfUsage({ date: '2025-03-11', perHour: 2 }), clock);
    now = Date.parse('2025-03-12T06:00:00.000Z');
    const late = [makeUsageEvent({ time: '2025-03-11T17:00:00.000Z', agentId: 'operations' })];
    usage.write(late);
    const refresh = await analyzer.refreshAggregates(late);
    expect(refresh.restatedDays).toEqual(['2025-03-11']);
    const store = new MemoryReportStore();
    const notifier = new RecordingNotifier('webhook');
    // Act
    const run = await new DailyReportJob({ source: analyzer, store, notifiers: [notifier], clock }).run('2025-03-11');
    // Assess
    expect(run.report.daily.restated).toBe(true);
    expect(store.documents.get('daily-cost-report-2025-03-11.html')?.body).toContain(`data-restated="${run.report.daily.restatedAt}"`);
    expect(store.documents.get('daily-cost-report-2025-03-11.md')?.body).toContain('**Restated:**');
    expect(notifier.messages[0]?.text).toContain('Restated: late events changed this day');
  });

  it('refuses a date that is not a UTC day', async () => {
    const { analyzer } = await analyzerOf([]);
    await expect(new DailyReportJob({ source: analyzer, store: new MemoryReportStore() }).run('2025-02-30')).rejects.toThrow(/date "2025-02-30" is not a UTC day — use YYYY-MM-DD/);
  });
});
