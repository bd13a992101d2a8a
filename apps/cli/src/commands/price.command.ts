import { parseArgs } from 'node:util';

import { formatUsd, MAX_TOKEN_COUNT, tokenUsage, type UsageCost } from '@bedrock-usage/core';
import { isAwsRegion } from '@bedrock-usage/di';
import type { PriceBook, PriceListing } from '@bedrock-usage/pricing';

import { CliError, type CliIo, table } from '../cli-io';
import type { CliConfig } from '../config';

export const PRICE_HELP = `Usage: npm run -s cli -- price --model ID [--region R] [--at ISO-DATE] [--input N] [--output N]
                             [--cache-read N] [--cache-write N] [--cache-write-1h N] [--batch] [--json]
       npm run -s cli -- price --list [--model ID] [--region R] [--json]

The exact cost of one call from the built-in price book (plus BEDROCK_USAGE_PRICING_FILE overrides).
  --model ID          model id, cross-region/global profile id, or ARN as called
  --region R          region called (default: BEDROCK_USAGE_REGION, AWS_REGION, else us-east-1)
  --at ISO-DATE       when the call happened; the price in force then is used (default: now)
  --input N           uncached input tokens          --output N          output tokens
  --cache-read N      cache-read input tokens         --cache-write N     5-minute cache-write tokens
  --cache-write-1h N  1-hour cache-write tokens       --batch             batch-inference rates
  --json              one JSON line: {modelId, resolvedModel, region, costUsd, breakdown, flags, ...}
                      (costUsd and each breakdown value an exact decimal string of USD; null when unpriced)
  --list              the price book (filtered by --model / --region when given), USD per 1M tokens`;

const COUNT_OPTIONS = ['input', 'output', 'cache-read', 'cache-write', 'cache-write-1h'] as const;

/** `price`: the exact cost of a call, or the price book with `--list`. */
export function priceCommand(argv: readonly string[], book: PriceBook, config: CliConfig, io: CliIo): number {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      model: { type: 'string' },
      region: { type: 'string' },
      at: { type: 'string' },
      input: { type: 'string' },
      output: { type: 'string' },
      'cache-read': { type: 'string' },
      'cache-write': { type: 'string' },
      'cache-write-1h': { type: 'string' },
      batch: { type: 'boolean' },
      json: { type: 'boolean' },
      list: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(PRICE_HELP);
    return 0;
  }
  const region = values.region ?? config.region;
  if (!isAwsRegion(region)) throw new CliError(`--region "${region}" is not an AWS region — use one like us-east-1 or eu-central-1`);
  if (values.list) return listPrices(book, { model: values.model, region: values.region }, values.json === true, io);
  if (!values.model) throw new CliError(`price needs --model ID (or --list)\n\n${PRICE_HELP}`);

  const at = values.at ?? new Date().toISOString();
  if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(at) || Number.isNaN(Date.parse(at))) {
    throw new CliError(`--at "${at}" is not an ISO-8601 date — use e.g. 2025-03-11 or 2025-03-11T14:22:09Z`);
  }
  const [input, output, cacheRead, cacheWrite5m, cacheWrite1h] = COUNT_OPTIONS.map((name) => tokenCount(name, values[name]));
  const usage = tokenUsage({
    inputTokens: input,
    outputTokens: output,
    cacheReadInputTokens: cacheRead,
    cacheWriteInputTokens: cacheWrite5m + cacheWrite1h,
    cacheWrite5mTokens: cacheWrite5m,
    cacheWrite1hTokens: cacheWrite1h,
  });
  const result = book.price({ modelId: values.model, region, at, usage, mode: values.batch ? 'batch' : 'on-demand' });
  const breakdown = result.cost && breakdownOf(result.cost);

  if (values.json) {
    io.out(
      JSON.stringify({
        modelId: values.model,
        resolvedModel: result.resolvedModel,
        region,
        at,
        costUsd: result.cost ? formatUsd(result.cost.total) : null,
        breakdown,
        flags: result.flags,
        ...(result.priceRef && { price: result.priceRef }),
        ...(result.reason && { reason: result.reason }),
      }),
    );
    return 0;
  }
  const ref = result.priceRef;
  io.out(
    table([
      ['model', values.model],
      ['resolved model', result.resolvedModel ?? '—'],
      ['region', region],
      ['at', at],
      ...(ref ? [['price', `${ref.routing}, in force from ${ref.from}`], ['source', ref.source]] : []),
    ]),
  );
  io.out('');
  if (!breakdown) {
    io.out(`cost: none — ${result.flags.join(', ')}${result.reason ? `: ${result.reason}` : ''}`);
    return 0;
  }
  const tokens = { input, output, cacheRead, cacheWrite: cacheWrite5m, cacheWrite1h };
  io.out(
    table([
      ['component', 'tokens', 'USD'],
      ...Object.entries(breakdown).map(([name, usd]) => [name, String(tokens[name as keyof typeof tokens]), usd]),
      ['total', String(usage.totalTokens), formatUsd(result.cost!.total)],
    ]),
  );
  if (result.flags.length > 0) io.out(`\nflags: ${result.flags.join(', ')}`);
  return 0;
}

function tokenCount(name: string, value: string | undefined): number {
  if (value === undefined) return 0;
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n <= MAX_TOKEN_COUNT)) throw new CliError(`--${name} "${value}" is not a token count — use a whole number from 0 to ${MAX_TOKEN_COUNT}`);
  return n;
}

function breakdownOf(cost: UsageCost) {
  return {
    input: formatUsd(cost.input),
    output: formatUsd(cost.output),
    cacheRead: formatUsd(cost.cacheRead),
    cacheWrite: formatUsd(cost.cacheWrite),
    cacheWrite1h: formatUsd(cost.cacheWrite1h),
  };
}

function listPrices(book: PriceBook, filter: { model?: string; region?: string }, json: boolean, io: CliIo): number {
  const rows = book
    .list()
    .filter((row) => (!filter.model || row.model.includes(filter.model)) && (!filter.region || row.region === filter.region));
  if (json) {
    for (const row of rows) io.out(JSON.stringify(row));
    return 0;
  }
  const cell = (value: string | undefined) => value ?? '—';
  const rates = (row: PriceListing) => [row.from, row.input, row.output, cell(row.cacheRead), cell(row.cacheWrite), cell(row.cacheWrite1h), row.origin];
  // Rows that differ only in routing class read as one: "in-region, geo, global".
  const merged: string[][] = [];
  let previous: { key: string; line: string[] } | undefined;
  for (const row of rows) {
    const key = JSON.stringify([row.model, row.region, ...rates(row)]);
    if (previous?.key === key) previous.line[2] += `, ${row.routing}`;
    else merged.push((previous = { key, line: [row.model, row.region, row.routing, ...rates(row)] }).line);
  }
  io.out(table([['model', 'region', 'routing', 'from', 'input', 'output', 'cache read', 'cache write 5m', 'cache write 1h', 'origin'], ...merged]));
  io.out(`\n${rows.length} prices, USD per 1M tokens; sources: npm run -s cli -- price --list --json`);
  return 0;
}
