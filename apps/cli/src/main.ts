import { readFileSync } from 'node:fs';

import { Container } from 'inversify';

import { UsageError } from '@bedrock-usage/core';
import { diagnosticsModule, type Diagnostics, domainModule, spoolModule, TOKENS, usageStoreModule } from '@bedrock-usage/di';

import type { AsyncCommand, OpenStore, SpoolDeps } from './cli-args';
import { type CliIo, CliError } from './cli-io';
import { type CliConfig, loadConfig } from './config';
import { breakerCommand } from './commands/breaker.command';
import { cacheCommand } from './commands/cache.command';
import { doctorCommand } from './commands/doctor.command';
import { errorsCommand } from './commands/errors.command';
import { extractCommand } from './commands/extract.command';
import { incidentCommand } from './commands/incident.command';
import { ingestCommand } from './commands/ingest.command';
import { perfCommand } from './commands/perf.command';
import { priceCommand } from './commands/price.command';
import { reportCommand } from './commands/report.command';
import { seedDemoCommand } from './commands/seed-demo.command';
import { spoolCommand } from './commands/spool.command';
import { startCommand } from './commands/start.command';
import { throughputCommand } from './commands/throughput.command';
import { topAgentsCommand } from './commands/top-agents.command';
import { trendsCommand } from './commands/trends.command';

export const HELP = `Usage: npm run -s cli -- <command> [options]

Commands:
  extract FILE...   token usage from captured Bedrock responses, one JSON line per file
  price             the exact cost of a call (--model ID --input N --output N ...), or --list the price book
  start             the whole platform locally: five agents, Bedrock stand-in, store outage, report (npm start)
  seed-demo         write demo usage (5 agents, several models, incidents, errors, cache) into the store
  report daily      Runbook 1: the day's cost by agent, model and incident (--date D)
  top-agents        the most expensive agents over the last --days N
  trends            cost over --from D --to D, hourly, daily or weekly
  incident ID       what incident INC-YYYYMMDD-NNNN cost
  perf              Runbook 2: API and Bedrock latency avg/p50/p95/p99 by agent and model, error rate (--hours N
                    or --from ISO --to ISO)
  throughput        requests and requests/s per 1min, 5min or 1h bucket over the last --hours N
  cache             prompt-cache hit ratio, $ saved, cache writes never read back (--days N or --from D --to D)
  errors            Runbook 2: failed calls by error code, agent and model over the last --minutes N (default 10)
  breaker status    Runbook 3: the breakers, buffers and spool backlog of every running process (heartbeats)
  breaker reset C   Runbook 3: close breaker C (DynamoDB, CloudWatch, EMF … or all) in every running process
  doctor            Runbook 4: store, write path, metrics, recent usage, spool, breakers, pricing, clock — OK/FAIL
  spool inspect     Runbook 3: what waits in the spool, per sink file
  spool replay      Runbook 3: deliver the spooled usage-store events (or --from-log FILE of Lambda logs) to the
                    store, exactly once
  ingest FILE...    usage events from agents in other languages (JSON lines, the published schema) into the store

Every command takes --help; the store and spool commands take --json and show progress on a terminal.
Environment: BEDROCK_USAGE_REGION / AWS_REGION (default us-east-1), BEDROCK_USAGE_PRICING_FILE (price overrides,
JSON), BEDROCK_USAGE_TABLE (default bedrock-usage), BEDROCK_USAGE_DYNAMODB_ENDPOINT (a DynamoDB endpoint),
BEDROCK_USAGE_DATA_DIR (the embedded store, used without an endpoint or AWS configuration; default .bedrock-usage/
at the repo root), BEDROCK_USAGE_SPOOL_DIR (the agents' file spool; default <data dir>/spool).`;

/**
 * The async commands (store, spool): name → command. A new command is one line here and one in HELP; it receives
 * `CommandDeps` (openers of the store and the spool; add an opener there for anything else it needs).
 */
const ASYNC_COMMANDS: Readonly<Record<string, AsyncCommand>> = {
  'seed-demo': seedDemoCommand,
  report: reportCommand,
  'top-agents': topAgentsCommand,
  trends: trendsCommand,
  incident: incidentCommand,
  perf: perfCommand,
  throughput: throughputCommand,
  cache: cacheCommand,
  spool: spoolCommand,
  ingest: ingestCommand,
  errors: errorsCommand,
  doctor: doctorCommand,
  breaker: breakerCommand,
};

/**
 * Runs one CLI invocation; returns the exit code, or a promise of it for the commands that use the usage store.
 * Never throws, never rejects.
 */
export function runCli(argv: readonly string[], env: NodeJS.ProcessEnv, io: CliIo): number | Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command !== undefined && Object.hasOwn(ASYNC_COMMANDS, command)) {
      return runAsyncCommand(ASYNC_COMMANDS[command], rest, env, io).catch((error: unknown) => failure(error, command, io));
    }
    switch (command) {
      case 'extract':
        return extractCommand(rest, io);
      case 'price': {
        const config = loadConfig(env);
        return priceCommand(rest, createContainer(config).get(TOKENS.PriceBook), config, io);
      }
      case 'start':
        return startCommand(rest, loadConfig(env), env, io).catch((error: unknown) => failure(error, command, io));
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(HELP);
        return command === undefined ? 2 : 0;
      default:
        throw new CliError(`unknown command "${command}" — allowed: extract, price, start, ${Object.keys(ASYNC_COMMANDS).join(', ')}\n\n${HELP}`);
    }
  } catch (error) {
    return failure(error, command, io);
  }
}

/** The exit code of a failed command, with its message on stderr. */
function failure(error: unknown, command: string | undefined, io: CliIo): number {
  if (error instanceof UsageError) {
    io.err(error.message);
    // A store that cannot be reached or failed is not a usage error.
    return ['IO', 'TIMEOUT', 'BREAKER_OPEN', 'SHUT_DOWN'].includes(error.code) ? 1 : 2;
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

/**
 * An async command: arguments are checked first, then `openStore` starts the configured store (the embedded
 * dynalite for the duration of this one command) and `openSpool` binds the configured spool directory; the store
 * is shut down whatever happens.
 */
async function runAsyncCommand(command: AsyncCommand, argv: readonly string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const config = loadConfig(env);
  let container: Container | undefined;
  let resetEmbedded = false;
  let diagnostics: Diagnostics | undefined;
  // One container per command, created on first use: nothing starts until a store token is resolved.
  const containerOf = (): Container => (container ??= createContainer(config, { store: true, resetEmbedded }));
  const openStore: OpenStore = async (options = {}) => {
    if (options.reset) {
      if (config.location.kind !== 'embedded') {
        throw new CliError(`--reset empties the embedded store only — this CLI uses DynamoDB (${config.location.endpoint ?? 'AWS'}); delete table "${config.tableName}" yourself`);
      }
      if (container) throw new Error('openStore({ reset: true }) after the store was opened');
      resetEmbedded = true; // emptied by the store module once it holds the data directory's lock
    }
    const opened = containerOf();
    const [writer, reader, analyzer, statusStore] = await Promise.all([
      opened.getAsync(TOKENS.UsageStoreWriter),
      opened.getAsync(TOKENS.UsageStoreReader),
      opened.getAsync(TOKENS.CostAnalyzer),
      opened.getAsync(TOKENS.ProcessStatusStore),
    ]);
    diagnostics = await opened.getAsync(TOKENS.Diagnostics);
    const { location } = config;
    const storeLabel = location.kind === 'embedded' ? `embedded in ${location.dataDir}` : location.endpoint === undefined ? `on AWS in ${config.region}` : `at ${location.endpoint}`;
    return { writer, reader, analyzer, book: opened.get(TOKENS.PriceBook), clock: opened.get(TOKENS.Clock), statusStore, diagnostics, tableName: config.tableName, storeLabel };
  };
  const openSpool = (): SpoolDeps => ({ dir: config.spoolDir, spool: containerOf().get(TOKENS.Spool), inspector: containerOf().get(TOKENS.SpoolInspector) });
  try {
    return await command(argv, { openStore, openSpool }, io);
  } finally {
    diagnostics?.close();
    await container?.get(TOKENS.StoreShutdown)();
  }
}

/** The composition root: the only container of the CLI. */
function createContainer(config: CliConfig, options: { readonly store?: boolean; readonly resetEmbedded?: boolean } = {}): Container {
  const container = new Container();
  container.load(domainModule({ priceOverrides: config.pricingFile === undefined ? undefined : readPricingFile(config.pricingFile) }));
  if (options.store) container.load(usageStoreModule(config, { resetEmbedded: options.resetEmbedded }), spoolModule({ dir: config.spoolDir }), diagnosticsModule(config.metrics));
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
  // The AWS SDK prints a multi-line notice on every command that its releases after January 2027 need Node 22; the
  // pinned versions run on Node 20 (TOOLCHAIN.md). Kept quiet here unless the operator sets it themselves.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // `... | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  const tty = process.stderr.isTTY === true;
  void Promise.resolve(
    runCli(process.argv.slice(2), process.env, {
      out: (line) => process.stdout.write(`${line}\n`),
      err: (line) => process.stderr.write(`${line}\n`),
      progress: tty ? (text) => process.stderr.write(`\r\x1b[2K${text}`) : undefined,
      onInterrupt: (stop) => {
        // The first SIGINT/SIGTERM stops cleanly; a second one ends the process at once (exit 130).
        let signals = 0;
        const interrupted = (): void => {
          signals += 1;
          if (signals === 1) stop();
          else process.exit(130);
        };
        process.on('SIGINT', interrupted);
        process.on('SIGTERM', interrupted);
      },
    }),
  ).then((code) => {
    process.exitCode = code;
  });
}
