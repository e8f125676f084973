import { formatMoney } from '../../sync/cells/money.ts';
import type { MetricKind } from '../../sync/schema/goal-metrics.ts';
import type { Locale } from '../../sync/locale.ts';
import { label } from './labels.ts';

/** How a column's values read; 'byRow' takes the row's `kind` (a KPI table mixes counts, money and rates). */
export type Kind = MetricKind | 'text' | 'datetime';
export type Cell = string | number | null | undefined;

export interface Column {
  key: string;
  label: string;
  kind: Kind | 'byRow';
  /** A difference: a rate's difference reads in percentage points, a count's with its sign. */
  delta?: boolean;
}

/** A sortable dashboard table, written as `<id>.csv` beside the dashboard too. */
export interface Table {
  id: string;
  title: string;
  columns: Column[];
  /** Money cells are in the row's `currency`, else the org's. */
  rows: Record<string, Cell>[];
}

export interface Chart {
  id: string;
  title: string;
  /** A chart.js configuration: plain data, no functions (it is embedded as JSON). */
  config: { type: string; data: unknown; options?: unknown };
}

export interface Section {
  id: string;
  title: string;
  notes: string[];
  charts: Chart[];
  tables: Table[];
}

export interface Dashboard {
  locale: Locale;
  currency: string;
  timeZone: string;
  orgName: string;
  asOf: string;
  sections: Section[];
}

type Context = Pick<Dashboard, 'locale' | 'currency' | 'timeZone'>;

export function kindOf(column: Column, row: Record<string, Cell>): Kind {
  return column.kind === 'byRow' ? (row.kind as Kind) : column.kind;
}

const signed = (text: string, v: number) => (v > 0 ? `+${text}` : text);
const percent = (v: number, locale: Locale) => new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(v * 100);

/** A cell as the dashboard shows it; a missing value (a rate with no denominator) is "—". */
export function display(value: Cell, column: Column, row: Record<string, Cell>, ctx: Context): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'string') return kindOf(column, row) === 'datetime' ? localTime(value, ctx.timeZone) : value;
  const kind = kindOf(column, row);
  if (kind === 'rate') return column.delta ? signed(`${percent(value, ctx.locale)} ${label(ctx.locale, 'points')}`, value) : `${percent(value, ctx.locale)}%`;
  if (kind === 'money') {
    const text = formatMoney(Math.abs(value), String(row.currency ?? ctx.currency), ctx.locale);
    return value < 0 ? `−${text}` : column.delta ? signed(text, value) : text;
  }
  const text = new Intl.NumberFormat(ctx.locale, { maximumFractionDigits: 2 }).format(value);
  return column.delta ? signed(text, value) : text;
}

/** A cell as the CSV holds it: plain numbers (money in major units, rates as percentages) that spreadsheets read back. */
export function csvValue(value: Cell, column: Column, row: Record<string, Cell>, ctx: Context): string | number {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return kindOf(column, row) === 'datetime' ? localTime(value, ctx.timeZone) : value;
  const kind = kindOf(column, row);
  if (kind === 'money') return `${value < 0 ? '-' : ''}${Math.trunc(Math.abs(value) / 100)}.${String(Math.abs(value) % 100).padStart(2, '0')}`;
  if (kind === 'rate') return column.delta ? (value * 100).toFixed(1) : `${(value * 100).toFixed(1)}%`;
  return value;
}

/** The sort key of a cell: numbers as numbers, text as text, missing values last. */
export const sortValue = (value: Cell): string => (value === null || value === undefined || value === '' ? '' : String(value));

/** An instant in the org's time zone, as staff read it: 2024-05-15 11:10. */
function localTime(iso: string, timeZone: string): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  let format = timeFormats.get(timeZone);
  if (!format) timeFormats.set(timeZone, (format = new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })));
  return format.format(t);
}

/** Building an Intl.DateTimeFormat costs far more than formatting with one: one per time zone. */
const timeFormats = new Map<string, Intl.DateTimeFormat>();
