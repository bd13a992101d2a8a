import { parseArgs } from 'node:util';

import type { CacheEfficiency } from '@bedrock-usage/analyzer';

import { addDays, type CommandDeps, parseDay, parsePositiveInt } from '../cli-args';
import { CliError, type CliIo, table } from '../cli-io';
import { statusIo, withSpinner } from '../cli-progress';

export const CACHE_HELP = `Usage: npm run -s cli -- cache [--days 7 | --from YYYY-MM-DD --to YYYY-MM-DD] [--json]

Prompt-cache efficiency over whole UTC days: token hit ratio (cache-read tokens / (input + cache-read + cache-write
tokens)), the dollars saved by cache reads (what those tokens would have cost as input, less what they cost;
exact), cache-read and cache-write tokens and cost, cache writes never read back within their TTL (5 min or 1 h;
same agent, model and incident — a heuristic, events carry no cache key), and cache-read tokens whose input rate
is unknown (left out of the saving).
  --days N           the last N full days, ending yesterday (default 7, at most 366)
  --from D --to D    these days instead (both included, from ≤ to, at most 366 days)
  --json             one JSON document: the analyzer's CacheEfficiency (money as exact decimal strings)`;

/** `cache`: prompt-cache efficiency. */
export async function cacheCommand(argv: readonly string[], { openStore }: CommandDeps, io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: { days: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.out(CACHE_HELP);
    return 0;
  }
  const explicit = cacheRange(values);
  const days = values.days === undefined ? 7 : parsePositiveInt('--days', values.days, 366);
  const { analyzer, clock } = await openStore();
  const yesterday = addDays(new Date(clock.now()).toISOString().slice(0, 10), -1);
  const range = explicit ?? { startDate: addDays(yesterday, 1 - days), endDate: yesterday };
  const cache = await withSpinner(statusIo(io, values.json), `cache: reading ${range.startDate} … ${range.endDate}`, () => analyzer.getCacheEfficiency(range));
  if (values.json) {
    io.out(JSON.stringify(cache));
    return 0;
  }
  printCache(cache, io);
  return 0;
}

function cacheRange(values: { days?: string; from?: string; to?: string }): { startDate: string; endDate: string } | undefined {
  if (values.from === undefined && values.to === undefined) return undefined;
  if (values.days !== undefined) throw new CliError(`--days "${values.days}" and --from/--to both given — use --days N for the last N days, or --from and --to`);
  if (values.from === undefined || values.to === undefined) throw new CliError(`cache needs both --from and --to (got only ${values.from === undefined ? '--to' : '--from'})\n\n${CACHE_HELP}`);
  const startDate = parseDay('--from', values.from);
  const endDate = parseDay('--to', values.to);
  if (startDate > endDate) throw new CliError(`--from "${startDate}" is after --to "${endDate}" — use a range with from ≤ to`);
  if ((Date.parse(endDate) - Date.parse(startDate)) / 86_400_000 >= 366) throw new CliError(`--from "${startDate}" --to "${endDate}" spans more than 366 days — use a shorter range`);
  return { startDate, endDate };
}

function printCache(cache: CacheEfficiency, io: CliIo): void {
  io.out(
    table([
      ['days', `${cache.startDate} … ${cache.endDate}`],
      ['token hit ratio', cache.tokenHitRatio === null ? '— (no input tokens)' : `${(cache.tokenHitRatio * 100).toFixed(2)} % (cache-read / input + cache-read + cache-write tokens)`],
      ['saved by cache reads', `$${cache.savedByCacheReads}`],
      ['cache reads', `${cache.cacheReadTokens} tokens in ${cache.cacheReadRequests} requests, $${cache.cacheReadCost}`],
      ['cache writes', `${cache.cacheWriteTokens} tokens in ${cache.cacheWriteRequests} requests, $${cache.cacheWriteCost}`],
      ['writes never read', `${cache.unreadWrites.requests} requests, ${cache.unreadWrites.tokens} tokens, $${cache.unreadWrites.cost} (no read within the TTL; heuristic)`],
      ['uncached input', `${cache.inputTokens} tokens`],
      ['reads without rate', `${cache.cacheReadTokensWithoutRate} tokens${cache.cacheReadTokensWithoutRate > 0 ? ' (input rate unknown: not in the saving)' : ''}`],
    ]),
  );
}
