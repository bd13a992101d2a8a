import type { BenchResult } from './bench-run';
import type { Figure } from './figures';

/** A figure's value, rounded for reading: 3 significant digits under 1000, whole numbers with separators above. */
function formatValue(figure: Figure): string {
  const { value } = figure;
  if (!Number.isFinite(value)) return String(value);
  const text = Math.abs(value) >= 1000 ? Math.round(value).toLocaleString('en-US') : Number(value.toPrecision(3)).toString();
  return `${text} ${figure.unit}`;
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

/**
 * The Markdown of a run: the machine, the command, the peers' versions, then one table row per figure with its goal
 * and met/missed.
 *
 * @example
 * writeFileSync('bench/results/latest.md', formatMarkdown(result));
 */
export function formatMarkdown(result: BenchResult): string {
  const { machine } = result;
  const goals = result.figures.filter((figure) => figure.goal !== undefined);
  const met = goals.filter((figure) => figure.goal?.met).length;
  const lines = [
    '# bedrock-usage bench',
    '',
    `- Command: \`${result.command}\` (mode ${result.mode}), started ${result.startedAt}, ${Math.round(result.durationSeconds)} s`,
    `- Machine: ${machine.cpuModel} × ${machine.cpuCount}, ${machine.memoryGb} GB, ${machine.os}, Node ${machine.node}; 1-min load average ${machine.loadAverage.atStart.toFixed(1)} at start, ${machine.loadAverage.atEnd.toFixed(1)} at end`,
    `- Peers: ${Object.entries(result.peers).map(([name, version]) => `${name} ${version}`).join(', ')}`,
    `- Goals met: ${met} of ${goals.length}`,
    '',
    '| phase | figure | value | goal | met | how |',
    '|---|---|---|---|---|---|',
    ...result.figures.map((figure) =>
      [figure.phase, figure.name, formatValue(figure), figure.goal?.text ?? '', figure.goal === undefined ? '' : figure.goal.met ? 'met' : 'missed', figure.detail ?? '']
        .map(cell)
        .join(' | ')
        .replace(/^/, '| ')
        .concat(' |'),
    ),
    '',
  ];
  return lines.join('\n');
}

/**
 * The JSON of a run (bench/results/latest.json): the result as is, 2-space indented.
 *
 * @example
 * writeFileSync('bench/results/latest.json', formatJson(result));
 */
export function formatJson(result: BenchResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
