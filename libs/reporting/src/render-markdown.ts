import type { CostLine, LatencySummary } from '@bedrock-usage/analyzer';

import type { DailyReport } from './daily-report';
import { byCostDescending, cents, count, hourOf, ms, percent } from './internal/format';
import { TOP_INCIDENTS } from './render-html';

/**
 * The report as Markdown (GitHub-flavoured tables): the same figures as the HTML, charts as tables. Strings from
 * the data are escaped so an id cannot break a table or inject markup.
 *
 * @example
 * await store.write({ name: 'daily-cost-report-2025-03-11.md', contentType: 'text/markdown; charset=utf-8', body: renderDailyReportMarkdown(report) });
 */
export function renderDailyReportMarkdown(report: DailyReport): string {
  const { daily, cache, performance } = report;
  const out: string[] = [];
  out.push(`# Bedrock usage — daily cost report ${report.date}`, '');
  out.push(`UTC day ${report.date} · generated ${report.generatedAt} · thresholds: daily > $${report.thresholds.dailyCost}, hourly > $${report.thresholds.hourlyCost}`, '');
  for (const breach of report.breaches) {
    out.push(
      breach.kind === 'daily'
        ? `> **Daily cost threshold crossed:** $${daily.totalCost} > $${breach.threshold} (Runbook 1: High Daily Cost Alert)`
        : `> **Hourly cost spike:** ${hourOf(breach.hour)} UTC cost $${breach.cost} > $${breach.threshold}`,
      '',
    );
  }
  if (report.breaches.length === 0) out.push(`No threshold crossed: day ≤ $${report.thresholds.dailyCost}, every hour ≤ $${report.thresholds.hourlyCost}.`, '');
  if (daily.restated) out.push(`> **Restated:** late events changed this day's figures after it was closed (last at ${daily.restatedAt ?? ''}); this report supersedes earlier ones.`, '');
  if (daily.unpriced.requests > 0 || daily.provisioned.requests > 0) {
    out.push(
      `> **Not in the total:** ${count(daily.unpriced.requests)} unpriced requests (${count(daily.unpriced.tokens)} tokens) and ${count(daily.provisioned.requests)} provisioned-throughput requests (${count(daily.provisioned.tokens)} tokens).`,
      '',
    );
  }
  if (daily.requestCount === 0) out.push(`No usage recorded on ${report.date}.`, '');

  out.push('## Summary', '');
  out.push(
    table(
      ['figure', 'value'],
      [
        ['total cost USD', `${daily.totalCost} (${cents(daily.totalCost)})`],
        ['requests', `${count(daily.requestCount)} (${count(daily.pricedRequests)} priced, ${count(daily.unpriced.requests)} unpriced, ${count(daily.provisioned.requests)} provisioned)`],
        ['tokens', count(daily.totalTokens)],
        ['errors', `${count(daily.errorCount)}${Object.keys(daily.errorsByCode).length ? ` — ${Object.entries(daily.errorsByCode).map(([code, n]) => `${text(code)} ${n}`).join(', ')}` : ''}`],
        ['rejected (billed, usage unreadable)', count(daily.rejectedCount)],
        ['input / output cost USD', `${daily.costByComponent.input} / ${daily.costByComponent.output}`],
        ['cache read / write (5 min) / write (1 h) cost USD', `${daily.costByComponent.cacheRead} / ${daily.costByComponent.cacheWrite} / ${daily.costByComponent.cacheWrite1h}`],
      ],
    ),
    '',
  );

  out.push('## Cost by agent', '', costTable('agent', daily.breakdown.byAgent, report), '');
  out.push('## Cost by model', '', costTable('model', daily.breakdown.byModel, report), '');

  out.push('## Hourly cost trend', '');
  out.push(
    table(
      ['hour (UTC)', 'cost USD', 'tokens', 'requests', 'unpriced', 'above threshold'],
      report.hourly.map((p) => [hourOf(p.date), p.cost, count(p.tokens), count(p.requests), count(p.unpricedRequests), report.breaches.some((b) => b.kind === 'hourly' && b.hour === p.date) ? '**yes**' : '']),
    ),
    '',
  );

  out.push('## Latency distribution', '');
  out.push(`API latency (the tracked client's wall-clock time per call) and Bedrock's invocation latency, p50/p95/p99 over the day (≈ 1 % relative error). Error rate ${percent(performance.errorRate)}.`, '');
  const latencyRow = (name: string, api: LatencySummary, bedrock: LatencySummary): string[] => [name, count(api.count), ms(api.avg), ms(api.p50), ms(api.p95), ms(api.p99), ms(bedrock.p50), ms(bedrock.p95)];
  out.push(
    table(
      ['agent / model', 'calls', 'API avg', 'API p50', 'API p95', 'API p99', 'Bedrock p50', 'Bedrock p95'],
      [
        latencyRow('all', performance.apiLatency, performance.bedrockLatency),
        ...Object.entries(performance.byAgent).map(([agent, s]) => latencyRow(`agent ${text(agent)}`, s.apiLatency, s.bedrockLatency)),
        ...Object.entries(performance.byModel).map(([model, s]) => latencyRow(`model ${text(model)}`, s.apiLatency, s.bedrockLatency)),
      ],
    ),
    '',
  );

  out.push('## Cache efficiency', '');
  out.push(
    table(
      ['figure', 'value'],
      [
        ['token hit ratio', percent(cache.tokenHitRatio)],
        ['uncached input / cache read / cache write tokens', `${count(cache.inputTokens)} / ${count(cache.cacheReadTokens)} / ${count(cache.cacheWriteTokens)}`],
        ['saved by cache reads USD', `${cache.savedByCacheReads}${cache.cacheReadTokensWithoutRate > 0 ? ` (${count(cache.cacheReadTokensWithoutRate)} read tokens without a known rate not counted)` : ''}`],
        ['cache read / write cost USD', `${cache.cacheReadCost} / ${cache.cacheWriteCost}`],
        ['unread cache writes (heuristic)', `${count(cache.unreadWrites.requests)} requests, ${count(cache.unreadWrites.tokens)} tokens, $${cache.unreadWrites.cost}`],
      ],
    ),
    '',
  );

  const incidents = byCostDescending(daily.breakdown.byIncident, (line) => line.cost);
  out.push('## Incidents', '');
  if (incidents.length === 0) out.push('No usage was attributed to an incident.', '');
  else {
    const shown = incidents.slice(0, TOP_INCIDENTS);
    out.push(`${count(incidents.length)} incidents had usage${incidents.length > shown.length ? `; the ${shown.length} most expensive:` : ':'}`, '');
    out.push(table(['incident', 'cost USD', 'tokens', 'requests', 'errors'], shown.map(([id, l]) => [text(id), l.cost, count(l.tokens), count(l.requests), count(l.errors)])), '');
  }
  out.push('_Token counts, ids and costs only: bedrock-usage stores no prompt or completion text. Money is exact decimal USD._', '');
  return out.join('\n');
}

function costTable(kind: 'agent' | 'model', lines: Readonly<Record<string, CostLine>>, report: DailyReport): string {
  const rows = byCostDescending(lines, (line) => line.cost).map(([name, l]) => [
    text(name),
    l.cost,
    count(l.tokens),
    count(l.requests),
    count(l.errors),
    count(l.unpricedRequests),
    count(l.provisionedRequests),
    ...(kind === 'model' ? [report.modelEfficiency.models[name]?.costPer1kTokens ?? '–'] : []),
  ]);
  const d = report.daily;
  const total = ['**total**', d.totalCost, count(d.totalTokens), count(d.requestCount), count(d.errorCount), count(d.unpriced.requests), count(d.provisioned.requests), ...(kind === 'model' ? [''] : [])];
  return table([kind, 'cost USD', 'tokens', 'requests', 'errors', 'unpriced', 'provisioned', ...(kind === 'model' ? ['USD / 1k tokens'] : [])], [...rows, total]);
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n');
}

/** A data string safe in a Markdown table cell: no markup, no table break, no line break. */
function text(value: string): string {
  return value
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|#!~])/g, '\\$1');
}
