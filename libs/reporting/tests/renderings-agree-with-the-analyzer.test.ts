import { formatUsd, parseUsd } from '@bedrock-usage/core';

import { buildDailyReport, DEFAULT_REPORT_THRESHOLDS, renderDailyReportHtml, renderDailyReportJson, renderDailyReportMarkdown, type DailyReport } from '../src';
import { analyzerOf, dayOfUsage } from './support/day-of-usage';
import { attr, findAll, htmlProblems, marksOf, parseHtml, textOf } from './support/html-check';

const DATE = '2025-03-11';

describe('the three renderings of a generated day', () => {
  let report: DailyReport;
  let analyzerDaily: unknown;
  let html: string;
  let markdown: string;
  let json: string;

  beforeAll(async () => {
    // Prepare: a day of priced, unpriced, provisioned, cached and failed calls through a real CostAnalyzer
    const { analyzer } = await analyzerOf(dayOfUsage({ date: DATE, perHour: 20 }));
    // Act
    report = await buildDailyReport(analyzer, DATE, { thresholds: DEFAULT_REPORT_THRESHOLDS, generatedAt: '2025-03-12T00:15:00.000Z' });
    analyzerDaily = await analyzer.generateDailyCostReport(DATE);
    html = renderDailyReportHtml(report);
    markdown = renderDailyReportMarkdown(report);
    json = renderDailyReportJson(report);
  });

  it('HTML is valid: no parse error, every element closed, /> only in SVG', () => {
    // Assess
    expect(htmlProblems(html)).toEqual([]);
  });

  it('HTML is self-contained: no script, no external URL, a CSP that forbids both', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\b(src|href)=/i);
    expect(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '')).not.toMatch(/https?:\/\//);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
  });

  it("JSON is the report, and its daily part equals the analyzer's report exactly", () => {
    const parsed = JSON.parse(json) as DailyReport;
    expect(parsed).toEqual(report);
    expect(parsed.daily).toEqual(analyzerDaily);
    const agents = Object.values(parsed.daily.breakdown.byAgent).reduce((sum, line) => sum + parseUsd(line.cost), 0n);
    const hours = parsed.hourly.reduce((sum, point) => sum + parseUsd(point.cost), 0n);
    expect(formatUsd(agents)).toBe(parsed.daily.totalCost);
    expect(formatUsd(hours)).toBe(parsed.daily.totalCost);
    expect(parsed.daily.unpriced.requests).toBeGreaterThan(0);
    expect(parsed.daily.provisioned.requests).toBeGreaterThan(0);
  });

  it('the totals of the HTML and the Markdown are the JSON total', () => {
    const document = parseHtml(html);
    const [body] = findAll(document, (e) => e.tagName === 'body');
    expect(body && attr(body, 'data-total-cost')).toBe(report.daily.totalCost);
    const [total] = findAll(document, (e) => attr(e, 'id') === 'total-cost');
    expect(total && textOf(total)).toBe(`$${report.daily.totalCost}`);
    for (const table of ['cost-by-agent', 'cost-by-model']) {
      const [foot] = findAll(document, (e) => e.tagName === 'table' && attr(e, 'data-table') === table);
      const [footRow] = foot ? findAll(foot, (e) => e.tagName === 'tfoot') : [];
      expect(footRow && textOf(footRow)).toContain(report.daily.totalCost);
    }
    expect(markdown).toContain(`| total cost USD | ${report.daily.totalCost} (`);
    expect(markdown.match(new RegExp(`\\| \\*\\*total\\*\\* \\| ${report.daily.totalCost.replace('.', '\\.')} \\|`, 'g'))).toHaveLength(2);
  });

  it('cost by agent and by model: one bar per line, carrying its exact cost', () => {
    const document = parseHtml(html);
    for (const [chart, lines] of [['cost-by-agent', report.daily.breakdown.byAgent], ['cost-by-model', report.daily.breakdown.byModel]] as const) {
      const marks = marksOf(document, chart);
      expect(marks).toHaveLength(Object.keys(lines).length);
      expect(Object.fromEntries(marks.map((m) => [attr(m, 'data-label'), attr(m, 'data-value')]))).toEqual(Object.fromEntries(Object.entries(lines).map(([name, line]) => [name, line.cost])));
    }
  });

  it('hourly trend: 24 points carrying each hour and its cost', () => {
    const marks = marksOf(parseHtml(html), 'hourly-cost');
    expect(report.hourly).toHaveLength(24);
    expect(marks.map((m) => [attr(m, 'data-label'), attr(m, 'data-value')])).toEqual(report.hourly.map((p) => [p.date, p.cost]));
  });

  it('latency: p50, p95 and p99 of API latency per model', () => {
    const marks = marksOf(parseHtml(html), 'latency');
    const expected = Object.entries(report.performance.byModel).flatMap(([model, m]) =>
      (['p50', 'p95', 'p99'] as const).flatMap((p) => (m.apiLatency[p] === null ? [] : [[model, p, String(m.apiLatency[p])]])),
    );
    expect(expected.length).toBeGreaterThanOrEqual(6);
    expect(marks.map((m) => [attr(m, 'data-label'), attr(m, 'data-series'), attr(m, 'data-value')])).toEqual(expected);
  });

  it('cache efficiency: uncached input, cache read and cache write tokens; hit ratio, saving and unread writes shown', () => {
    const document = parseHtml(html);
    const marks = marksOf(document, 'cache');
    expect(marks.map((m) => [attr(m, 'data-label'), attr(m, 'data-value')])).toEqual([
      ['uncached input', String(report.cache.inputTokens)],
      ['cache read', String(report.cache.cacheReadTokens)],
      ['cache write', String(report.cache.cacheWriteTokens)],
    ]);
    expect(report.cache.cacheReadTokens).toBeGreaterThan(0);
    const byId = (id: string): string => textOf(findAll(document, (e) => attr(e, 'id') === id)[0] ?? document);
    expect(byId('cache-saved')).toBe(`$${report.cache.savedByCacheReads}`);
    expect(byId('cache-hit-ratio')).toBe(`${((report.cache.tokenHitRatio ?? 0) * 100).toFixed(1)} %`);
    expect(byId('cache-unread')).toBe(String(report.cache.unreadWrites.requests));
  });

  it('each chart says how many points it has, and each has that many marks', () => {
    const document = parseHtml(html);
    const charts = findAll(document, (e) => e.tagName === 'svg');
    expect(charts.map((c) => attr(c, 'data-chart'))).toEqual(['cost-by-agent', 'cost-by-model', 'hourly-cost', 'latency', 'cache']);
    for (const chart of charts) expect(marksOf(document, attr(chart, 'data-chart') ?? '')).toHaveLength(Number(attr(chart, 'data-points')));
  });

  it('unpriced and provisioned usage is shown beside the cost, never as $0', () => {
    const warning = `${report.daily.unpriced.requests} unpriced requests`;
    expect(html).toContain(warning);
    expect(markdown).toContain(warning);
    expect(html).toContain(`${report.daily.provisioned.requests} provisioned-throughput requests`);
  });

  it('no breach on an ordinary day, and it says so', () => {
    expect(report.breaches).toEqual([]);
    expect(html).toContain('data-breach="none"');
    expect(markdown).toContain('No threshold crossed');
  });
});

describe('a day without usage', () => {
  it('renders valid HTML that says there was no usage, with empty charts and 24 zero hours', async () => {
    // Prepare
    const { analyzer } = await analyzerOf([]);
    // Act
    const report = await buildDailyReport(analyzer, DATE, { thresholds: DEFAULT_REPORT_THRESHOLDS, generatedAt: '2025-03-12T00:15:00.000Z' });
    const html = renderDailyReportHtml(report);
    // Assess
    expect(htmlProblems(html)).toEqual([]);
    expect(html).toContain(`No usage recorded on ${DATE}.`);
    const document = parseHtml(html);
    expect(marksOf(document, 'cost-by-agent')).toEqual([]);
    expect(marksOf(document, 'hourly-cost').map((m) => attr(m, 'data-value'))).toEqual(Array(24).fill('0'));
    expect(renderDailyReportMarkdown(report)).toContain(`No usage recorded on ${DATE}.`);
  });
});
