import { parseArgs } from 'node:util';

import type { TrendGranularity } from '@bedrock-usage/analyzer';

import { type CommandDeps, parseChoice, parseDay } from '../cli-args';
import { CliError, type CliIo, table } from '../cli-io';

export const TRENDS_HELP = `Usage: npm run -s cli -- trends --from YYYY-MM-DD --to YYYY-MM-DD [--granularity daily] [--json]

Cost over time (both days included), with week-over-week growth.
  --from D, --to D     the UTC days, from ≤ to, at most 366 days
  --granularity G      hourly, daily or weekly (default daily)
  --json               one JSON document: {startDate, endDate, granularity, points, weekOverWeek}`;

const GRANULARITIES: readonly TrendGranularity[] = ['hourly', 'daily', 'weekly'];

/** `trends`: cost per hour, day or week over a range. */
export async function trendsCommand(argv: readonly string[], { openStore }: CommandDeps, io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: { from: { type: 'string' }, to: { type: 'string' }, granularity: { type: 'string', default: 'daily' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.out(TRENDS_HELP);
    return 0;
  }
  if (values.from === undefined || values.to === undefined) throw new CliError(`trends needs --from and --to\n\n${TRENDS_HELP}`);
  const startDate = parseDay('--from', values.from);
  const endDate = parseDay('--to', values.to);
  if (startDate > endDate) throw new CliError(`--from "${startDate}" is after --to "${endDate}" — use a range with from ≤ to`);
  if ((Date.parse(endDate) - Date.parse(startDate)) / 86_400_000 >= 366) throw new CliError(`--from "${startDate}" --to "${endDate}" spans more than 366 days — use a shorter range`);
  const granularity = parseChoice('--granularity', values.granularity, GRANULARITIES);
  const { analyzer } = await openStore();
  const trends = await analyzer.getCostTrends({ startDate, endDate, granularity });
  if (values.json) {
    io.out(JSON.stringify(trends));
    return 0;
  }
  io.out(table([[granularity === 'hourly' ? 'hour' : granularity === 'weekly' ? 'week from' : 'date', 'cost USD', 'tokens', 'requests'], ...trends.points.map((p) => [p.date, p.cost, String(p.tokens), String(p.requests)])]));
  if (trends.weekOverWeek.length > 1) {
    io.out('');
    io.out(table([['week', 'cost USD', 'growth'], ...trends.weekOverWeek.map((w) => [w.week, w.cost, w.growthPercent === null ? '—' : `${w.growthPercent} %`])]));
  }
  return 0;
}
