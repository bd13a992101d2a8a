import { parseArgs } from 'node:util';

import { type CommandDeps, parseIncidentId } from '../cli-args';
import { CliError, type CliIo, table } from '../cli-io';

export const INCIDENT_HELP = `Usage: npm run -s cli -- incident INC-YYYYMMDD-NNNN [--json]

What one incident cost: exact USD, tokens, requests, errors, agents and models involved, first and last call,
duration and recorded outcome.
  --json   one JSON document (the analyzer's IncidentCost)`;

/** `incident ID`: the cost of one incident. */
export async function incidentCommand(argv: readonly string[], { openStore }: CommandDeps, io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...argv], strict: true, allowPositionals: true, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    io.out(INCIDENT_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new CliError(`incident needs exactly one incident id\n\n${INCIDENT_HELP}`);
  const incidentId = parseIncidentId(positionals[0]);
  const { analyzer } = await openStore();
  const cost = await analyzer.getIncidentCost(incidentId);
  if (values.json) {
    io.out(JSON.stringify(cost));
    return 0;
  }
  if (cost.requests === 0) {
    io.out(`No usage recorded for ${incidentId}.`);
    return 0;
  }
  io.out(
    table([
      ['incident', incidentId],
      ['cost', `$${cost.cost}`],
      ['tokens', String(cost.tokens)],
      ['requests', `${cost.requests} (${cost.errors} errors, ${cost.unpriced.requests} unpriced)`],
      ['agents', cost.agents.join(', ')],
      ['models', cost.models.join(', ')],
      ['calls', `${cost.firstCall} … ${cost.lastCall} (${Math.round(cost.durationMs / 60_000)} min)`],
      ['outcome', cost.outcome ?? '—'],
    ]),
  );
  return 0;
}
