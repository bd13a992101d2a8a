import { parseUsd } from '@bedrock-usage/core';

import { buildDailyReport, findThresholdBreaches, formatReportSummary, parseReportThresholds, renderDailyReportHtml, renderDailyReportMarkdown } from '../src';
import { analyzerOf, dayOfUsage } from './support/day-of-usage';
import { attr, findAll, marksOf, parseHtml } from './support/html-check';

const DATE = '2025-03-11';
const hour = (h: number, cost: string) => ({ date: `${DATE}T${String(h).padStart(2, '0')}:00:00.000Z`, cost });

describe('findThresholdBreaches', () => {
  it('flags a day above the daily threshold and each hour above the hourly one, exactly', () => {
    // Prepare / Act
    const breaches = findThresholdBreaches('100.000000000000001', [hour(0, '10'), hour(1, '10.000000000000001'), hour(2, '3')], { dailyCost: '100', hourlyCost: '10' });
    // Assess
    expect(breaches).toEqual([
      { kind: 'daily', cost: '100.000000000000001', threshold: '100' },
      { kind: 'hourly', hour: hour(1, '').date, cost: '10.000000000000001', threshold: '10' },
    ]);
  });

  it('a day or hour exactly at the threshold is not a breach (the alarms are "greater than")', () => {
    expect(findThresholdBreaches('100', [hour(0, '10')], { dailyCost: '100', hourlyCost: '10' })).toEqual([]);
  });

  it('bad thresholds are refused naming the field and the value', () => {
    expect(() => parseReportThresholds({ dailyCost: 'lots', hourlyCost: '10' })).toThrow(/dailyCost threshold "lots" is not a decimal number of dollars/);
    expect(() => parseReportThresholds({ dailyCost: '1', hourlyCost: '-2' })).toThrow(/hourlyCost threshold "-2" is negative/);
  });
});

describe('a report whose day crosses the thresholds', () => {
  it('shows the daily breach, marks the spiking hours red, and the summary names them', async () => {
    // Prepare: ordinary hours, two hours ×40
    const events = dayOfUsage({ date: DATE, perHour: 20, scale: 30, spikeHours: [9, 14], spikeScale: 40 });
    const { analyzer } = await analyzerOf(events);
    const daily = await analyzer.generateDailyCostReport(DATE);
    const trends = await analyzer.getCostTrends({ startDate: DATE, endDate: DATE, granularity: 'hourly' });
    const ordinaryMax = trends.points.filter((_, h) => h !== 9 && h !== 14).reduce((max, p) => (parseUsd(p.cost) > max ? parseUsd(p.cost) : max), 0n);
    const spikeMin = [9, 14].map((h) => parseUsd(trends.points[h]?.cost ?? '0')).reduce((a, b) => (a < b ? a : b));
    expect(spikeMin).toBeGreaterThan(ordinaryMax);
    // a threshold between the ordinary hours and the spikes, and just under the day's total
    const hourlyCost = ((ordinaryMax + spikeMin) / 2n / 1_000_000_000_000_000n + 1n).toString();
    const dailyCost = (parseUsd(daily.totalCost) / 1_000_000_000_000_000n).toString();
    expect(parseUsd(hourlyCost)).toBeLessThan(spikeMin);
    expect(parseUsd(hourlyCost)).toBeGreaterThan(ordinaryMax);

    // Act
    const report = await buildDailyReport(analyzer, DATE, { thresholds: { dailyCost, hourlyCost }, generatedAt: '2025-03-12T00:15:00.000Z' });
    const html = renderDailyReportHtml(report);
    const markdown = renderDailyReportMarkdown(report);
    const summary = formatReportSummary(report, { html: '/r/x.html', markdown: '/r/x.md', json: '/r/x.json' });

    // Assess
    expect(report.breaches.map((b) => (b.kind === 'daily' ? 'daily' : b.hour))).toEqual(['daily', `${DATE}T09:00:00.000Z`, `${DATE}T14:00:00.000Z`]);
    const document = parseHtml(html);
    expect(findAll(document, (e) => attr(e, 'data-breach') !== undefined).map((e) => attr(e, 'data-breach'))).toEqual(['daily', 'hourly', 'hourly']);
    const red = marksOf(document, 'hourly-cost').filter((m) => (attr(m, 'class') ?? '').includes('breach'));
    expect(red.map((m) => attr(m, 'data-label'))).toEqual([`${DATE}T09:00:00.000Z`, `${DATE}T14:00:00.000Z`]);
    expect(markdown).toContain(`**Daily cost threshold crossed:** $${daily.totalCost} > $${dailyCost}`);
    expect(markdown).toContain('**Hourly cost spike:** 09:00 UTC');
    expect(summary.subject).toMatch(/daily threshold crossed$/);
    expect(summary.text).toContain(`BREACH: daily total $${daily.totalCost} > $${dailyCost}`);
    expect(summary.text).toContain('BREACH: hour 14:00 UTC');
    expect(summary.text).toContain('Report: /r/x.html');
  });

  it('the same day with thresholds above it is not flagged', async () => {
    const { analyzer } = await analyzerOf(dayOfUsage({ date: DATE, perHour: 20, scale: 30, spikeHours: [9], spikeScale: 40 }));
    const report = await buildDailyReport(analyzer, DATE, { thresholds: { dailyCost: '1000000', hourlyCost: '1000000' }, generatedAt: '2025-03-12T00:15:00.000Z' });
    const html = renderDailyReportHtml(report);
    expect(report.breaches).toEqual([]);
    expect(marksOf(parseHtml(html), 'hourly-cost').filter((m) => (attr(m, 'class') ?? '').includes('breach'))).toEqual([]);
    expect(html).not.toContain('data-breach="daily"');
  });
});
