import { parseArgs } from 'node:util';

import type { ErrorBreakdown } from '@bedrock-usage/analyzer';

import { type CommandDeps, parsePositiveInt } from '../cli-args';
import { CliError, type CliIo, table } from '../cli-io';
import { statusIo, withSpinner } from '../cli-progress';
import { percent, perfWindow } from './perf.command';

export const ERRORS_HELP = `Usage: npm run -s cli -- errors [--minutes 10 | --from ISO --to ISO] [--json]

Runbook 2 ("API error rate spike"), step 1 "check error types": the failed Bedrock calls of a window by error code,
with the agents and models that got each, and the runbook's advice for the common codes. The alarm fires at
> 5 errors in 5 minutes.
  --minutes N        the last N minutes up to now (default 10, at most 527040)
  --from T --to T    a past window instead, [from, to): ISO-8601 with a zone or a day (its UTC midnight)
  --json             one JSON document: the analyzer's ErrorBreakdown`;

/** The spec's "Common Error Responses" (Runbook 2, step 2). */
const ADVICE: Readonly<Record<string, string>> = {
  ThrottlingException: 'reduce the request rate, back off exponentially, or switch to a fallback model (Runbook 2, step 3)',
  ValidationException: 'check the request format and parameters (model id, max tokens, message shape)',
  ServiceUnavailableException: 'AWS service issue: watch the AWS Health Dashboard; the breaker and retries ride it out',
  AccessDeniedException: 'check the IAM permissions (bedrock:InvokeModel* / Converse* on the model or profile ARN) and model access',
  ModelNotReadyException: 'the model is loading: retry with backoff',
  ModelTimeoutException: 'the model took too long: smaller requests, or retry',
  InternalServerException: 'Bedrock failed on its side: retry with backoff',
};

/** `errors`: failed calls by error code over a window. */
export async function errorsCommand(argv: readonly string[], { openStore }: CommandDeps, io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: true,
    options: { minutes: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.out(ERRORS_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new CliError(`errors takes no arguments (got "${positionals.join(' ')}")\n\n${ERRORS_HELP}`);
  const past = values.from !== undefined || values.to !== undefined;
  if (past && values.minutes !== undefined) throw new CliError(`--minutes "${values.minutes}" and --from/--to both given — use --minutes N for the last N minutes, or --from and --to for a past window`);
  const window = past ? perfWindow({ from: values.from, to: values.to }, 'errors', ERRORS_HELP) : undefined;
  const minutes = past ? 0 : parsePositiveInt('--minutes', values.minutes ?? '10', 527_040);
  const { analyzer, clock } = await openStore();
  const now = clock.now();
  const startTime = window?.kind === 'past' ? window.from : new Date(now - minutes * 60_000).toISOString();
  const endTime = window?.kind === 'past' ? window.to : new Date(now).toISOString();
  const breakdown = await withSpinner(statusIo(io, values.json), 'errors: reading', () => analyzer.getErrorBreakdown({ startTime, endTime }));
  if (values.json) io.out(JSON.stringify(breakdown));
  else printErrors(breakdown, io);
  return 0;
}

function printErrors(breakdown: ErrorBreakdown, io: CliIo): void {
  io.out(`${breakdown.startTime} … ${breakdown.endTime}: ${breakdown.errors} failed of ${breakdown.requests} calls (${percent(breakdown.errorRate)})`);
  const codes = Object.entries(breakdown.byCode);
  if (codes.length === 0) return;
  const top = (counts: Readonly<Record<string, number>>): string =>
    Object.entries(counts)
      .slice(0, 3)
      .map(([name, count]) => `${name} ${count}`)
      .join(', ');
  io.out('');
  io.out(table([['error code', 'calls', 'agents', 'models'], ...codes.map(([code, entry]) => [code, String(entry.count), top(entry.byAgent), top(entry.byModel)])]));
  const advice = codes.filter(([code]) => ADVICE[code] !== undefined);
  if (advice.length > 0) io.out(`\n${advice.map(([code]) => `${code}: ${ADVICE[code]}`).join('\n')}`);
}
