import type { Donation } from '../../sync/dataset.ts';

/** YYYY-MM-DD as the number YYYYMMDD, which orders as the text does (read digit by digit: no substrings for each of 100,000s of dates). */
export function dayNumber(date: string): number {
  let n = 0;
  for (let i = 0; i < 10; i++) if (i !== 4 && i !== 7) n = n * 10 + date.charCodeAt(i) - 48;
  return n;
}

/** How many leading items of a sorted list `before` holds for (binary search: it holds for a prefix). */
export function countWhile(length: number, before: (i: number) => boolean): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How many items of a date-ordered list are dated before `date`, or on it too with `through`. */
export const countBefore = (sorted: readonly Donation[], date: string, through = false): number =>
  countWhile(sorted.length, (i) => sorted[i].date < date || (through && sorted[i].date === date));

/** How many of a sorted list of day numbers are on or before `day` (countWhile written out: asked of every contact at every date, and no function is made for each asking). */
export function countThrough(days: Int32Array, day: number): number {
  let lo = 0;
  let hi = days.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (days[mid] <= day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
