import type { Clock, Spool, UsageSink } from '@bedrock-usage/core';
import type { CostAnalyzer, UsageStore } from '@bedrock-usage/analyzer';
import type { Diagnostics, SpoolFileSummary } from '@bedrock-usage/di';
import type { PriceBook } from '@bedrock-usage/pricing';
import type { ProcessStatusStore } from '@bedrock-usage/recorder';

import { type CliIo, CliError } from './cli-io';

/** What the store commands use, resolved from the container only after their arguments are valid. */
export interface StoreDeps {
  readonly writer: UsageSink;
  /** The raw events, synthetic ones included (the analyzer leaves those out). */
  readonly reader: UsageStore;
  readonly analyzer: CostAnalyzer;
  readonly book: PriceBook;
  readonly clock: Clock;
  /** The processes' heartbeats and breaker reset requests. */
  readonly statusStore: ProcessStatusStore;
  /** `doctor`'s read-only checks. */
  readonly diagnostics: Diagnostics;
  readonly tableName: string;
  /** Where the store is, for messages: `embedded in DIR`, `at ENDPOINT`, `on AWS in REGION`. */
  readonly storeLabel: string;
}

/** Opens the configured usage store (the embedded one is started here); main.ts shuts it down after the command. */
export type OpenStore = (options?: { readonly reset?: boolean }) => Promise<StoreDeps>;

/** The configured file spool (BEDROCK_USAGE_SPOOL_DIR): no I/O until used. */
export interface SpoolDeps {
  readonly dir: string;
  readonly spool: Spool;
  readonly inspector: { inspect(): Promise<readonly SpoolFileSummary[]> };
}

/**
 * What an async command may open, each only once its arguments are valid (main.ts closes what was opened). A new
 * command that needs something else (a breaker, a status store) adds an opener here.
 */
export interface CommandDeps {
  readonly openStore: OpenStore;
  readonly openSpool: () => SpoolDeps;
}

/** An async command: validates `argv` (CliError exit 2), opens what it needs, prints, resolves its exit code. */
export type AsyncCommand = (argv: readonly string[], deps: CommandDeps, io: CliIo) => Promise<number>;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const ISO_TIME = /^(\d{4}-\d{2}-\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;
const INCIDENT_ID = /^INC-(\d{8})-\d{4}$/;

/** A calendar day `YYYY-MM-DD` (UTC), else exit 2 naming the option and value. */
export function parseDay(option: string, value: string): string {
  if (!DAY.test(value) || !isDay(value)) {
    throw new CliError(`${option} "${value}" is not a date — use YYYY-MM-DD, e.g. 2025-03-11`);
  }
  return value;
}

/** An incident id `INC-YYYYMMDD-NNNN` with a real date. */
export function parseIncidentId(value: string): string {
  const match = INCIDENT_ID.exec(value);
  const day = match && `${match[1].slice(0, 4)}-${match[1].slice(4, 6)}-${match[1].slice(6)}`;
  if (!day || !isDay(day)) throw new CliError(`incident id "${value}" is not valid — use INC-YYYYMMDD-NNNN, e.g. INC-20250311-0042`);
  return value;
}

/** An ISO-8601 time with its zone (`2025-03-11T09:00:00Z`), or a day meaning its UTC midnight; the ISO string. */
export function parseIsoTime(option: string, value: string): string {
  const match = ISO_TIME.exec(value);
  const millis = match && isDay(match[1]) ? Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value) : NaN;
  if (Number.isNaN(millis)) throw new CliError(`${option} "${value}" is not a time — use ISO-8601 with a zone, e.g. 2025-03-11T09:00:00Z, or a day 2025-03-11 (its UTC midnight)`);
  return new Date(millis).toISOString();
}

/** A whole number from 1 to `max`. */
export function parsePositiveInt(option: string, value: string, max: number): number {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= max)) throw new CliError(`${option} "${value}" is not allowed — use a whole number from 1 to ${max}`);
  return n;
}

/** `value` when it is one of `allowed`. */
export function parseChoice<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new CliError(`${option} "${value}" is not allowed — use one of ${allowed.join(', ')}`);
  return value as T;
}

/** The UTC day `offset` days from `day`. */
export function addDays(day: string, offset: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
}

function isDay(value: string): boolean {
  return DAY.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;
}
