import { formatJson, formatMarkdown } from '../src/bench-report';
import { runBench, type BenchResult } from '../src/bench-run';
import type { Figure, Phase } from '../src/figures';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const PHASES: readonly Phase[] = ['P1 hot path', 'P2 throughput', 'P3 CloudWatch', 'P4 DynamoDB', 'P5 reports', 'P6 memory'];
/** A hang guard for a noisy 2-core machine (the quick bench takes about 25 s here), not a timing goal. */
const QUICK_BENCH_TIMEOUT_MS = 120_000;

function named(result: BenchResult, phase: Phase, name: string): Figure {
  const figure = result.figures.find((candidate) => candidate.phase === phase && candidate.name === name);
  if (figure === undefined) throw new Error(`no figure "${name}" in ${phase}`);
  return figure;
}

describe('npm run bench -- --quick', () => {
  let result: BenchResult;

  beforeAll(async () => {
    // Act
    result = await runBench({ mode: 'quick', command: 'npm run bench -- --quick' });
  }, QUICK_BENCH_TIMEOUT_MS);

  it('measures all six phases, every figure a finite positive number, every goal met or missed', () => {
    // Assess
    expect(new Set(result.figures.map((figure) => figure.phase))).toEqual(new Set(PHASES));
    for (const figure of result.figures) {
      expect({ figure: figure.name, finitePositive: Number.isFinite(figure.value) && figure.value > 0 }).toEqual({ figure: figure.name, finitePositive: true });
    }
    const goals = result.figures.flatMap((figure) => (figure.goal === undefined ? [] : [figure.goal]));
    expect(goals.length).toBeGreaterThanOrEqual(10);
    expect(goals.every((goal) => typeof goal.met === 'boolean' && goal.text.length > 0)).toBe(true);
  });

  it('compares us with both peers in the same run, as ratios', () => {
    // Assess
    for (const peer of ['Powertools', 'aws-embedded-metrics']) {
      expect(named(result, 'P1 hot path', `${peer} p50 ÷ ours p50`).unit).toBe('×');
      expect(named(result, 'P1 hot path', `${peer}: EMF bytes per event`).value).toBeGreaterThan(100);
    }
    expect(named(result, 'P2 throughput', 'floor ÷ ours → EMF file (events/s)').unit).toBe('×');
  });

  it('counts requests the way the sinks batch them: fewer than one per event', () => {
    // Assess: the store sends 25 items per BatchWriteItem; CloudWatch requests carry many events each
    expect(named(result, 'P4 DynamoDB', 'BatchWriteItem requests per 1k events').value).toBe(40);
    expect(named(result, 'P4 DynamoDB', 'table + index WCU per 1k events (size rule)').value).toBeGreaterThanOrEqual(1000);
    for (const window of [100, 500, 5000]) {
      expect(named(result, 'P3 CloudWatch', `${window}-event writes: PutMetricData requests per 100k events`).value).toBeLessThan(100_000);
    }
  });

  it('keeps the overloaded pipeline within its buffer cap, spooling instead', () => {
    // Assess
    expect(named(result, 'P6 memory', 'peak buffered events (cap)').goal?.met).toBe(true);
    expect(named(result, 'P6 memory', 'events spooled').value).toBeGreaterThan(1000);
    expect(named(result, 'P6 memory', 'peak RSS').value).toBeGreaterThan(10);
  });

  it('writes the machine, the peers and one table row per figure', () => {
    // Act
    const markdown = formatMarkdown(result);
    const json = JSON.parse(formatJson(result)) as BenchResult;

    // Assess
    expect(result.machine.cpuCount).toBeGreaterThan(0);
    expect(result.peers).toEqual({ '@aws-lambda-powertools/metrics': '2.36.0', 'aws-embedded-metrics': '4.2.1' });
    expect(markdown.split('\n').filter((line) => /^\| P\d /.test(line))).toHaveLength(result.figures.length);
    expect(markdown).toContain('`npm run bench -- --quick`');
    expect(json.figures).toHaveLength(result.figures.length);
  });
});
