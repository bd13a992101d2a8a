import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

import { malformedInputScenario } from '../src/scenarios/malformed-input.scenario';

describe('the malformed-input scenario (in-process, quick)', () => {
  it('passes against the real pipeline: every malformed input counted, none escaping record()', async () => {
    // Prepare
    const workDir = mkdtempSync(`${tmpdir()}/reliability-malformed-`);

    // Act
    const outcome = await malformedInputScenario.run({ mode: 'quick', seed: 20250611, workDir, log: () => undefined }).finally(() => rmSync(workDir, { recursive: true, force: true }));

    // Assess
    expect(outcome.failures).toEqual([]);
    expect(outcome.figures.escaped).toBe(0);
    expect(outcome.figures.InvalidEvent).toBe(outcome.figures.inputs);
    expect(outcome.figures.inputs).toBeGreaterThan(2000);
  });
});
