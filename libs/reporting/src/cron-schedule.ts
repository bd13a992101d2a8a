import { UsageError } from '@bedrock-usage/core';

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};
const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day of week', min: 0, max: 7, names: DAYS },
] as const;
const MINUTE = 60_000;
/** How far {@link CronSchedule.next} looks: 29 February recurs within 8 years. */
const HORIZON_YEARS = 8;

/**
 * The allowed form, for error messages.
 *
 * @example
 * throw new Error(`bad cron — ${CRON_FORM}`);
 */
export const CRON_FORM =
  'five fields "minute hour day-of-month month day-of-week" in UTC, each *, N, N-M, a list N,M or a step */N or N-M/N (months JAN-DEC, days SUN-SAT, 0 or 7 = Sunday), or @hourly/@daily/@weekly/@monthly/@yearly — e.g. "15 0 * * *"';

/**
 * A standard 5-field cron expression evaluated in UTC (Vixie semantics: when both day-of-month and day-of-week
 * are restricted, a day matching either runs). Pure: no timers; the scheduler asks it for the next time.
 *
 * @example
 * const schedule = CronSchedule.parse('15 0 * * *');
 * new Date(schedule.next(Date.parse('2025-03-11T12:00:00Z'))).toISOString(); // "2025-03-12T00:15:00.000Z"
 */
export class CronSchedule {
  readonly expression: string;
  readonly #minutes: ReadonlySet<number>;
  readonly #hours: ReadonlySet<number>;
  readonly #daysOfMonth: ReadonlySet<number>;
  readonly #months: ReadonlySet<number>;
  readonly #daysOfWeek: ReadonlySet<number>;
  readonly #domRestricted: boolean;
  readonly #dowRestricted: boolean;

  private constructor(expression: string, fields: readonly { readonly values: ReadonlySet<number>; readonly restricted: boolean }[]) {
    this.expression = expression;
    const [minute, hour, dom, month, dow] = fields as [Field, Field, Field, Field, Field];
    this.#minutes = minute.values;
    this.#hours = hour.values;
    this.#daysOfMonth = dom.values;
    this.#months = month.values;
    this.#daysOfWeek = new Set([...dow.values].map((d) => d % 7));
    this.#domRestricted = dom.restricted;
    this.#dowRestricted = dow.restricted;
  }

  /**
   * Parses an expression; throws `UsageError('INVALID_INPUT')` saying which field is wrong and {@link CRON_FORM},
   * also for an expression that never matches (`0 0 31 2 *`).
   *
   * @example
   * CronSchedule.parse('0 8-18 * * MON-FRI'); // on the hour, 08:00-18:00 UTC, weekdays
   */
  static parse(expression: string): CronSchedule {
    const trimmed = expression.trim();
    const expanded = MACROS[trimmed.toLowerCase()] ?? trimmed;
    const parts = expanded.split(/\s+/);
    if (parts.length !== 5) throw invalid(expression, `has ${parts.length === 1 && parts[0] === '' ? 0 : parts.length} fields`);
    const fields = parts.map((part, i) => parseField(expression, part, FIELDS[i] ?? FIELDS[0]));
    const schedule = new CronSchedule(trimmed, fields);
    if (schedule.#search(Date.UTC(2000, 0, 1)) === null) throw invalid(expression, 'never matches a real date');
    return schedule;
  }

  /**
   * The first matching minute strictly after `after` (ms since the epoch), in ms.
   *
   * @example
   * schedule.next(Date.now());
   */
  next(after: number): number {
    const found = this.#search(after);
    // parse() proved the expression matches within the horizon from any start.
    if (found === null) throw new UsageError('INVALID_INPUT', `cron "${this.expression}" has no run after ${new Date(after).toISOString()}`);
    return found;
  }

  #search(after: number): number | null {
    const d = new Date(Math.floor(after / MINUTE) * MINUTE + MINUTE);
    const limit = d.getUTCFullYear() + HORIZON_YEARS;
    while (d.getUTCFullYear() <= limit) {
      if (!this.#months.has(d.getUTCMonth() + 1)) {
        d.setUTCMonth(d.getUTCMonth() + 1, 1);
        d.setUTCHours(0, 0, 0, 0);
      } else if (!this.#dayMatches(d)) {
        d.setUTCDate(d.getUTCDate() + 1);
        d.setUTCHours(0, 0, 0, 0);
      } else if (!this.#hours.has(d.getUTCHours())) {
        d.setUTCHours(d.getUTCHours() + 1, 0, 0, 0);
      } else if (!this.#minutes.has(d.getUTCMinutes())) {
        d.setUTCMinutes(d.getUTCMinutes() + 1, 0, 0);
      } else {
        return d.getTime();
      }
    }
    return null;
  }

  #dayMatches(d: Date): boolean {
    const dom = this.#daysOfMonth.has(d.getUTCDate());
    const dow = this.#daysOfWeek.has(d.getUTCDay());
    if (this.#domRestricted && this.#dowRestricted) return dom || dow;
    if (this.#domRestricted) return dom;
    if (this.#dowRestricted) return dow;
    return true;
  }
}

type Field = { readonly values: ReadonlySet<number>; readonly restricted: boolean };

function parseField(expression: string, text: string, spec: (typeof FIELDS)[number]): Field {
  const values = new Set<number>();
  const names = 'names' in spec ? spec.names : undefined;
  const value = (token: string): number => {
    const upper = token.toUpperCase();
    const named = names ? (names as readonly string[]).indexOf(upper) : -1;
    if (named >= 0) return named + (spec.name === 'month' ? 1 : 0);
    if (!/^\d+$/.test(token)) throw invalid(expression, `${spec.name} "${text}": "${token}" is not a number`);
    const n = Number(token);
    if (n < spec.min || n > spec.max) throw invalid(expression, `${spec.name} "${text}": ${n} is outside ${spec.min}-${spec.max}`);
    return n;
  };
  for (const item of text.split(',')) {
    const [range = '', stepText, extra] = item.split('/');
    if (extra !== undefined || range === '') throw invalid(expression, `${spec.name} "${text}" is malformed`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) < 1) throw invalid(expression, `${spec.name} "${text}": step "${stepText}" is not a positive number`);
      step = Number(stepText);
    }
    let from: number;
    let to: number;
    if (range === '*') {
      from = spec.min;
      to = spec.max;
    } else if (range.includes('-')) {
      const [a = '', b = '', more] = range.split('-');
      if (more !== undefined) throw invalid(expression, `${spec.name} "${text}" is malformed`);
      from = value(a);
      to = value(b);
      if (from > to) throw invalid(expression, `${spec.name} "${text}": range ${a}-${b} runs backwards`);
    } else {
      from = value(range);
      to = stepText === undefined ? from : spec.max;
    }
    for (let n = from; n <= to; n += step) values.add(n);
  }
  // Like cron(8): a field that starts with * (*, */2) does not restrict the day.
  return { values, restricted: !text.startsWith('*') };
}

function invalid(expression: string, problem: string): UsageError {
  return new UsageError('INVALID_INPUT', `cron "${expression}" ${problem} — use ${CRON_FORM}`);
}
