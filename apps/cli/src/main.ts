import { readFileSync } from 'node:fs';

import { Container } from 'inversify';

import { UsageError } from '@bedrock-usage/core';
import { domainModule, TOKENS } from '@bedrock-usage/di';

import { type CliIo, CliError } from './cli-io';
import { type CliConfig, loadConfig } from './config';
import { extractCommand } from './commands/extract.command';
import { priceCommand } from './commands/price.command';
import { startCommand } from './commands/start.command';

export const HELP = `Usage: npm run -s cli -- <command> [options]

Commands:
  extract FILE...   token usage from captured Bedrock responses, one JSON line per file
  price             the exact cost of a call (--model ID --input N --output N ...), or --list the price book
  start             run the local platform (coming with the platform issue)

Every command takes --help. Environment: BEDROCK_USAGE_REGION / AWS_REGION (default us-east-1),
BEDROCK_USAGE_PRICING_FILE (price overrides, JSON).`;

/** Runs one CLI invocation; returns the exit code. Never throws. */
export function runCli(argv: readonly string[], env: NodeJS.ProcessEnv, io: CliIo): number {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'extract':
        return extractCommand(rest, io);
      case 'price': {
        const config = loadConfig(env);
        return priceCommand(rest, createContainer(config).get(TOKENS.PriceBook), config, io);
      }
      case 'start':
        return startCommand(io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(HELP);
        return command === undefined ? 2 : 0;
      default:
        throw new CliError(`unknown command "${command}" — allowed: extract, price, start\n\n${HELP}`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(error.message);
      return 2;
    }
    if (error instanceof CliError) {
      io.err(error.message);
      return error.exitCode;
    }
    // node:util parseArgs errors (unknown option, missing value) are usage errors too.
    const code = (error as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      io.err(`${(error as Error).message} — see "${command} --help"`);
      return 2;
    }
    io.err(`internal error: ${(error as Error).stack ?? String(error)}`);
    return 1;
  }
}

/** The composition root: the only container of the CLI. */
function createContainer(config: CliConfig): Container {
  const container = new Container();
  container.load(domainModule({ priceOverrides: config.pricingFile === undefined ? undefined : readPricingFile(config.pricingFile) }));
  return container;
}

function readPricingFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`BEDROCK_USAGE_PRICING_FILE="${file}" cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`BEDROCK_USAGE_PRICING_FILE="${file}" is not JSON: ${(error as Error).message}`);
  }
}

if (require.main === module) {
  // `... | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  process.exitCode = runCli(process.argv.slice(2), process.env, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
}
