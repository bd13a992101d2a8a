import type { Clock, UsageSink } from '@bedrock-usage/core';
import type { CostAnalyzer } from '@bedrock-usage/analyzer';
import type { PriceBook } from '@bedrock-usage/pricing';

import { CliError } from './cli-io';

/** What the store commands use, resolved from the container only after their arguments are valid. */
export interface StoreDeps {
  readonly writer: UsageSink;
  readonly analyzer: CostAnalyzer;
  readonly book: PriceBook;
  readonly clock: Clock;
}

/** Opens the configured usage store (the embedded one is started here); main.ts shuts it down after the command. */
export type OpenStore = (options?: { readonly reset?: boolean }) => Promise<StoreDeps>;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
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
