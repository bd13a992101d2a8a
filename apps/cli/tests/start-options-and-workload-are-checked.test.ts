import { incidentWorkload } from '../src/platform/incident-workload';

import { storeCli } from './run-cli';

describe('npm start options', () => {
  it('--help lists duration, rate, agents, seed, outage and reset', async () => {
    // Act
    const { code, out } = await storeCli(['start', '--help']);
    // Assess
    expect(code).toBe(0);
    for (const option of ['--duration S', '--rate N', '--agents LIST', '--seed N', '--outage on|off', '--reset']) expect(out).toContain(option);
  });

  it.each([
    [['--duration', '5'], '--duration "5" is not allowed — use a whole number from 10 to 3600'],
    [['--rate', 'fast'], '--rate "fast" is not allowed — use a number from 0.2 to 50'],
    [['--agents', 'jira,sales'], '--agents "jira,sales" is not allowed — use all or a comma-separated list of cloud-engineer, knowledge-base, error-analysis, jira, operations'],
    [['--seed=-1'], '--seed "-1" is not allowed — use a whole number from 0 to 2147483647'],
    [['--outage', 'maybe'], '--outage "maybe" is not allowed — use on or off'],
  ])('refuses %j with exit 2, naming the option, the value and what is allowed', async (args, message) => {
    // Act
    const { code, err } = await storeCli(['start', ...args], { BEDROCK_USAGE_DATA_DIR: '/nonexistent/never-created' });
    // Assess
    expect(code).toBe(2);
    expect(err).toContain(message);
  });

  it('refuses a DynamoDB endpoint: the local platform runs on the embedded store', async () => {
    // Act
    const { code, err } = await storeCli(['start'], { BEDROCK_USAGE_DYNAMODB_ENDPOINT: 'http://127.0.0.1:1' });
    // Assess
    expect(code).toBe(2);
    expect(err).toContain('npm start runs the local platform on the embedded store');
  });
});

describe('the scripted incident workload', () => {
  const options = { durationMs: 60_000, rate: 3, agents: ['cloud-engineer', 'knowledge-base', 'error-analysis', 'jira', 'operations'], seed: 1, outage: true };

  it('is the same for the same seed, different for another', () => {
    // Act
    const first = incidentWorkload(options, '20261127');
    const again = incidentWorkload(options, '20261127');
    const other = incidentWorkload({ ...options, seed: 2 }, '20261127');
    // Assess
    expect(again).toEqual(first);
    expect(other.tasks).not.toEqual(first.tasks);
  });

  it('spreads duration × rate tasks in time order over overlapping incidents, only to the chosen agents', () => {
    // Act
    const workload = incidentWorkload({ ...options, agents: ['jira', 'operations'] }, '20261127');
    // Assess
    expect(workload.tasks).toHaveLength(180);
    expect(workload.tasks.map((task) => task.atMs)).toEqual([...workload.tasks.map((task) => task.atMs)].sort((a, b) => a - b));
    expect(workload.tasks.every((task) => task.atMs >= 0 && task.atMs < 60_000)).toBe(true);
    expect(new Set(workload.tasks.map((task) => task.agentId))).toEqual(new Set(['jira', 'operations']));
    expect(workload.incidents.filter((id) => /^INC-20261127-\d{4}$/.test(id)).length).toBeGreaterThanOrEqual(4);
  });

  it('throttles in 15–30 % of the run and takes the store down from 35 % for a fifth of it, or not at all', () => {
    // Act
    const on = incidentWorkload(options, '20261127');
    const off = incidentWorkload({ ...options, outage: false }, '20261127');
    // Assess
    expect(on.throttlingBurst).toEqual({ fromMs: 9000, toMs: 18_000 });
    expect(on.outage).toEqual({ fromMs: 21_000, toMs: 33_000 });
    expect(off.outage).toBeUndefined();
  });
});
