import type { CliIo } from '../cli-io';

/**
 * `npm start`. The platform (agents, batch publisher, reporting worker on embedded defaults) lands with the
 * platform issue; until then this says so plainly and points at what already works.
 */
export function startCommand(io: CliIo): number {
  io.out(
    [
      'bedrock-usage: `npm start` will run the whole local platform in one command (five agents against the Bedrock',
      'stand-in, batch publisher, reporting worker on embedded defaults) — the platform issue is in progress; the',
      'parts run on their own today.',
      '',
      'What works today:',
      '  npm run -s cli -- seed-demo --days 2 --events-per-day 20000 --reset   demo usage into the embedded store',
      '  npm run -s cli -- report daily --date <a seeded day>                  Runbook 1; also perf, errors, cache, doctor',
      '  npm run -s reporting-worker -- run --date <a seeded day>              the daily report (HTML, Markdown, JSON)',
      '  npm run -s batch-publisher -- run --once                              refresh the aggregates from new events',
      '  npm run -s cli -- extract libs/testing/fixtures/bedrock/*.json       token usage from captured Bedrock responses',
      '  npm run -s cli -- price --list                                        the price book',
      '  npm run -s cli -- --help                                              every command',
      '  npm test                                                              every test',
    ].join('\n'),
  );
  return 0;
}
