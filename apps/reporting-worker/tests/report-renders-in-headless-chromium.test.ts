import { existsSync, rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

import { chromium, type Browser } from 'playwright-core';

import { runReport } from '../src/main';
import { loadConfig } from '../src/config';
import { seededDataDir } from './support/seeded-store';

/** Debian's chromium (.ci/run installs it with apt); playwright-core never downloads a browser. */
const CHROMIUM = process.env.BEDROCK_USAGE_CHROMIUM ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available) {
  process.stderr.write(
    `\nNOTICE: browser test SKIPPED — no Chromium at ${CHROMIUM}. Install it (apt-get install chromium) or set BEDROCK_USAGE_CHROMIUM; the structural tests still ran.\n\n`,
  );
}
const describeInBrowser = available ? describe : describe.skip;

describeInBrowser(`the written HTML report in headless Chromium (${CHROMIUM})`, () => {
  let dataDir: string;
  let browser: Browser;
  beforeAll(async () => {
    dataDir = await seededDataDir({ firstDay: '2025-03-11', days: 1, count: 600 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], headless: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('renders without console errors, page errors or requests, with every SVG chart of non-zero size', async () => {
    // Prepare
    const run = await runReport(loadConfig({ BEDROCK_USAGE_DATA_DIR: dataDir, BEDROCK_USAGE_HOURLY_COST_THRESHOLD: '0.1' }), '2025-03-11');
    const page = await browser.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => requests.push(request.url()));
    const url = pathToFileURL(run.locations.html).href;
    // Act
    await page.goto(url, { waitUntil: 'load' });
    const charts = await page.$$eval('svg.chart', (svgs) =>
      svgs.map((svg) => {
        const box = svg.getBoundingClientRect();
        return { chart: svg.getAttribute('data-chart'), width: box.width, height: box.height, marks: svg.querySelectorAll('.mark').length, points: Number(svg.getAttribute('data-points')) };
      }),
    );
    const visibleMarks = await page.$$eval('svg[data-chart="hourly-cost"] .mark', (marks) => marks.filter((m) => m.getBoundingClientRect().width > 0).length);
    const title = await page.title();
    await page.close();
    // Assess
    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
    expect(title).toBe('Bedrock usage — daily cost report 2025-03-11');
    expect(charts.map((c) => c.chart)).toEqual(['cost-by-agent', 'cost-by-model', 'hourly-cost', 'latency', 'cache']);
    for (const chart of charts) {
      expect(chart.width).toBeGreaterThan(100);
      expect(chart.height).toBeGreaterThan(40);
      expect(chart.marks).toBe(chart.points);
      expect(chart.marks).toBeGreaterThan(0);
    }
    expect(visibleMarks).toBe(24);
  });
});
