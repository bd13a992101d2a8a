import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Container } from 'inversify';

import { spoolModule, TOKENS } from '@bedrock-usage/di';
import { makeUsageEvents } from '@bedrock-usage/testing';

import { renderProgress } from '../src/cli-progress';
import { runCli } from '../src/main';


/** The real FileSpool (through the di module the CLI uses; apps may not import adapters, tests included). */
function fileSpool(dir: string) {
  const container = new Container();
  container.load(spoolModule({ dir }));
  const spool = container.get(TOKENS.Spool);
  return { append: spool.append.bind(spool), pathOf: (sink: string) => join(dir, `${sink}.jsonl`) };
}

/** Runs a command with a status line, as on a terminal, keeping every status text. */
async function onTerminal(argv: string[], env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const status: string[] = [];
  const code = await runCli(argv, env, { out: (line) => out.push(line), err: () => undefined, progress: (text) => status.push(text) });
  return { code, out: out.join('\n'), status };
}

describe('the progress bar', () => {
  it('renders the fraction, the counts and what is left', () => {
    expect(renderProgress({ done: 9000, total: 20000, elapsedMs: 9_818, unit: 'events', width: 12 })).toBe('[█████░░░░░░░]  45 % 9000/20000 events · 12 s left');
    expect(renderProgress({ done: 0, total: 10, elapsedMs: 0, unit: 'events', width: 4 })).toBe('[░░░░]   0 % 0/10 events · estimating…');
    expect(renderProgress({ done: 10, total: 10, elapsedMs: 125_000, unit: 'events', width: 4, note: 'refreshed 2025-03-11' })).toBe('[████] 100 % 10/10 events · done in 2 min 05 s · refreshed 2025-03-11');
  });

  describe('in long commands', () => {
    let dataDir: string;
    beforeEach(() => {
      dataDir = mkdtempSync(join(tmpdir(), 'bedrock-usage-cli-progress-'));
    });
    afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

    it('seed-demo and spool replay draw it on the status line and clear it; --json draws nothing', async () => {
      // Prepare
      const env = { BEDROCK_USAGE_DATA_DIR: dataDir };
      await fileSpool(join(dataDir, 'spool')).append('DynamoDB', makeUsageEvents(20, { time: '2025-03-11T10:00:00.000Z' }));

      // Act
      const seeded = await onTerminal(['seed-demo', '--days', '1', '--events-per-day', '50'], env);
      const replayed = await onTerminal(['spool', 'replay'], env);
      const quiet = await onTerminal(['seed-demo', '--days', '1', '--events-per-day', '50', '--json'], env);

      // Assess
      expect(seeded.code).toBe(0);
      expect(seeded.status[0]).toMatch(/^\[[█░]{24}\] +\d+ % \d+\/50 events · /);
      expect(seeded.status).toContainEqual(expect.stringMatching(/^\[█{24}\] 100 % 50\/50 events · done in \d+ s · refreshed \d{4}-\d{2}-\d{2}$/));
      expect(seeded.status.at(-1)).toBe('');
      expect(replayed.code).toBe(0);
      expect(replayed.status).toContainEqual(expect.stringMatching(/^\[█{24}\] 100 % 20\/20 events · /));
      expect(replayed.status.at(-1)).toBe('');
      expect(quiet).toMatchObject({ code: 0, status: [] });
      expect(JSON.parse(quiet.out)).toMatchObject({ events: 50 });
    });
  });
});
