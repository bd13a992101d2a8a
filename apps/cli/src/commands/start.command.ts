import type { CliIo } from '../cli-io';

/**
 * `npm start`. The platform (agents, batch publisher, reporting worker on embedded defaults) lands with the
 * platform issue; until then this says so plainly and points at what already works.
 */
export function startCommand(io: CliIo): number {
  io.out(
    [
      'bedrock-usage: the local platform (five agents, batch publisher, reporting worker on embedded defaults) is coming',
      'with the platform issue; `npm start` does not run it yet.',
      '',
      'What works today:',
      '  npm run -s cli -- extract libs/testing/fixtures/bedrock/*.json   token usage from captured Bedrock responses',
      '  npm run -s cli -- price --model anthropic.claude-3-5-haiku-20241022-v1:0 --input 1000 --output 500',
      '  npm run -s cli -- price --list                                    the price book',
      '  npm test                                                          every test',
    ].join('\n'),
  );
  return 0;
}
