import { UTCDate } from '@date-fns/utc';
import { addDays } from 'date-fns/addDays';
import { addMonths } from 'date-fns/addMonths';
import { addYears } from 'date-fns/addYears';
import { format } from 'date-fns/format';
import type { IsoDate } from './cells/dates.ts';

/** Calendar arithmetic on YYYY-MM-DD dates, in UTC so no time zone can shift a day. */
const toDate = (d: IsoDate) => new UTCDate(`${d}T00:00:00Z`);
const fromDate = (d: Date): IsoDate => format(d, 'yyyy-MM-dd');

export const plusDays = (d: IsoDate, n: number): IsoDate => fromDate(addDays(toDate(d), n));
/** Keeps the day of month, clamped to the month's end (03-31 minus one month = 02-28/29). */
export const plusMonths = (d: IsoDate, n: number): IsoDate => fromDate(addMonths(toDate(d), n));
export const plusYears = (d: IsoDate, n: number): IsoDate => fromDate(addYears(toDate(d), n));

export const daysBetween = (from: IsoDate, to: IsoDate): number =>
  Math.round((toDate(to).getTime() - toDate(from).getTime()) / 86_400_000);

/** A span of dates, both ends included. */
export interface Period {
  start: IsoDate;
  end: IsoDate;
}

export const within = (d: IsoDate, p: Period): boolean => d >= p.start && d <= p.end;

/** "In the last N days": (D − N days, D]. */
export const lastDays = (asOf: IsoDate, n: number): Period => ({ start: plusDays(asOf, -n + 1), end: asOf });
/** "In the last N months": (D − N months, D]. */
export const lastMonths = (asOf: IsoDate, n: number): Period => ({ start: plusDays(plusMonths(asOf, -n), 1), end: asOf });

/** The whole fiscal year that contains `d`; `fiscalYearStart` is MM-DD (settings.fiscal_year_start). */
export function fiscalYear(d: IsoDate, fiscalYearStart: string): Period & { label: string } {
  const startYear = fiscalStartYear(d, fiscalYearStart);
  const start = `${startYear}-${fiscalYearStart}`;
  return { start, end: plusDays(plusYears(start, 1), -1), label: fiscalLabel(startYear, fiscalYearStart) };
}

/** The calendar year in which the fiscal year that contains `d` starts. */
function fiscalStartYear(d: IsoDate, fiscalYearStart: string): number {
  const year = Number(d.slice(0, 4));
  return d >= `${year}-${fiscalYearStart}` ? year : year - 1;
}

const fiscalLabel = (startYear: number, fiscalYearStart: string) =>
  fiscalYearStart === '01-01' ? String(startYear) : `${startYear}/${String(startYear + 1).slice(2)}`;

/** fiscalYear(d).label without the calendar arithmetic of its end (for a label per member). */
export const fiscalYearLabel = (d: IsoDate, fiscalYearStart: string): string => fiscalLabel(fiscalStartYear(d, fiscalYearStart), fiscalYearStart);

/** Fiscal years around D: "this year" runs from its first day to D; "last year" is whole. */
export function fiscalYears(asOf: IsoDate, fiscalYearStart: string) {
  const current = fiscalYear(asOf, fiscalYearStart);
  const back = (n: number) => fiscalYear(plusYears(current.start, -n), fiscalYearStart);
  return { thisYear: { ...current, end: asOf }, lastYear: back(1), back };
}

/** The calendar month (YYYY-MM) a date falls in. */
export const monthOf = (d: IsoDate): string => d.slice(0, 7);

/** Calendar months from `from`'s to `to`'s (YYYY-MM), oldest first. */
export function monthsBetween(from: IsoDate, to: IsoDate): string[] {
  const months: string[] = [];
  for (let m = `${monthOf(from)}-01`; monthOf(m) <= monthOf(to); m = plusMonths(m, 1)) months.push(monthOf(m));
  return months;
}

/** The last day of a month given as YYYY-MM. */
export const monthEnd = (month: string): IsoDate => plusDays(plusMonths(`${month}-01`, 1), -1);

/** The ends of the last `n` whole months on or before D, oldest first (D itself if it ends a month). */
export function monthEnds(asOf: IsoDate, n: number): IsoDate[] {
  const lastEnd = monthEnd(monthOf(asOf)) === asOf ? asOf : plusDays(`${monthOf(asOf)}-01`, -1);
  return Array.from({ length: n }, (_, i) => monthEnd(monthOf(plusMonths(`${monthOf(lastEnd)}-01`, i - n + 1))));
}

/**
 * The same day of the previous fiscal year: as many days after its start as D is after this
 * year's (not the calendar date a year back, which a 29 February would shift).
 */
export function samePointLastYear(asOf: IsoDate, fiscalYearStart: string): IsoDate {
  const { thisYear, lastYear } = fiscalYears(asOf, fiscalYearStart);
  const d = plusDays(lastYear.start, daysBetween(thisYear.start, asOf));
  return d > lastYear.end ? lastYear.end : d;
}
