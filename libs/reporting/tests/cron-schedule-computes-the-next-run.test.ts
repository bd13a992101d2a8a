import { CronSchedule } from '../src';

const next = (expression: string, after: string): string => new Date(CronSchedule.parse(expression).next(Date.parse(after))).toISOString();

describe('CronSchedule.next (UTC)', () => {
  it.each([
    // [expression, after, expected]
    ['15 0 * * *', '2025-03-11T12:00:00.000Z', '2025-03-12T00:15:00.000Z'],
    ['15 0 * * *', '2025-03-11T00:14:59.999Z', '2025-03-11T00:15:00.000Z'],
    ['15 0 * * *', '2025-03-11T00:15:00.000Z', '2025-03-12T00:15:00.000Z'], // strictly after
    ['15 0 * * *', '2025-12-31T23:59:00.000Z', '2026-01-01T00:15:00.000Z'], // year end
    ['15 0 * * *', '2024-02-28T01:00:00.000Z', '2024-02-29T00:15:00.000Z'], // leap day
    ['*/20 * * * *', '2025-03-11T10:41:30.000Z', '2025-03-11T11:00:00.000Z'],
    ['5-10/5 3 * * *', '2025-03-11T03:06:00.000Z', '2025-03-11T03:10:00.000Z'],
    ['0 9 * * MON-FRI', '2025-03-14T10:00:00.000Z', '2025-03-17T09:00:00.000Z'], // Friday → Monday
    ['0 0 * * 7', '2025-03-11T00:00:00.000Z', '2025-03-16T00:00:00.000Z'], // 7 = Sunday
    ['0 0 1 JAN,jul *', '2025-03-11T00:00:00.000Z', '2025-07-01T00:00:00.000Z'],
    ['0 0 29 2 *', '2025-03-01T00:00:00.000Z', '2028-02-29T00:00:00.000Z'],
    ['0 12 13 * FRI', '2025-03-11T00:00:00.000Z', '2025-03-13T12:00:00.000Z'], // day-of-month OR day-of-week
    ['0 12 13 * FRI', '2025-03-13T13:00:00.000Z', '2025-03-14T12:00:00.000Z'],
    ['0 12 */2 * FRI', '2025-03-13T13:00:00.000Z', '2025-03-14T12:00:00.000Z'], // * in day-of-month: day-of-week alone
    ['@daily', '2025-03-11T12:00:00.000Z', '2025-03-12T00:00:00.000Z'],
    ['@hourly', '2025-03-11T12:00:00.000Z', '2025-03-11T13:00:00.000Z'],
    ['  15   0 * * *  ', '2025-03-11T12:00:00.000Z', '2025-03-12T00:15:00.000Z'],
  ])('"%s" after %s → %s', (expression, after, expected) => {
    expect(next(expression, after)).toBe(expected);
  });

  it.each([
    ['', /has 0 fields/],
    ['15 0 * *', /has 4 fields/],
    ['60 0 * * *', /minute "60": 60 is outside 0-59/],
    ['0 24 * * *', /hour "24": 24 is outside 0-23/],
    ['0 0 0 * *', /day of month "0": 0 is outside 1-31/],
    ['0 0 * 13 *', /month "13": 13 is outside 1-12/],
    ['0 0 * * MOO', /day of week "MOO": "MOO" is not a number/],
    ['*/0 * * * *', /step "0" is not a positive number/],
    ['5-1 * * * *', /range 5-1 runs backwards/],
    ['0 0 31 2 *', /never matches a real date/],
    ['1,,2 * * * *', /is malformed/],
  ])('"%s" is refused: %s, with the allowed form', (expression, problem) => {
    expect(() => CronSchedule.parse(expression)).toThrow(problem);
    expect(() => CronSchedule.parse(expression)).toThrow(/e\.g\. "15 0 \* \* \*"/);
  });
});
