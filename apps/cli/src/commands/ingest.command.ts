import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

import { decodeUsageEvent, USAGE_EVENT_SCHEMA_VERSION, UsageError, type UsageEvent } from '@bedrock-usage/core';

import type { CommandDeps } from '../cli-args';
import { CliError, type CliIo } from '../cli-io';
import { progressBar, statusIo } from '../cli-progress';
import { deliver, type Delivery } from '../store-delivery';

export const INGEST_HELP = `Usage: npm run -s cli -- ingest FILE... [--check] [--json]

Takes usage events from agents outside this codebase — another language, e.g. a Python agent with boto3 — as JSON
Lines: one event per line, built to the schema published with @bedrock-usage/core (usage-event.schema.json,
schemaVersion ${USAGE_EVENT_SCHEMA_VERSION}; costs as exact decimal strings, or null to leave them unpriced). Every line is validated;
the valid events are written to the usage store (idempotent by eventId: ingesting a file again changes nothing)
and their hours' aggregates refreshed, so every report counts them.
  --check   validate only, write nothing
  --json    one JSON document: {ok, files, lines, ingested, refused: [{file, line, error}], aggregatesWritten}
A line that is not JSON or not an event is reported with its file, line number, field, value and what is allowed;
the valid lines are still ingested (nothing is lost) and the exit code is 1.`;

const BATCH = 500;

/** One refused line. */
interface Refusal {
  readonly file: string;
  readonly line: number;
  readonly error: string;
}

/** `ingest`: JSON-lines usage events from outside agents into the store (see {@link INGEST_HELP}). */
export async function ingestCommand(argv: readonly string[], { openStore }: CommandDeps, io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...argv], strict: true, allowPositionals: true, options: { check: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    io.out(INGEST_HELP);
    return 0;
  }
  if (positionals.length === 0) throw new CliError(`ingest needs at least one FILE of JSON-lines usage events\n\n${INGEST_HELP}`);
  const events: UsageEvent[] = [];
  const refused: Refusal[] = [];
  let lines = 0;
  for (const file of positionals) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new CliError(`cannot read "${file}" (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 1);
    }
    for (const [index, line] of text.split('\n').entries()) {
      if (line.trim() === '') continue;
      lines += 1;
      try {
        events.push(decodeUsageEvent(JSON.parse(line)));
      } catch (error) {
        const reason = error instanceof UsageError ? error.message : `not JSON (${(error as Error).message})`;
        refused.push({ file, line: index + 1, error: reason });
      }
    }
  }
  const delivery: Delivery = { delivered: 0, aggregatesWritten: 0, restatedDays: new Set() };
  if (!values.check && events.length > 0) {
    const store = await openStore();
    const bar = progressBar(statusIo(io, values.json), { total: events.length, unit: 'events' });
    for (let i = 0; i < events.length && delivery.refusal === undefined; i += BATCH) {
      await deliver(store, events.slice(i, i + BATCH), delivery);
      bar.update(delivery.delivered, 'ingesting');
    }
    bar.finish();
  }
  const ok = refused.length === 0 && delivery.refusal === undefined;
  if (values.json) {
    io.out(JSON.stringify({ ok, files: positionals, lines, valid: events.length, ingested: delivery.delivered, refused, aggregatesWritten: delivery.aggregatesWritten, ...(delivery.refusal ? { storeError: delivery.refusal } : {}) }));
  } else {
    io.out(`${events.length} of ${lines} lines are valid usage events (schema v${USAGE_EVENT_SCHEMA_VERSION})${values.check ? ' — --check: nothing written' : `; ${delivery.delivered} ingested into the usage store, ${delivery.aggregatesWritten} aggregates refreshed`}.`);
    for (const { file, line, error } of refused.slice(0, 50)) io.err(`${file}:${line}: ${error}`);
    if (refused.length > 50) io.err(`… and ${refused.length - 50} more refused lines`);
    if (delivery.refusal) io.err(`stopped: ${delivery.refusal} — what was not written can be ingested again (idempotent)`);
  }
  return ok ? 0 : 1;
}
