import { buildDailyReport, DEFAULT_REPORT_THRESHOLDS, formatReportSummary, renderDailyReportHtml, renderDailyReportMarkdown } from '../src';
import { analyzerOf, dayOfUsage } from './support/day-of-usage';
import { attr, findAll, htmlProblems, marksOf, parseHtml } from './support/html-check';

const DATE = '2025-03-11';
const HOSTILE_AGENT = `\n<script>alert("pwned")</script><img src=x onerror='alert(1)'>&amp;|x|`;
const HOSTILE_MODEL = `"><svg onload=alert(2)>`;

describe('ids from the data cannot inject markup', () => {
  it('a hostile agent id and model id are escaped in HTML and Markdown and round-trip in data attributes', async () => {
    // Prepare
    const { analyzer } = await analyzerOf(dayOfUsage({ date: DATE, perHour: 4, agents: [HOSTILE_AGENT, 'jira'], models: [HOSTILE_MODEL, 'amazon.nova-pro-v1:0'] }));
    // Act
    const report = await buildDailyReport(analyzer, DATE, { thresholds: DEFAULT_REPORT_THRESHOLDS, generatedAt: '2025-03-12T00:15:00.000Z' });
    const html = renderDailyReportHtml(report);
    const markdown = renderDailyReportMarkdown(report);
    // Assess
    expect(report.daily.breakdown.byAgent[HOSTILE_AGENT]).toBeDefined();
    expect(htmlProblems(html)).toEqual([]);
    expect(html).not.toMatch(/<script|<img|<svg onload/i);
    const document = parseHtml(html);
    expect(findAll(document, (e) => ['script', 'img'].includes(e.tagName))).toEqual([]);
    expect(findAll(document, (e) => e.attrs.some((a) => a.name.startsWith('on')))).toEqual([]);
    expect(marksOf(document, 'cost-by-agent').map((m) => attr(m, 'data-label'))).toContain(HOSTILE_AGENT);
    expect(marksOf(document, 'cost-by-model').map((m) => attr(m, 'data-label'))).toContain(HOSTILE_MODEL);
    expect(markdown).not.toMatch(/<script|<img|<svg/i);
    const agentRow = markdown.split('\n').find((line) => line.includes('alert(&quot;') || line.includes('alert("'));
    expect(agentRow?.split(/(?<!\\)\|/)).toHaveLength(9);
    expect(formatReportSummary(report, { html: 'a', markdown: 'b', json: 'c' }).text.split('').filter((c) => c !== '\n' && c.charCodeAt(0) < 32)).toEqual([]);
  });

  it('the HTML check itself catches broken markup (so the tests above can fail)', () => {
    expect(htmlProblems('<!DOCTYPE html><html><body><div><span></div></body></html>')).not.toEqual([]);
    expect(htmlProblems('<!DOCTYPE html><html><body><p a="1" a="2">x</p></body></html>')).not.toEqual([]);
    expect(htmlProblems('<html><body></body></html>')).not.toEqual([]);
    expect(htmlProblems('<!DOCTYPE html><html><body><div/></body></html>')).not.toEqual([]);
    expect(htmlProblems('<!DOCTYPE html><html><head><title>t</title></head><body><svg><rect/></svg></body></html>')).toEqual([]);
  });
});
