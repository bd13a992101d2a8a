/**
 * The UTC day P5 seeds with its `index`-th size: 2025-03-10, 2025-03-11, …
 *
 * @example
 * reportDay(1); // '2025-03-11'
 */
export function reportDay(index: number): string {
  return `2025-03-${String(10 + index).padStart(2, '0')}`;
}
