import type { RawCell } from '../cells/result.ts';
import type { Problem } from '../problems.ts';

/** A problem with the source as a whole (not a cell): fatal, exit 2. */
export class SourceError extends Error {}

/** One tab as a source holds it: the header row and the rows below it, cells untouched. */
export interface RawTab {
  /** The tab's name as the source spells it (for messages). */
  name: string;
  header: RawCell[];
  /** rows[i] is spreadsheet row i + 2 (the header is row 1); blank rows stay in place. */
  rows: RawCell[][];
}

/** Every tab a source holds, keyed by its normalized name (lowercase, spaces and hyphens as _). */
export type RawWorkbook = Map<string, RawTab>;

/** Consecutive rows of one tab as read: rows[0] is the tab's row `first` (spreadsheet row first + 2). */
export interface TabPart {
  /** The tab's normalized name, as in RawWorkbook. */
  key: string;
  name: string;
  header: RawCell[];
  rows: RawCell[][];
  first: number;
  /**
   * The part's rows already read cell by cell on another thread (sync/read-ahead.ts): then `rows`
   * holds only those that could not be read cleanly (see ReadRows) and `csv` all of them as CSV
   * lines, for a snapshot.
   */
  read?: ReadRows;
  csv?: string;
}

/**
 * A part's rows as read by the tab's column readers, in row order. Each row is blank (left out),
 * read (its values, the tab's columns in order, in `values`) or raw: a row with a problem, whose
 * cells are in the part's `rows` for the validator to read again and report.
 */
export interface ReadRows {
  /** Per row: ROW_BLANK, ROW_READ or ROW_RAW. */
  kinds: Uint8Array;
  /** The read rows' values one after another, as many per row as the tab has columns. */
  values: unknown[];
  /**
   * Per value, the number of its text among the tab's pooled strings (-1: the value is in
   * `values`): a column's repeated texts (a campaign, a date) cross over once, not once a row.
   */
  pooled: Int32Array;
  /** The tab's pooled strings first met in this part, numbered from `stringsFrom` on (the parts before from one reader hold the others). */
  strings: string[];
  stringsFrom: number;
  /**
   * A read text value whose cell said more (spaces around it): [index in values, the cell as it was].
   * Only text is ever named in a problem about a read row (an id, a reference, a region).
   */
  cells: [number, RawCell][];
}
export const ROW_BLANK = 0;
export const ROW_READ = 1;
export const ROW_RAW = 2;

export type PartVisitor = (part: TabPart) => void;

/** Tab keys in `order` first (those present), then the others by name. */
export function keysInOrder(keys: Iterable<string>, order: readonly string[]): string[] {
  const present = new Set(keys);
  return [...order.filter((k) => present.has(k)), ...[...present].filter((k) => !order.includes(k)).sort()];
}

/** Adds a part to a workbook being gathered whole. */
export function addPart(workbook: RawWorkbook, { key, name, header, rows }: TabPart): void {
  const tab = workbook.get(key) ?? workbook.set(key, { name, header, rows: [] }).get(key)!;
  for (const row of rows) tab.rows.push(row);
}

/** A source's tabs in parts: its own readInParts, or its whole read handed over a tab at a time. */
export async function readParts(source: Source, order: readonly string[], visit: PartVisitor): Promise<void> {
  if (source.readInParts) await source.readInParts(order, visit);
  else visitWorkbook(await source.read(), order, visit);
}

/** The tool's own tabs (named with a leading _: the receipts register, _problems, _segments). */
export const isToolTab = (key: string) => key.startsWith('_');

/** Only the tabs `keys` of a source, gathered whole (every other tab's cells are let go as read). */
export async function readTabs(source: Source, keys: readonly string[]): Promise<RawWorkbook> {
  const tabs: RawWorkbook = new Map();
  await readParts(source, keys, (part) => {
    if (keys.includes(part.key)) addPart(tabs, part);
  });
  return tabs;
}

/** Hands a whole workbook over as Source.readInParts does, each tab as one part. */
export function visitWorkbook(workbook: RawWorkbook, order: readonly string[], visit: PartVisitor): void {
  for (const key of keysInOrder(workbook.keys(), order)) {
    const { name, header, rows } = workbook.get(key)!;
    visit({ key, name, header, rows, first: 0 });
  }
}

/**
 * Where the donor spreadsheet lives. The CSV folder and Google Sheets are two implementations;
 * everything after `read()` is the same for both.
 */
export interface Source {
  /** How the source is named on the command line, e.g. csv:data/sample. */
  readonly label: string;
  read(): Promise<RawWorkbook>;
  /**
   * The same cells as read(), a tab at a time and each tab in parts, so a large tab is never held
   * whole (a CSV folder of a million rows). Tabs come in `order`, then the others by name; a tab's
   * parts come in row order, and a tab with no rows is one part without rows. Sources that hold
   * every cell anyway (Google Sheets answers in one response) leave it out: sync then reads whole.
   */
  readInParts?(order: readonly string[], visit: PartVisitor): Promise<void>;
  /** A link staff can click to reach a cell, when the source has one. */
  cellLink?(tab: string, row: number, columnLetter: string): string | undefined;
  /** What the source used so far (Google Sheets: API requests against the quota), for the run log. */
  usage?(): string;
  /**
   * Cells of the spreadsheet's grid as of the last read (rows x columns of every tab, blank cells
   * included), when the source has a cell limit (Google Sheets: see sync/cell-budget.ts).
   */
  gridCells?(): number | undefined;
  /** What the last read noticed about the files rather than the cells (a CSV file in Big5, a cell cut to the limit). */
  readProblems?(): Problem[];
}

export const normalizeName = (name: string) => name.trim().toLowerCase().replace(/[\s\-]+/g, '_');

/**
 * How a row is found at write time: its id column, or several columns whose cells together name
 * it (a Google Form's response row has no id of its own; sign-ups are found by their answers).
 */
export type RowKey = string | readonly string[];

/** A cell the tool owns, set on the row whose id column holds `id` at write time. */
export interface CellUpdate {
  id: string;
  column: string;
  value: RawCell;
  /** Write only when the cell is blank now (donations.receipt_no): staff's value wins. */
  onlyIfBlank?: boolean;
}

/** What a batch of cell updates did: rows whose id is gone are refused, never guessed. */
export interface UpdateResult {
  written: number;
  skippedNotBlank: CellUpdate[];
  refusedMissingId: CellUpdate[];
}

/**
 * Writing back, only what the tool owns: whole tool tabs (_problems, _segments), appended rows
 * (the email_events send log), single cells found by id at write time, and rows removed by `forget`.
 * Staff-edited cells are never overwritten.
 */
export interface WritableSource extends Source {
  /**
   * Whether sync writes its tabs back unless told otherwise: yes for a spreadsheet staff look at
   * (Google Sheets), no for a CSV folder, so a committed folder such as the sample never changes.
   */
  readonly writesBackByDefault: boolean;
  /** Replace a tab the tool owns (created if missing). */
  replaceTab(tab: string, header: string[], rows: RawCell[][]): Promise<void>;
  /** Append rows (keyed by column name) to a tab, creating it with `header` if it is missing. */
  appendRows(tab: string, header: string[], rows: Record<string, RawCell>[]): Promise<void>;
  /** Set single cells on rows found by `idColumn` (or several columns together: RowKey) at write time. */
  updateCells(tab: string, idColumn: RowKey, updates: CellUpdate[]): Promise<UpdateResult>;
  /** Remove every row whose `column` equals one of `values`; returns how many were removed. */
  deleteRows(tab: string, column: string, values: string[]): Promise<number>;
}

export const isWritable = (source: Source): source is WritableSource => 'updateCells' in source;
