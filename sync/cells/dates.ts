import { TZDate } from '@date-fns/tz';
import { type CellResult, type RawCell, fail, isBlank, normalizeWidth, ok } from './result.ts';

/** A calendar date as YYYY-MM-DD: sorts and compares as text, no time zone surprises. */
export type IsoDate = string;
/** An instant as an ISO 8601 UTC string (2024-01-05T03:00:00.000Z). */
export type IsoDateTime = string;

const ROC_OFFSET = 1911; // 民國 1 = 1912
// Google Sheets (like Lotus/Excel) counts days from 1899-12-30.
const SERIAL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;
const MAX_SERIAL = 2_958_465; // 9999-12-31

const HINT = 'write it as 2024-01-05 (2024/1/5, 民國113年1月5日 and 113/1/5 also work)';

export function isoDate(y: number, m: number, d: number): IsoDate | undefined {
  if (!(y >= 1000 && y <= 9999 && m >= 1 && m <= 12 && d >= 1)) return undefined;
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCMonth() !== m - 1) return undefined; // Feb 30 and friends
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function serialToDate(serial: number): IsoDate {
  return new Date(SERIAL_EPOCH_MS + Math.floor(serial) * DAY_MS).toISOString().slice(0, 10);
}

/** The Sheets serial number of a date (what a date cell holds), the inverse of reading one. */
export function dateToSerial(date: IsoDate): number {
  return (Date.parse(`${date}T00:00:00Z`) - SERIAL_EPOCH_MS) / DAY_MS;
}

/** The Sheets serial number of an instant: the wall-clock time in `timeZone`, as staff see it. */
export function dateTimeToSerial(instant: IsoDateTime, timeZone: string): number {
  const z = new TZDate(Date.parse(instant), timeZone);
  const wall = Date.UTC(z.getFullYear(), z.getMonth(), z.getDate(), z.getHours(), z.getMinutes(), z.getSeconds(), z.getMilliseconds());
  return (wall - SERIAL_EPOCH_MS) / DAY_MS;
}

/** The calendar date an instant falls on in a time zone. */
export function dateInZone(instant: Date, timeZone: string): IsoDate {
  // Building an Intl.DateTimeFormat costs far more than formatting with one: one per time zone.
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, format);
  }
  return format.format(instant);
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** ROC years are written with two or three digits (民國113年 = 2024). */
function fullYear(yearText: string): number {
  const y = Number(yearText);
  return yearText.length <= 3 ? y + ROC_OFFSET : y;
}

type Parts = { y: number; m: number; d: number; time?: { h: number; min: number; s: number; ms: number; offset?: string } };

// The forms sync meets most (2024-01-05; 2024-01-05T03:00:00.000Z, as the tool writes instants): read without the general parser.
const PLAIN_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const UTC_ISO = /^[1-9]\d{3}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const DATE_RE = /^(?:民國\s*)?(\d{2,4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?/;
// A 12-hour clock, as Google Sheets and Excel in zh-TW show a form's timestamps (2026/12/3 下午 2:05:07)
// and English ones write 2:05:07 PM: the marker before the time, or AM/PM after it.
const MERIDIEM_RE = /^(上午|下午|AM|PM)\s*|\s*(AM|PM)$/i;
const TIME_RE = /^(?:[T\s]\s*)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

function splitDateText(text: string): Parts | undefined {
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(text); // 20240105
  if (compact) return { y: +compact[1], m: +compact[2], d: +compact[3] };
  const m = DATE_RE.exec(text);
  if (!m) return undefined;
  let rest = text.slice(m[0].length).trim();
  const parts: Parts = { y: fullYear(m[1]), m: +m[2], d: +m[3] };
  if (rest === '') return parts;
  const half = MERIDIEM_RE.exec(rest);
  if (half) rest = rest.slice(half[1] ? half[0].length : 0, half[2] ? half.index : undefined).trim();
  const t = TIME_RE.exec(rest);
  if (!t) return undefined;
  let [h, min, s] = [+t[1], +t[2], +(t[3] ?? 0)];
  if (half) {
    if (h < 1 || h > 12) return undefined;
    h = (h % 12) + (/^(下午|pm)$/i.test(half[1] ?? half[2]) ? 12 : 0);
  }
  if (h > 23 || min > 59 || s > 59) return undefined;
  parts.time = { h, min, s, ms: +(t[4] ?? '0').padEnd(3, '0'), offset: t[5] };
  return parts;
}

function isSerial(text: string): boolean {
  return /^\d{1,7}(\.\d+)?$/.test(text) && Number(text) >= 1 && Number(text) <= MAX_SERIAL;
}

/**
 * Reads a date the way staff type it: 2024-01-05, 2024/1/5, 2024.1.5, 20240105, Sheets serial
 * numbers, ROC years, full-width digits, and date-times (the date they fall on in `timeZone`).
 */
export function readDate(raw: RawCell, timeZone: string): CellResult<IsoDate | undefined> {
  if (isBlank(raw)) return ok(undefined);
  if (typeof raw === 'number') {
    return raw >= 1 && raw <= MAX_SERIAL ? ok(serialToDate(raw)) : fail(`${raw} is not a date: ${HINT}`);
  }
  if (typeof raw === 'boolean') return fail(`${raw} is not a date: ${HINT}`);
  // 2024-01-05, the form sync meets most, is already the form dates are kept in.
  if (typeof raw === 'string' && PLAIN_DATE.test(raw) && isCalendarDate(raw)) return ok(raw);
  const text = normalizeWidth(String(raw)).trim();
  if (isSerial(text) && !/^\d{8}$/.test(text)) return ok(serialToDate(Number(text)));
  const parts = splitDateText(text);
  const date = parts && isoDate(parts.y, parts.m, parts.d);
  if (!parts || !date) return fail(`"${raw}" is not a date: ${HINT}`);
  if (parts.time?.offset) {
    const instant = new Date(`${date}T${pad(parts.time.h)}:${pad(parts.time.min)}:${pad(parts.time.s)}${offsetText(parts.time.offset)}`);
    return ok(dateInZone(instant, timeZone));
  }
  return ok(date);
}

/**
 * Reads a moment in time. Without an offset the wall-clock time is the org's time zone, as staff
 * see it; a date alone means midnight there.
 */
export function readDateTime(raw: RawCell, timeZone: string): CellResult<IsoDateTime | undefined> {
  if (isBlank(raw)) return ok(undefined);
  if (typeof raw === 'number') {
    if (!(raw >= 1 && raw <= MAX_SERIAL)) return fail(`${raw} is not a date and time: write it as 2024-01-05 14:30`);
    // A serial's fraction is the time of day, in the spreadsheet's (the org's) time zone.
    const wall = new Date(SERIAL_EPOCH_MS + Math.round(raw * DAY_MS));
    return ok(zonedToUtc(wall.getUTCFullYear(), wall.getUTCMonth() + 1, wall.getUTCDate(), wall.getUTCHours(), wall.getUTCMinutes(), wall.getUTCSeconds(), wall.getUTCMilliseconds(), timeZone));
  }
  if (typeof raw === 'string' && UTC_ISO.test(raw) && isCalendarInstant(raw)) return ok(raw);
  const text = normalizeWidth(String(raw)).trim();
  const parts = splitDateText(text);
  const date = parts && isoDate(parts.y, parts.m, parts.d);
  if (!parts || !date) {
    if (isSerial(text)) return readDateTime(Number(text), timeZone);
    return fail(`"${raw}" is not a date and time: write it as 2024-01-05 14:30 (or 2024-01-05T06:30:00Z)`);
  }
  const t = parts.time ?? { h: 0, min: 0, s: 0, ms: 0 };
  if (t.offset) {
    return ok(new Date(`${date}T${pad(t.h)}:${pad(t.min)}:${pad(t.s)}.${String(t.ms).padStart(3, '0')}${offsetText(t.offset)}`).toISOString());
  }
  return ok(zonedToUtc(parts.y, parts.m, parts.d, t.h, t.min, t.s, t.ms, timeZone));
}

/** Whether a text starting YYYY-MM-DD names a day the calendar has (year 1000 on; no Feb 30). */
function isCalendarDate(text: string): boolean {
  const [y, m, d] = [digitsAt(text, 0, 4), digitsAt(text, 5, 2), digitsAt(text, 8, 2)];
  return y >= 1000 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/** Whether a UTC_ISO text names a moment the calendar has (no Feb 30, no 24:00, no second 60). */
function isCalendarInstant(text: string): boolean {
  return isCalendarDate(text) && digitsAt(text, 11, 2) <= 23 && digitsAt(text, 14, 2) <= 59 && digitsAt(text, 17, 2) <= 59;
}

/** The number written by the `length` digits at `start` (checked to be digits by the caller's pattern); no substrings, as millions of cells pass here. */
function digitsAt(text: string, start: number, length: number): number {
  let value = 0;
  for (let i = start; i < start + length; i++) value = value * 10 + text.charCodeAt(i) - 48;
  return value;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const daysInMonth = (y: number, m: number) => (m === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : MONTH_DAYS[m - 1]);

function zonedToUtc(y: number, m: number, d: number, h: number, min: number, s: number, ms: number, timeZone: string): IsoDateTime {
  const wall = Date.UTC(y, m - 1, d, h, min, s, ms);
  const offset = hourOffset(y, m, d, h, timeZone);
  return new Date(offset === undefined ? new TZDate(y, m - 1, d, h, min, s, ms, timeZone).getTime() : wall - offset).toISOString();
}

// Building a TZDate per cell is slow and a wall-clock day has one offset (outside transitions):
// keep the offset of each (zone, day), taken from its first and last millisecond; a day whose two
// ends disagree holds a transition, and each of its hours is taken the same way. An hour whose
// ends disagree holds the transition itself and is left to TZDate, cell by cell.
const dayOffsets = new Map<string, number | undefined>();
const hourOffsets = new Map<string, number | undefined>();

function hourOffset(y: number, m: number, d: number, h: number, timeZone: string): number | undefined {
  const day = `${timeZone} ${y} ${m} ${d}`;
  let offset = dayOffsets.get(day);
  if (offset === undefined && !dayOffsets.has(day)) dayOffsets.set(day, (offset = steadyOffset(y, m, d, 0, 23, timeZone)));
  if (offset !== undefined) return offset;
  const hour = `${day} ${h}`;
  if (!hourOffsets.has(hour)) hourOffsets.set(hour, steadyOffset(y, m, d, h, h, timeZone));
  return hourOffsets.get(hour);
}

/** The zone's offset from the start of hour `from` to the end of hour `to` of a day, if it is the same at both ends. */
function steadyOffset(y: number, m: number, d: number, from: number, to: number, timeZone: string): number | undefined {
  const first = Date.UTC(y, m - 1, d, from) - new TZDate(y, m - 1, d, from, 0, 0, 0, timeZone).getTime();
  const last = Date.UTC(y, m - 1, d, to, 59, 59, 999) - new TZDate(y, m - 1, d, to, 59, 59, 999, timeZone).getTime();
  return first === last ? first : undefined;
}

const pad = (n: number) => String(n).padStart(2, '0');
const offsetText = (o: string) => (o.toUpperCase() === 'Z' ? 'Z' : o.includes(':') ? o : `${o.slice(0, 3)}:${o.slice(3)}`);
