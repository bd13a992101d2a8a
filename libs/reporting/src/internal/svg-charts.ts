import { html, type Html } from './html';

/** One bar: `value` is the exact figure written into `data-value`; `amount` only scales the bar. */
export interface Bar {
  readonly label: string;
  readonly value: string;
  readonly amount: number;
  readonly display: string;
  readonly breach?: boolean;
}

const WIDTH = 760;
const LABEL_WIDTH = 240;
const VALUE_WIDTH = 170;
const LABEL_CHARS = 34;

/** Horizontal bars, one `.mark` per bar with `data-label` / `data-value`; an explicit "no data" text when empty. */
export function barChart(chart: string, title: string, bars: readonly Bar[], emptyText: string): Html {
  const rowHeight = 26;
  const height = 16 + Math.max(bars.length, 1) * rowHeight + 8;
  const area = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const max = Math.max(0, ...bars.map((b) => b.amount));
  const rows = bars.map((bar, i) => {
    const y = 16 + i * rowHeight;
    const width = max > 0 ? Math.max(bar.amount > 0 ? 1 : 0, (bar.amount / max) * area) : 0;
    return html`<g class="row">
<text class="label" x="${LABEL_WIDTH - 8}" y="${y + 14}" text-anchor="end">${short(bar.label)}</text>
<rect class="mark${bar.breach ? ' breach' : ''}" x="${LABEL_WIDTH}" y="${y + 2}" width="${round(width)}" height="${rowHeight - 8}" data-label="${bar.label}" data-value="${bar.value}"><title>${bar.label}: ${bar.display}</title></rect>
<text class="value" x="${round(LABEL_WIDTH + width + 6)}" y="${y + 14}">${bar.display}</text>
</g>`;
  });
  return svg(chart, title, height, bars.length, bars.length === 0 ? html`<text class="empty" x="${WIDTH / 2}" y="${height / 2 + 4}" text-anchor="middle">${emptyText}</text>` : rows);
}

/** One point of a line: `label` and `value` go into the mark's data attributes. */
export interface LinePoint {
  readonly label: string;
  readonly tick: string;
  readonly value: string;
  readonly amount: number;
  readonly display: string;
  readonly breach: boolean;
}

/** A line of points (one `circle.mark` each) with an optional dashed threshold line, when it fits the scale. */
export function lineChart(chart: string, title: string, points: readonly LinePoint[], threshold: { readonly amount: number; readonly display: string }): Html {
  const height = 260;
  const left = 80;
  const right = 24;
  const top = 16;
  const bottom = 36;
  const plotWidth = WIDTH - left - right;
  const plotHeight = height - top - bottom;
  const maxValue = Math.max(0, ...points.map((p) => p.amount));
  let yMax = maxValue > 0 ? maxValue : 1;
  const showThreshold = threshold.amount <= yMax * 1.25;
  if (showThreshold) yMax = Math.max(yMax, threshold.amount * 1.05);
  const x = (i: number): number => left + (points.length > 1 ? (i * plotWidth) / (points.length - 1) : plotWidth / 2);
  const y = (amount: number): number => top + plotHeight * (1 - amount / yMax);
  const ticks = [0, yMax / 2, yMax].map(
    (v) => html`<line class="grid" x1="${left}" x2="${WIDTH - right}" y1="${round(y(v))}" y2="${round(y(v))}"/><text class="axis" x="${left - 6}" y="${round(y(v)) + 4}" text-anchor="end">$${axisMoney(v)}</text>`,
  );
  const xTicks = points.map((p, i) => (i % 3 === 0 ? html`<text class="axis" x="${round(x(i))}" y="${height - bottom + 18}" text-anchor="middle">${p.tick}</text>` : html``));
  const line = points.map((p, i) => `${round(x(i))},${round(y(p.amount))}`).join(' ');
  const marks = points.map(
    (p, i) =>
      html`<circle class="mark${p.breach ? ' breach' : ''}" cx="${round(x(i))}" cy="${round(y(p.amount))}" r="4" data-label="${p.label}" data-value="${p.value}"><title>${p.tick} UTC: ${p.display}</title></circle>`,
  );
  const thresholdLine = showThreshold
    ? html`<line class="threshold" x1="${left}" x2="${WIDTH - right}" y1="${round(y(threshold.amount))}" y2="${round(y(threshold.amount))}"/><text class="threshold-label" x="${WIDTH - right}" y="${round(y(threshold.amount)) - 4}" text-anchor="end">threshold ${threshold.display}</text>`
    : html``;
  return svg(chart, title, height, points.length, [
    ...ticks,
    ...xTicks,
    thresholdLine,
    html`<polyline class="line" fill="none" points="${line}"/>`,
    ...marks,
  ]);
}

/** A group of bars per label, one per series (p50, p95, p99): one `.mark` per (label, series) with `data-series`. */
export function groupedBarChart(
  chart: string,
  title: string,
  groups: readonly { readonly label: string; readonly values: readonly { readonly series: string; readonly amount: number; readonly display: string }[] }[],
  emptyText: string,
): Html {
  const barHeight = 8;
  const gap = 12;
  const groupHeight = (n: number): number => n * (barHeight + 2) + gap;
  let y = 22;
  const area = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const max = Math.max(0, ...groups.flatMap((g) => g.values.map((v) => v.amount)));
  const series = [...new Set(groups.flatMap((g) => g.values.map((v) => v.series)))];
  const legend = series.map((name, i) => html`<rect class="legend s${i}" x="${LABEL_WIDTH + i * 90}" y="4" width="10" height="10"/><text class="axis" x="${LABEL_WIDTH + i * 90 + 14}" y="13">${name}</text>`);
  const rows = groups.map((group) => {
    const top = y;
    y += groupHeight(group.values.length);
    return html`<g class="row"><text class="label" x="${LABEL_WIDTH - 8}" y="${top + (group.values.length * (barHeight + 2)) / 2 + 4}" text-anchor="end">${short(group.label)}</text>${group.values.map((v, i) => {
      const width = max > 0 ? Math.max(v.amount > 0 ? 1 : 0, (v.amount / max) * area) : 0;
      const barY = top + i * (barHeight + 2);
      return html`<rect class="mark s${series.indexOf(v.series)}" x="${LABEL_WIDTH}" y="${barY}" width="${round(width)}" height="${barHeight}" data-label="${group.label}" data-series="${v.series}" data-value="${v.amount}"><title>${group.label} ${v.series}: ${v.display}</title></rect><text class="value small" x="${round(LABEL_WIDTH + width + 6)}" y="${barY + barHeight}">${v.series} ${v.display}</text>`;
    })}</g>`;
  });
  const height = Math.max(y, 60) + 4;
  const count = groups.reduce((n, g) => n + g.values.length, 0);
  return svg(chart, title, height, count, groups.length === 0 ? html`<text class="empty" x="${WIDTH / 2}" y="${height / 2 + 4}" text-anchor="middle">${emptyText}</text>` : [...legend, ...rows]);
}

/** One stacked bar of parts (one `.mark` each) with a legend. */
export function stackedBarChart(chart: string, title: string, parts: readonly { readonly label: string; readonly value: string; readonly amount: number; readonly display: string }[]): Html {
  const height = 96;
  const left = 16;
  const width = WIDTH - 2 * left;
  const total = parts.reduce((n, p) => n + p.amount, 0);
  let x = left;
  const marks = parts.map((part, i) => {
    const w = total > 0 ? (part.amount / total) * width : 0;
    const mark = html`<rect class="mark s${i}" x="${round(x)}" y="10" width="${round(w)}" height="32" data-label="${part.label}" data-value="${part.value}"><title>${part.label}: ${part.display}</title></rect>`;
    x += w;
    return mark;
  });
  const legend = parts.map((part, i) => html`<rect class="legend s${i}" x="${left + i * 250}" y="58" width="10" height="10"/><text class="axis" x="${left + i * 250 + 14}" y="67">${part.label}: ${part.display}</text>`);
  const empty = total === 0 ? html`<text class="empty" x="${WIDTH / 2}" y="31" text-anchor="middle">no input tokens</text>` : html``;
  return svg(chart, title, height, parts.length, [html`<rect class="frame" x="${left}" y="10" width="${width}" height="32"/>`, ...marks, ...legend, empty]);
}

function svg(chart: string, title: string, height: number, points: number, body: Html | readonly Html[]): Html {
  const id = `chart-${chart}`;
  return html`<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="${id}" data-chart="${chart}" data-points="${points}" role="img" aria-labelledby="${id}-title" width="${WIDTH}" height="${round(height)}" viewBox="0 0 ${WIDTH} ${round(height)}"><title id="${id}-title">${title}</title>
${body}
</svg>`;
}

function short(label: string): string {
  return label.length > LABEL_CHARS ? `${label.slice(0, LABEL_CHARS - 1)}…` : label;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function axisMoney(v: number): string {
  if (v === 0) return '0';
  return v >= 1 ? v.toFixed(2) : v.toPrecision(2);
}
