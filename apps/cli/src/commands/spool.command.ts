import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

import { parseSpoolLogLines, type UsageEvent } from '@bedrock-usage/core';
import type { SpoolFileSummary } from '@bedrock-usage/di';

import type { CommandDeps } from '../cli-args';
import { deliver, type Delivery } from '../store-delivery';
import { CliError, type CliIo, table } from '../cli-io';
import { duration, progressBar, statusIo } from '../cli-progress';

export const SPOOL_HELP = `Usage: npm run -s cli -- spool inspect [--json]
       npm run -s cli -- spool replay [--sink DynamoDB] [--json]
       npm run -s cli -- spool replay --from-log FILE [--sink DynamoDB] [--json]

Runbook 3, after an outage: what the agents could not deliver waits in the spool — one append-only file per sink
(<sink>.jsonl) in BEDROCK_USAGE_SPOOL_DIR (default <BEDROCK_USAGE_DATA_DIR>/spool; .bedrock-usage/spool with
DynamoDB), or, on Lambda, as BEDROCK_USAGE_SPOOL lines in the function's logs.

  inspect            per sink file: events waiting, distinct event ids, oldest and newest event time, agents, size,
                     a torn last line (a crash mid-append) and corrupt lines by number; nothing is changed
  replay             delivers the usage store's spool file to the usage store in batches of 500, refreshing the
                     hourly aggregates of each batch so reports include it. Each acknowledged batch leaves the
                     spool; when the store refuses, that batch and the rest stay (exit 1 with the reason: nothing is
                     lost; run it again later). Events are idempotent by eventId: a second replay counts nothing
                     twice. Only the usage store is replayed here: metrics sinks (CloudWatch, EMF) and the log are
                     replayed by the agents' own pipelines when their breaker closes. Run it while no agent uses
                     the same spool directory (one process per directory).
  replay --from-log FILE
                     the same from a log export (CloudWatch Logs lines, with or without timestamp and request id
                     prefixes): lines marked BEDROCK_USAGE_SPOOL for the sink are written to the store; other
                     lines are ignored, lines of other sinks are counted and skipped, duplicates (one eventId more
                     than once) are written once, corrupt marked lines are named by line number. The file is not
                     changed, so running it again is harmless.
  --sink NAME        the spooled sink to replay into the usage store (default DynamoDB, the store's own)
  --json             one JSON document (inspect: {dir, sinks: [...]}; replay: the counts)`;

/** The usage store's sink name (DynamoDbUsageStore.name): its spool file and its lines in logs. */
const STORE_SINK = 'DynamoDB';
/** Sinks whose spools their own pipelines replay on breaker recovery; their events would not go to the store. */
const PIPELINE_SINKS = ['CloudWatch', 'EMF', 'Log'];
const BATCH = 500;
const SINK_NAME = /^[A-Za-z0-9._-]{1,100}$/;

/** `spool inspect` / `spool replay`: Runbook 3. */
export async function spoolCommand(argv: readonly string[], deps: CommandDeps, io: CliIo): Promise<number> {
  const [action, ...rest] = argv;
  if (action === '--help' || action === '-h' || action === 'help') {
    io.out(SPOOL_HELP);
    return 0;
  }
  if (action === 'inspect') return inspectCommand(rest, deps, io);
  if (action === 'replay') return replayCommand(rest, deps, io);
  throw new CliError(`spool "${action ?? ''}" is not a spool action — allowed: inspect, replay\n\n${SPOOL_HELP}`);
}

async function inspectCommand(argv: readonly string[], { openSpool }: CommandDeps, io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: [...argv], strict: true, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    io.out(SPOOL_HELP);
    return 0;
  }
  const { dir, inspector } = openSpool();
  const sinks = await inspector.inspect();
  if (values.json) {
    io.out(JSON.stringify({ dir, sinks }));
    return 0;
  }
  io.out(`spool ${dir}\n`);
  if (sinks.length === 0) {
    io.out('Nothing spooled (no <sink>.jsonl file).');
    return 0;
  }
  io.out(
    table([
      ['sink', 'events', 'distinct', 'oldest', 'newest', 'agents', 'bytes', 'torn / corrupt'],
      ...sinks.map((s) => [
        s.sink,
        String(s.events),
        String(s.distinctEvents),
        s.oldest ?? '—',
        s.newest ?? '—',
        Object.entries(s.agents).map(([agent, n]) => `${agent} ${n}`).join(', ') || '—',
        `${s.bytes}${s.deliveredBytes > 0 ? ` (${s.deliveredBytes} delivered, compacted at the next replay)` : ''}`,
        damage(s),
      ]),
    ]),
  );
  const waiting = sinks.find((s) => s.sink === STORE_SINK && s.events > 0);
  if (waiting) io.out(`\n${waiting.events} events wait for the usage store: npm run -s cli -- spool replay`);
  return 0;
}

function damage(s: SpoolFileSummary): string {
  const parts = [...(s.torn ? ['torn last line'] : []), ...(s.corruptLines.length > 0 ? [`corrupt ${lineList(s.corruptLines)}`] : [])];
  return parts.join(', ') || '—';
}

/** `line 4`, `lines 4, 9, 12` (the first 20, then a count). */
function lineList(lines: readonly number[]): string {
  const shown = lines.slice(0, 20).join(', ');
  return `${lines.length === 1 ? 'line' : 'lines'} ${shown}${lines.length > 20 ? ` … (${lines.length} in all)` : ''}`;
}

async function replayCommand(argv: readonly string[], deps: CommandDeps, io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: { sink: { type: 'string' }, 'from-log': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.out(SPOOL_HELP);
    return 0;
  }
  const sink = values.sink ?? STORE_SINK;
  if (!SINK_NAME.test(sink)) throw new CliError(`--sink "${sink}" is not a sink name — use letters, digits, ".", "_" or "-", e.g. ${STORE_SINK}`);
  if (PIPELINE_SINKS.includes(sink)) {
    throw new CliError(`--sink "${sink}" is not replayed by the CLI — its pipeline replays it when its breaker closes; the CLI replays the usage store's spool only (--sink ${STORE_SINK})`);
  }
  const quiet = statusIo(io, values.json);
  if (values['from-log'] !== undefined) return replayLog(values['from-log'], sink, values.json === true, deps, io, quiet);
  return replaySpool(sink, values.json === true, deps, io, quiet);
}

async function replaySpool(sink: string, json: boolean, { openSpool, openStore }: CommandDeps, io: CliIo, quiet: CliIo): Promise<number> {
  const { dir, spool, inspector } = openSpool();
  const file = (await inspector.inspect()).find((s) => s.sink === sink);
  if (!file || (file.events === 0 && !file.torn && file.corruptLines.length === 0)) {
    const summary = { ok: true, sink, dir, replayed: 0, remaining: 0, corrupt: 0, aggregatesWritten: 0, restatedDays: [] };
    io.out(json ? JSON.stringify(summary) : `Nothing spooled for ${sink} in ${dir}.`);
    return 0;
  }
  const store = await openStore();
  const started = Date.now();
  const bar = progressBar(quiet, { total: file.events, unit: 'events' });
  bar.update(0, `replaying ${sink}`);
  const delivery: Delivery = { delivered: 0, aggregatesWritten: 0, restatedDays: new Set() };
  const result = await spool.replay(sink, async (batch) => {
    const ok = await deliver(store, batch, delivery);
    if (ok) bar.update(delivery.delivered, `replaying ${sink}`);
    return ok;
  });
  bar.finish();
  const summary = {
    ok: delivery.refusal === undefined,
    sink,
    dir,
    file: file.path,
    ...result,
    aggregatesWritten: delivery.aggregatesWritten,
    restatedDays: [...delivery.restatedDays].sort(),
    ...(delivery.refusal !== undefined && { error: delivery.refusal }),
  };
  if (json) io.out(JSON.stringify(summary));
  else {
    io.out(
      table([
        ['spool file', file.path],
        ['replayed', `${result.replayed} events into the usage store (${duration(Date.now() - started)})`],
        ['still spooled', String(result.remaining)],
        ['corrupt skipped', String(result.corrupt)],
        ['aggregates', `${delivery.aggregatesWritten} rewritten${summary.restatedDays.length > 0 ? `; closed days restated: ${summary.restatedDays.join(', ')}` : ''}`],
      ]),
    );
  }
  if (delivery.refusal !== undefined) {
    io.err(`spool replay stopped: ${delivery.refusal} — ${result.replayed} events delivered, ${result.remaining} still in ${file.path}; nothing is lost: fix the store and run "spool replay" again`);
    return 1;
  }
  return 0;
}

async function replayLog(path: string, sink: string, json: boolean, { openStore }: CommandDeps, io: CliIo, quiet: CliIo): Promise<number> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError(`--from-log "${path}" cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}) — give a log export file, e.g. from "aws logs filter-log-events --filter-pattern BEDROCK_USAGE_SPOOL --output text"`);
  }
  const parsed = parseSpoolLogLines(text);
  const unique = new Map<string, UsageEvent>();
  const otherSinks: Record<string, number> = {};
  let events = 0;
  for (const entry of parsed.entries) {
    if (entry.sink !== sink) otherSinks[entry.sink] = (otherSinks[entry.sink] ?? 0) + 1;
    else {
      events += 1;
      if (!unique.has(entry.event.eventId)) unique.set(entry.event.eventId, entry.event);
    }
  }
  const delivery: Delivery = { delivered: 0, aggregatesWritten: 0, restatedDays: new Set() };
  const batch = [...unique.values()];
  if (batch.length > 0) {
    const store = await openStore();
    const bar = progressBar(quiet, { total: batch.length, unit: 'events' });
    bar.update(0, 'writing from the log');
    for (let start = 0; start < batch.length; start += BATCH) {
      if (!(await deliver(store, batch.slice(start, start + BATCH), delivery))) break;
      bar.update(delivery.delivered, 'writing from the log');
    }
    bar.finish();
  }
  const summary = {
    ok: delivery.refusal === undefined,
    file: path,
    lines: parsed.lines,
    eventLines: parsed.entries.length,
    sink,
    events,
    duplicates: events - unique.size,
    written: delivery.delivered,
    otherSinks,
    corrupt: parsed.corrupt,
    corruptLines: parsed.corruptLines,
    aggregatesWritten: delivery.aggregatesWritten,
    restatedDays: [...delivery.restatedDays].sort(),
    ...(delivery.refusal !== undefined && { error: delivery.refusal }),
  };
  if (json) io.out(JSON.stringify(summary));
  else {
    const others = Object.entries(otherSinks).map(([name, n]) => `${name} ${n}`);
    io.out(
      table([
        ['log file', `${path} (${parsed.lines} lines)`],
        ['event lines', `${parsed.entries.length} (${events} for ${sink}${others.length > 0 ? `; skipped, other sinks: ${others.join(', ')}` : ''})`],
        ['duplicates', `${summary.duplicates}${summary.duplicates > 0 ? ' (same eventId more than once: written once)' : ''}`],
        ['corrupt lines', parsed.corrupt === 0 ? '0' : `${parsed.corrupt}: ${lineList(parsed.corruptLines)} (marked, but not a spooled event: cut or edited)`],
        ['written', `${delivery.delivered} of ${unique.size} events to the usage store (idempotent by eventId)`],
        ['aggregates', `${delivery.aggregatesWritten} rewritten${summary.restatedDays.length > 0 ? `; closed days restated: ${summary.restatedDays.join(', ')}` : ''}`],
      ]),
    );
    if (others.length > 0) io.out(`\nOther sinks' lines are not replayed here: the CLI writes the usage store only.`);
  }
  if (delivery.refusal !== undefined) {
    io.err(`spool replay --from-log stopped: ${delivery.refusal} — ${delivery.delivered} of ${unique.size} events written; the log file is unchanged, nothing is lost: run it again when the store is back`);
    return 1;
  }
  return 0;
}
