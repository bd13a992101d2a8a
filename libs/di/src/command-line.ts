import { UsageError } from '@bedrock-usage/core';

/**
 * Where a long-running app's commands write, and how they learn to stop; the real process wires stdout, stderr and
 * SIGTERM/SIGINT ({@link runAsProcess}), tests buffer.
 *
 * @example
 * const io: CommandIo = { out: (l) => lines.push(l), err: (l) => errors.push(l), onStop: () => undefined };
 */
export interface CommandIo {
  out(line: string): void;
  err(line: string): void;
  /** Registers what to call when the process is asked to stop. */
  onStop(stop: () => void): void;
}

/** One subcommand: its arguments (after the name), the environment and the io; resolves with the exit code. */
export type Command<Io extends CommandIo = CommandIo> = (argv: readonly string[], env: NodeJS.ProcessEnv, io: Io) => Promise<number>;

/**
 * Runs `argv[0]` of `commands` (with `help` for no command, `help`, `--help`, `-h`) and maps what it throws to the
 * exit code every app uses: 2 for bad usage, input or configuration (`UsageError` INVALID_*, unknown options), 1 when
 * a store or service failed (`UsageError` IO, TIMEOUT, BREAKER_OPEN, SHUT_DOWN) or on an internal error — the message
 * on stderr. Never rejects.
 *
 * @example
 * export const runWorker = (argv, env, io) => runCommandLine({ run: runCommand, schedule: scheduleCommand }, HELP, argv, env, io);
 */
export async function runCommandLine<Io extends CommandIo>(commands: Readonly<Record<string, Command<Io>>>, help: string, argv: readonly string[], env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.out(help);
    return name === undefined ? 2 : 0;
  }
  if (!Object.hasOwn(commands, name)) {
    io.err(`unknown command "${name}" — allowed: ${Object.keys(commands).join(', ')}\n\n${help}`);
    return 2;
  }
  try {
    return await commands[name](rest, env, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(error.message);
      return ['IO', 'TIMEOUT', 'BREAKER_OPEN', 'SHUT_DOWN'].includes(error.code) ? 1 : 2;
    }
    const code = (error as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      io.err(`${(error as Error).message} — see "${name} --help"`);
      return 2;
    }
    io.err(`internal error: ${(error as Error).stack ?? String(error)}`);
    return 1;
  }
}

/**
 * An app's `main` as a real process: `run(argv, env, io)` with stdout/stderr and SIGTERM/SIGINT, the exit code set
 * when it resolves (the AWS SDK's Node 22 notice kept quiet: the pinned versions run on Node 20).
 *
 * @example
 * if (require.main === module) runAsProcess(runWorker);
 */
export function runAsProcess(run: (argv: readonly string[], env: NodeJS.ProcessEnv, io: CommandIo) => Promise<number>): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  void run(process.argv.slice(2), process.env, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    onStop: (stop) => {
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    },
  }).then((code) => {
    process.exitCode = code;
  });
}
