import { formatUsd, parseUsd } from '@bedrock-usage/core';

/** Entries of a record sorted by exact cost, most expensive first (ties by name). */
export function byCostDescending<T>(record: Readonly<Record<string, T>>, costOf: (value: T) => string): [string, T][] {
  return Object.entries(record)
    .map(([name, value]) => ({ name, value, cost: parseUsd(costOf(value)) }))
    .sort((a, b) => (a.cost === b.cost ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.cost > b.cost ? -1 : 1))
    .map(({ name, value }) => [name, value]);
}

/** "$84.22" — rounded to cents for headlines; the exact figure is always shown beside it. */
export function cents(usd: string): string {
  return `$${formatUsd(parseUsd(usd), { fractionDigits: 2 })}`;
}

/** "12,345" */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** "412.3 ms", or "–" without samples. */
export function ms(value: number | null): string {
  return value === null ? '–' : `${value.toFixed(1)} ms`;
}

/** "37.5 %", or "–". */
export function percent(ratio: number | null): string {
  return ratio === null ? '–' : `${(ratio * 100).toFixed(1)} %`;
}

/** The hour of an ISO time, "09:00". */
export function hourOf(iso: string): string {
  return `${iso.slice(11, 13)}:00`;
}
