import type { sheets_v4 } from '@googleapis/sheets';
import { readBoolean } from '../cells/booleans.ts';
import { dateTimeToSerial, dateToSerial, readDate, readDateTime } from '../cells/dates.ts';
import { type RawCell, isBlank } from '../cells/result.ts';
import { type ColumnKind, columnsOf } from '../schema/cell.ts';
import { DEFAULTS, SETTING_KEYS, defaultSettings } from '../schema/settings.ts';
import { TAB_ORDER, tabSchemas } from '../schema/tabs.ts';
import { readSettings } from './settings-tab.ts';
import { type RawTab, type RawWorkbook, normalizeName } from './source.ts';

/** A tab as init-sheet lays it out: the documented columns, what each holds, and the rows to fill in. */
export interface TemplateTab {
  title: string;
  header: string[];
  kinds: (ColumnKind | undefined)[];
  rows: RawCell[][];
}

export const SETTINGS_TAB = 'settings';
/**
 * Blank rows below a new tab's rows where staff type (Sheets' "Add more rows" button gives more).
 * Every grid cell counts against the spreadsheet's 10,000,000 cells, blank or not (README, The cell
 * budget), so no tab gets Sheets' default 1000 x 26 grid.
 */
const TYPING_ROWS = 100;
/** Tabs only Tidings appends to (the send log): no blank rows; appends grow the grid. */
const APPENDED_TABS = new Set(['email_events']);

/**
 * A cell as a spreadsheet should hold it: dates and date-times as serial numbers (so the date
 * format shows them and sorting works), yes/no as checkbox booleans; anything else, or a value
 * that does not read, stays as written (the sync reports it exactly as it would from CSV).
 */
export function typedCell(kind: ColumnKind | undefined, raw: RawCell, timeZone: string): RawCell {
  if (!kind || isBlank(raw)) return raw ?? '';
  switch (kind.type) {
    case 'date': {
      const date = readDate(raw, timeZone);
      return date.ok && date.value ? dateToSerial(date.value) : raw;
    }
    case 'datetime': {
      const instant = readDateTime(raw, timeZone);
      return instant.ok && instant.value ? dateTimeToSerial(instant.value, timeZone) : raw;
    }
    case 'boolean': {
      const yes = readBoolean(raw);
      return yes.ok ? yes.value : raw;
    }
    default:
      return raw;
  }
}

/** The sample's rows in the template's column order (columns it has beyond the model go last). */
function sampleRows(raw: RawTab, tab: TemplateTab, timeZone: string): RawCell[][] {
  const from = new Map<string, number>();
  raw.header.forEach((h, i) => {
    const key = normalizeName(String(h ?? ''));
    if (key && !from.has(key)) from.set(key, i);
    if (key && !tab.header.includes(key)) {
      tab.header.push(String(h));
      tab.kinds.push(undefined);
    }
  });
  return raw.rows.map((cells) => tab.header.map((name, j) => {
    const i = from.get(normalizeName(name));
    return i === undefined ? '' : typedCell(tab.kinds[j], cells[i], timeZone);
  }));
}

/** key/value rows: the sample's settings as written, then every other setting with its default. */
function settingsTab(sample: RawTab | undefined): TemplateTab {
  const rows: RawCell[][] = [];
  const seen = new Set<string>();
  if (sample) {
    const header = sample.header.map((h) => normalizeName(String(h ?? '')));
    const [k, v] = [header.indexOf('key'), header.indexOf('value')];
    for (const cells of sample.rows) {
      rows.push([cells[k] ?? '', cells[v] ?? '']);
      seen.add(normalizeName(String(cells[k] ?? '')));
    }
  }
  const defaults = defaultSettings() as Record<string, unknown>;
  for (const key of SETTING_KEYS) {
    if (seen.has(key)) continue;
    // As written in a cell: a parsed default (a topic list) is not its own cell text.
    const value = key in DEFAULTS ? DEFAULTS[key as keyof typeof DEFAULTS] : defaults[key];
    rows.push([key, Array.isArray(value) ? value.join(', ') : ((value as RawCell) ?? '')]);
  }
  return { title: SETTINGS_TAB, header: ['key', 'value'], kinds: [undefined, undefined], rows };
}

/** Every tab of the data model (reading order, then settings), filled from the sample when given. */
export function templateTabs(sample?: RawWorkbook): TemplateTab[] {
  // The sample's own settings (its time zone and currency type its cells); their problems are sync's to report.
  const settings = readSettings(sample?.get(SETTINGS_TAB), () => {});
  const schemas = tabSchemas({ timeZone: settings.timezone, currency: settings.currency });
  const tabs = TAB_ORDER.map((name) => {
    const columns = columnsOf(schemas[name]);
    const tab: TemplateTab = { title: name, header: columns.map((c) => c.name), kinds: columns.map((c) => c.meta.kind), rows: [] };
    const raw = sample?.get(name);
    if (raw) tab.rows = sampleRows(raw, tab, settings.timezone);
    return tab;
  });
  return [...tabs, settingsTab(sample?.get(SETTINGS_TAB))];
}

/** A new tab's properties: a frozen header row, its own columns only, and rows sized to need. */
export function templateSheet(tab: TemplateTab, sheetId: number): sheets_v4.Schema$SheetProperties {
  const blank = APPENDED_TABS.has(tab.title) ? 0 : TYPING_ROWS;
  return {
    sheetId, title: tab.title,
    // At least one row below the frozen header: Sheets refuses to freeze every row.
    gridProperties: { rowCount: Math.max(2, tab.rows.length + 1 + blank), columnCount: tab.header.length, frozenRowCount: 1 },
  };
}

/** Bold header; date formats, checkboxes and dropdowns on the columns below it. */
export function templateFormats(tab: TemplateTab, sheetId: number): sheets_v4.Schema$Request[] {
  const requests: sheets_v4.Schema$Request[] = [
    { repeatCell: { range: { sheetId, startRowIndex: 0, endRowIndex: 1 }, cell: { userEnteredFormat: { textFormat: { bold: true } } }, fields: 'userEnteredFormat.textFormat.bold' } },
  ];
  tab.kinds.forEach((kind, column) => {
    const range = { sheetId, startRowIndex: 1, startColumnIndex: column, endColumnIndex: column + 1 };
    switch (kind?.type) {
      case 'date':
      case 'datetime': {
        const numberFormat = kind.type === 'date' ? { type: 'DATE', pattern: 'yyyy-mm-dd' } : { type: 'DATE_TIME', pattern: 'yyyy-mm-dd hh:mm' };
        requests.push({ repeatCell: { range, cell: { userEnteredFormat: { numberFormat } }, fields: 'userEnteredFormat.numberFormat' } });
        break;
      }
      case 'boolean':
        requests.push({ setDataValidation: { range, rule: { condition: { type: 'BOOLEAN' } } } });
        break;
      case 'enum':
        // Not strict: the zh-TW and other aliases the sync accepts (已完成, paid) stay allowed.
        requests.push({ setDataValidation: { range, rule: { condition: { type: 'ONE_OF_LIST', values: kind.values.map((v) => ({ userEnteredValue: v })) }, strict: false, showCustomUi: true } } });
        break;
    }
  });
  return requests;
}

let kindsByTab: Map<string, Map<string, ColumnKind>> | undefined;

/** What each column of a model tab holds (date, date-time, checkbox, dropdown), by normalized column name. */
export function columnKinds(tab: string): Map<string, ColumnKind> {
  if (!kindsByTab) {
    const defaults = defaultSettings();
    const schemas = tabSchemas({ timeZone: defaults.timezone, currency: defaults.currency });
    kindsByTab = new Map(TAB_ORDER.map((name) => [name, new Map(columnsOf(schemas[name]).flatMap((c) => (c.meta.kind ? [[c.name, c.meta.kind] as const] : [])))]));
  }
  return kindsByTab.get(normalizeName(tab)) ?? new Map();
}
