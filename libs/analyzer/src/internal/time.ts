import { UsageError } from '@bedrock-usage/core';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** Throws `UsageError('INVALID_INPUT')` naming `field` unless `value` is a real UTC date `YYYY-MM-DD`. */
export function assertDay(field: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || !DAY.test(value) || new Date(`${value}T00:00:00.000Z`).toISOString().slice(0, 10) !== value) {
    throw new UsageError('INVALID_INPUT', `${field} is ${JSON.stringify(value)} — expected a UTC date as YYYY-MM-DD`);
  }
}

/** Milliseconds of an ISO time or Date; throws `UsageError('INVALID_INPUT')` naming `field` when it is not one. */
export function toMillis(field: string, value: unknown): number {
  const millis = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(millis)) throw new UsageError('INVALID_INPUT', `${field} is ${JSON.stringify(value)} — expected an ISO-8601 time or a Date`);
  return millis;
}

export function iso(millis: number): string {
  return new Date(millis).toISOString();
}

export function dayStart(day: string): number {
  return Date.parse(`${day}T00:00:00.000Z`);
}

export function dayOf(millis: number): string {
  return iso(millis).slice(0, 10);
}

export function floorTo(millis: number, step: number): number {
  return Math.floor(millis / step) * step;
}

/** Every day from `startDate` to `endDate`, both included. */
export function daysFrom(startDate: string, endDate: string): string[] {
  const days: string[] = [];
  for (let t = dayStart(startDate); t <= dayStart(endDate); t += DAY_MS) days.push(dayOf(t));
  return days;
}

/** The ISO week (`2025-W11`) of a day and the Monday it starts on. */
export function isoWeek(day: string): { readonly week: string; readonly weekStart: string } {
  const t = dayStart(day);
  const weekday = (new Date(t).getUTCDay() + 6) % 7; // Monday = 0
  const monday = t - weekday * DAY_MS;
  const thursday = monday + 3 * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return { week: `${year}-W${String(week).padStart(2, '0')}`, weekStart: dayOf(monday) };
}
