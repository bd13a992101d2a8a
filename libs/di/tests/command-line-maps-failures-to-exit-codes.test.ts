import { parseArgs } from 'node:util';

import { UsageError } from '@bedrock-usage/core';

import { runCommandLine, type CommandIo } from '../src';

function bufferedIo(): CommandIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (line) => lines.push(line), err: (line) => errors.push(line), onStop: () => undefined };
}

describe('runCommandLine', () => {
  const commands = {
    ok: async (argv: readonly string[]) => (argv.length === 0 ? 0 : 3),
    config: async () => {
      throw new UsageError('INVALID_CONFIG', 'BEDROCK_USAGE_TABLE="x" is not a table name');
    },
    store: async () => {
      throw new UsageError('IO', 'DynamoDB unreachable');
    },
    option: async (argv: readonly string[]) => {
      parseArgs({ args: [...argv], strict: true, options: {} });
      return 0;
    },
    bug: async () => {
      throw new TypeError('undefined is not a function');
    },
  };

  it.each([
    [['ok'], 0, ''],
    [['ok', 'x'], 3, ''],
    [['config'], 2, 'BEDROCK_USAGE_TABLE="x" is not a table name'],
    [['store'], 1, 'DynamoDB unreachable'],
    [['option', '--nope'], 2, `Unknown option '--nope'`],
    [['bug'], 1, 'internal error: TypeError: undefined is not a function'],
    [['nope'], 2, 'unknown command "nope" — allowed: ok, config, store, option, bug'],
  ])('%j exits %i with the reason on stderr', async (argv, code, message) => {
    const io = bufferedIo();
    expect(await runCommandLine(commands, 'HELP', argv, {}, io)).toBe(code);
    expect(io.errors.join('\n')).toContain(message);
  });

  it('prints the help: exit 0 when asked, 2 without a command', async () => {
    const asked = bufferedIo();
    const none = bufferedIo();
    expect(await runCommandLine(commands, 'HELP', ['--help'], {}, asked)).toBe(0);
    expect(await runCommandLine(commands, 'HELP', [], {}, none)).toBe(2);
    expect([asked.lines, none.lines]).toEqual([['HELP'], ['HELP']]);
  });
});
