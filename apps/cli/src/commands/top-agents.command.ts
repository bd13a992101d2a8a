import { parseArgs } from 'node:util';

import { addDays, type CommandDeps, parsePositiveInt } from '../cli-args';
import type { CliIo } from '../cli-io';
import { table } from '../cli-io';

export const TOP_AGENTS_HELP = `Usage: npm run -s cli -- top-agents [--days 30] [--limit 5] [--json]

The most expensive agents over the last N UTC days (today included): cost, tokens, requests, cost per request,
top models.
  --days N    days to look back, today included (default 30, at most 366)
  --limit N   agents to list (default 5)
  --json      one JSON document: {startDate, endDate, totalCost, agents: [{agentId, ...}]}`;

/** `top-agents`: the agent cost breakdown, most expensive first. */
export async function topAgentsCommand(argv: readonly string[], { openStore }: CommandDeps, io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: { days: { type: 'string', default: '30' }, limit: { type: 'string', default: '5' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.out(TOP_AGENTS_HELP);
    return 0;
  }
  const days = parsePositiveInt('--days', values.days, 366);
  const limit = parsePositiveInt('--limit', values.limit, 1000);
  const { analyzer, clock } = await openStore();
  const endDate = new Date(clock.now()).toISOString().slice(0, 10);
  const breakdown = await analyzer.generateAgentCostBreakdown({ startDate: addDays(endDate, 1 - days), endDate });
  const agents = Object.entries(breakdown.agents)
    .sort(([, a], [, b]) => Number(b.totalCost) - Number(a.totalCost))
    .slice(0, limit)
    .map(([agentId, agent]) => ({ agentId, ...agent }));
  if (values.json) {
    io.out(JSON.stringify({ startDate: breakdown.startDate, endDate: breakdown.endDate, totalCost: breakdown.totalCost, agents }));
    return 0;
  }
  io.out(`${breakdown.startDate} … ${breakdown.endDate}: total $${breakdown.totalCost}\n`);
  io.out(
    table([
      ['agent', 'cost USD', 'tokens', 'requests', 'errors', 'per request', 'top model'],
      ...agents.map((agent) => [agent.agentId, agent.totalCost, String(agent.tokens), String(agent.requests), String(agent.errors), agent.costPerRequest ?? '—', agent.topModels[0]?.model ?? '—']),
    ]),
  );
  return 0;
}
