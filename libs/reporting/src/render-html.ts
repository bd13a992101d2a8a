import type { CostLine } from '@bedrock-usage/analyzer';
import { parseUsd, usdToNumber } from '@bedrock-usage/core';

import type { DailyReport } from './daily-report';
import { byCostDescending, cents, count, hourOf, ms, percent } from './internal/format';
import { html, Html } from './internal/html';
import { barChart, groupedBarChart, lineChart, stackedBarChart } from './internal/svg-charts';

/**
 * Incidents listed in the renderings, most expensive first; the rest are counted.
 *
 * @example
 * const shown = incidents.slice(0, TOP_INCIDENTS);
 */
export const TOP_INCIDENTS = 20;

const STYLE = `
:root { color-scheme: light; --ink: #1d2330; --muted: #5b6475; --bar: #3b6fb6; --breach: #c62828; --ok: #2e7d32; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); margin: 24px auto; max-width: 980px; padding: 0 16px; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 17px; margin-top: 28px; border-bottom: 1px solid #d9dde5; padding-bottom: 4px; }
.meta, .note { color: var(--muted); } .exact { font-family: ui-monospace, monospace; font-size: 12px; color: var(--muted); }
.alerts > div { padding: 8px 12px; border-radius: 4px; margin: 6px 0; }
.breach-box { background: #fdecea; border-left: 4px solid var(--breach); } .ok-box { background: #edf7ed; border-left: 4px solid var(--ok); }
.warn-box { background: #fff8e1; border-left: 4px solid #f9a825; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: 8px; }
.figure { background: #f5f7fa; border-radius: 4px; padding: 8px 10px; overflow-wrap: anywhere; } .figure b { display: block; font-size: 18px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; font-size: 13px; }
th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid #e6e9ef; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.breach td { color: var(--breach); font-weight: 600; }
svg.chart { max-width: 100%; height: auto; display: block; margin: 8px 0; }
svg .label, svg .value, svg .axis, svg .empty, svg .threshold-label { font: 12px system-ui, sans-serif; fill: var(--ink); }
svg .small { font-size: 10px; } svg .empty { fill: var(--muted); }
svg rect.mark, svg .legend.s0, svg rect.mark.s0 { fill: var(--bar); } svg .mark.s1, svg .legend.s1 { fill: #f28e2b; } svg .mark.s2, svg .legend.s2 { fill: #76b7b2; }
svg .mark.breach { fill: var(--breach); } svg circle.mark { fill: var(--bar); stroke: #fff; stroke-width: 1; } svg circle.mark.breach { fill: var(--breach); }
svg .line { stroke: var(--bar); stroke-width: 2; } svg .grid { stroke: #e6e9ef; } svg .frame { fill: #f5f7fa; }
svg .threshold { stroke: var(--breach); stroke-dasharray: 6 4; } svg .threshold-label { fill: var(--breach); }
`;

/**
 * The report as one self-contained HTML page: inline CSS and inline SVG charts (cost by agent, cost by model,
 * hourly cost trend, API latency p50/p95/p99 by model, cache efficiency), no script, no external request (a CSP
 * meta tag forbids both). Every string from the data is escaped. Each chart mark carries `data-label` and
 * `data-value` (the exact figure of the JSON).
 *
 * @example
 * await store.write({ name: 'daily-cost-report-2025-03-11.html', contentType: 'text/html; charset=utf-8', body: renderDailyReportHtml(report) });
 */
export function renderDailyReportHtml(report: DailyReport): string {
  const { daily, date } = report;
  const title = `Bedrock usage — daily cost report ${date}`;
  const page = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${new Html(STYLE)}</style>
</head>
<body data-report-date="${date}" data-total-cost="${daily.totalCost}">
<header>
<h1>${title}</h1>
<p class="meta">UTC day ${date} · generated ${report.generatedAt} · thresholds: daily &gt; $${report.thresholds.dailyCost}, hourly &gt; $${report.thresholds.hourlyCost}</p>
</header>
${alerts(report)}
${summary(report)}
${costSection('agent', 'Cost by agent', 'cost-by-agent', daily.breakdown.byAgent, report)}
${costSection('model', 'Cost by model', 'cost-by-model', daily.breakdown.byModel, report)}
${hourlySection(report)}
${latencySection(report)}
${cacheSection(report)}
${incidentSection(report)}
<footer><p class="note">Token counts, ids and costs only: bedrock-usage stores no prompt or completion text. Money is exact decimal USD (headline figures rounded to cents, exact figure beside them). Built from ${count(daily.aggregatesRead)} hourly aggregates.</p></footer>
</body>
</html>
`;
  return page.markup;
}

function alerts(report: DailyReport): Html {
  const { daily } = report;
  const items: Html[] = [];
  for (const breach of report.breaches) {
    items.push(
      breach.kind === 'daily'
        ? html`<div class="breach-box" data-breach="daily"><strong>Daily cost threshold crossed:</strong> $${daily.totalCost} &gt; $${breach.threshold} (Runbook 1: High Daily Cost Alert)</div>`
        : html`<div class="breach-box" data-breach="hourly" data-hour="${breach.hour}"><strong>Hourly cost spike:</strong> ${hourOf(breach.hour)} UTC cost $${breach.cost} &gt; $${breach.threshold}</div>`,
    );
  }
  if (report.breaches.length === 0) items.push(html`<div class="ok-box" data-breach="none">No threshold crossed: day ≤ $${report.thresholds.dailyCost}, every hour ≤ $${report.thresholds.hourlyCost}.</div>`);
  if (daily.restated) items.push(html`<div class="warn-box" data-restated="${daily.restatedAt ?? ''}"><strong>Restated:</strong> late events changed this day's figures after it was closed (last at ${daily.restatedAt ?? ''}); this report supersedes earlier ones.</div>`);
  if (daily.unpriced.requests > 0 || daily.provisioned.requests > 0) {
    items.push(
      html`<div class="warn-box" data-uncosted="true"><strong>Not in the total:</strong> ${count(daily.unpriced.requests)} unpriced requests (${count(daily.unpriced.tokens)} tokens, unknown model — add it to the price overrides) and ${count(daily.provisioned.requests)} provisioned-throughput requests (${count(daily.provisioned.tokens)} tokens, billed by the hour, not per token).</div>`,
    );
  }
  if (daily.requestCount === 0) items.push(html`<div class="warn-box" data-empty="true">No usage recorded on ${report.date}.</div>`);
  return html`<section class="alerts" id="alerts">${items}</section>`;
}

function summary(report: DailyReport): Html {
  const { daily } = report;
  const errors = Object.entries(daily.errorsByCode).map(([code, n]) => `${code} ${n}`).join(', ');
  const c = daily.costByComponent;
  return html`<section id="summary"><h2>Summary</h2>
<div class="figures">
<div class="figure">Total cost<b>${cents(daily.totalCost)}</b><span class="exact" id="total-cost">$${daily.totalCost}</span></div>
<div class="figure">Requests<b>${count(daily.requestCount)}</b><span class="note">${count(daily.pricedRequests)} priced · ${count(daily.unpriced.requests)} unpriced · ${count(daily.provisioned.requests)} provisioned</span></div>
<div class="figure">Tokens<b>${count(daily.totalTokens)}</b></div>
<div class="figure">Errors<b>${count(daily.errorCount)}</b><span class="note">${errors || 'none'}${daily.rejectedCount > 0 ? ` · ${daily.rejectedCount} rejected (billed, usage unreadable)` : ''}</span></div>
</div>
<table id="cost-by-component"><thead><tr><th>component</th><th class="num">cost USD</th></tr></thead><tbody>
<tr><td>input</td><td class="num">${c.input}</td></tr><tr><td>output</td><td class="num">${c.output}</td></tr><tr><td>cache read</td><td class="num">${c.cacheRead}</td></tr><tr><td>cache write (5 min)</td><td class="num">${c.cacheWrite}</td></tr><tr><td>cache write (1 h)</td><td class="num">${c.cacheWrite1h}</td></tr>
</tbody></table>
</section>`;
}

function costSection(kind: 'agent' | 'model', title: string, chart: string, lines: Readonly<Record<string, CostLine>>, report: DailyReport): Html {
  const rows = byCostDescending(lines, (line) => line.cost);
  const efficiency = report.modelEfficiency.models;
  const bars = rows.map(([name, line]) => ({ label: name, value: line.cost, amount: usdToNumber(parseUsd(line.cost)), display: `$${line.cost}` }));
  return html`<section id="${chart}"><h2>${title}</h2>
${barChart(chart, `${title}, ${report.date} (USD, priced requests)`, bars, `no ${kind} had usage on ${report.date}`)}
<table data-table="${chart}"><thead><tr><th>${kind}</th><th class="num">cost USD</th><th class="num">tokens</th><th class="num">requests</th><th class="num">errors</th><th class="num">unpriced</th><th class="num">provisioned</th>${kind === 'model' ? html`<th class="num">USD / 1k tokens</th>` : html``}</tr></thead><tbody>
${rows.map(
  ([name, line]) =>
    html`<tr data-name="${name}"><td>${name}</td><td class="num">${line.cost}</td><td class="num">${count(line.tokens)}</td><td class="num">${count(line.requests)}</td><td class="num">${count(line.errors)}</td><td class="num">${count(line.unpricedRequests)}</td><td class="num">${count(line.provisionedRequests)}</td>${kind === 'model' ? html`<td class="num">${efficiency[name]?.costPer1kTokens ?? '–'}</td>` : html``}</tr>\n`,
)}</tbody><tfoot><tr><th>total</th><th class="num">${report.daily.totalCost}</th><th class="num">${count(report.daily.totalTokens)}</th><th class="num">${count(report.daily.requestCount)}</th><th class="num">${count(report.daily.errorCount)}</th><th class="num">${count(report.daily.unpriced.requests)}</th><th class="num">${count(report.daily.provisioned.requests)}</th>${kind === 'model' ? html`<th></th>` : html``}</tr></tfoot></table>
</section>`;
}

function hourlySection(report: DailyReport): Html {
  const threshold = parseUsd(report.thresholds.hourlyCost);
  const points = report.hourly.map((p) => ({
    label: p.date,
    tick: hourOf(p.date),
    value: p.cost,
    amount: usdToNumber(parseUsd(p.cost)),
    display: `$${p.cost}`,
    breach: parseUsd(p.cost) > threshold,
  }));
  return html`<section id="hourly-cost"><h2>Hourly cost trend</h2>
<p class="note">Cost of each UTC hour; red points are above the hourly threshold ($${report.thresholds.hourlyCost}).</p>
${lineChart('hourly-cost', `Hourly cost, ${report.date} (USD per UTC hour)`, points, { amount: usdToNumber(threshold), display: `$${report.thresholds.hourlyCost}` })}
<details><summary>Hourly figures</summary><table data-table="hourly-cost"><thead><tr><th>hour (UTC)</th><th class="num">cost USD</th><th class="num">tokens</th><th class="num">requests</th><th class="num">unpriced</th></tr></thead><tbody>
${report.hourly.map((p, i) => html`<tr${points[i]?.breach ? html` class="breach"` : html``} data-hour="${p.date}"><td>${hourOf(p.date)}</td><td class="num">${p.cost}</td><td class="num">${count(p.tokens)}</td><td class="num">${count(p.requests)}</td><td class="num">${count(p.unpricedRequests)}</td></tr>\n`)}</tbody></table></details>
</section>`;
}

function latencySection(report: DailyReport): Html {
  const { performance } = report;
  const groups = Object.entries(performance.byModel)
    .filter(([, m]) => m.apiLatency.count > 0)
    .map(([model, m]) => ({
      label: model,
      values: (['p50', 'p95', 'p99'] as const).flatMap((series) => {
        const value = m.apiLatency[series];
        return value === null ? [] : [{ series, amount: value, display: ms(value) }];
      }),
    }));
  const row = (name: string, s: { apiLatency: (typeof performance)['apiLatency']; bedrockLatency: (typeof performance)['apiLatency'] }): Html =>
    html`<tr><td>${name}</td><td class="num">${count(s.apiLatency.count)}</td><td class="num">${ms(s.apiLatency.avg)}</td><td class="num">${ms(s.apiLatency.p50)}</td><td class="num">${ms(s.apiLatency.p95)}</td><td class="num">${ms(s.apiLatency.p99)}</td><td class="num">${ms(s.bedrockLatency.p50)}</td><td class="num">${ms(s.bedrockLatency.p95)}</td></tr>\n`;
  return html`<section id="latency"><h2>Latency distribution</h2>
<p class="note">API latency (the tracked client's wall-clock time per call, <code>apiLatencyMs</code>) by model: p50, p95 and p99 over the day, from mergeable sketches (≈ 1 % relative error). Bedrock's own invocation latency is in the table. Error rate ${percent(performance.errorRate)}.</p>
${groupedBarChart('latency', `API latency p50 / p95 / p99 by model, ${report.date} (ms)`, groups, `no latency samples on ${report.date}`)}
<table data-table="latency"><thead><tr><th>agent / model</th><th class="num">calls</th><th class="num">API avg</th><th class="num">API p50</th><th class="num">API p95</th><th class="num">API p99</th><th class="num">Bedrock p50</th><th class="num">Bedrock p95</th></tr></thead><tbody>
${row('all', performance)}${Object.entries(performance.byAgent).map(([agent, s]) => row(`agent ${agent}`, s))}${Object.entries(performance.byModel).map(([model, s]) => row(`model ${model}`, s))}</tbody></table>
</section>`;
}

function cacheSection(report: DailyReport): Html {
  const { cache } = report;
  const parts = [
    { label: 'uncached input', value: String(cache.inputTokens), amount: cache.inputTokens, display: `${count(cache.inputTokens)} tokens` },
    { label: 'cache read', value: String(cache.cacheReadTokens), amount: cache.cacheReadTokens, display: `${count(cache.cacheReadTokens)} tokens` },
    { label: 'cache write', value: String(cache.cacheWriteTokens), amount: cache.cacheWriteTokens, display: `${count(cache.cacheWriteTokens)} tokens` },
  ];
  return html`<section id="cache"><h2>Cache efficiency</h2>
<p class="note">Input-side tokens by kind; the hit ratio is cache-read tokens over all input-side tokens.</p>
${stackedBarChart('cache', `Input tokens by cache use, ${report.date}`, parts)}
<div class="figures">
<div class="figure">Token hit ratio<b id="cache-hit-ratio">${percent(cache.tokenHitRatio)}</b><span class="note">${count(cache.cacheReadRequests)} requests read the cache, ${count(cache.cacheWriteRequests)} wrote it</span></div>
<div class="figure">Saved by cache reads<b>${cents(cache.savedByCacheReads)}</b><span class="exact" id="cache-saved">$${cache.savedByCacheReads}</span>${cache.cacheReadTokensWithoutRate > 0 ? html`<span class="note"> (${count(cache.cacheReadTokensWithoutRate)} read tokens without a known input rate not counted)</span>` : html``}</div>
<div class="figure">Cache read / write cost<b>${cents(cache.cacheReadCost)} / ${cents(cache.cacheWriteCost)}</b><span class="exact">$${cache.cacheReadCost} / $${cache.cacheWriteCost}</span></div>
<div class="figure">Unread cache writes<b id="cache-unread">${count(cache.unreadWrites.requests)}</b><span class="note">${count(cache.unreadWrites.tokens)} tokens, $${cache.unreadWrites.cost} — written and never read within their TTL (heuristic)</span></div>
</div>
</section>`;
}

function incidentSection(report: DailyReport): Html {
  const rows = byCostDescending(report.daily.breakdown.byIncident, (line) => line.cost);
  const shown = rows.slice(0, TOP_INCIDENTS);
  return html`<section id="incidents"><h2>Incidents</h2>
<p class="note">${rows.length === 0 ? 'No usage was attributed to an incident.' : `${count(rows.length)} incidents had usage${rows.length > shown.length ? `; the ${shown.length} most expensive:` : ':'}`}</p>
${shown.length > 0 ? html`<table data-table="incidents"><thead><tr><th>incident</th><th class="num">cost USD</th><th class="num">tokens</th><th class="num">requests</th><th class="num">errors</th></tr></thead><tbody>
${shown.map(([id, line]) => html`<tr><td>${id}</td><td class="num">${line.cost}</td><td class="num">${count(line.tokens)}</td><td class="num">${count(line.requests)}</td><td class="num">${count(line.errors)}</td></tr>\n`)}</tbody></table>` : html``}
</section>`;
}
