import type { RawCell } from '../cells/result.ts';

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

/**
 * Where the donor spreadsheet lives. The CSV folder and Google Sheets are two implementations;
 * everything after `read()` is the same for both.
 */
export interface Source {
  /** How the source is named on the command line, e.g. csv:data/sample. */
  readonly label: string;
  read(): Promise<RawWorkbook>;
  /** A link staff can click to reach a cell, when the source has one. */
  cellLink?(tab: string, row: number, columnLetter: string): string | undefined;
  /** What the source used so far (Google Sheets: API requests against the quota), for the run log. */
  usage?(): string;
}

export const normalizeName = (name: string) => name.trim().toLowerCase().replace(/[\s\-]+/g, '_');

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
 * (the email_events ledger), single cells found by id at write time, and rows removed by `forget`.
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
  /** Set single cells on rows found by `idColumn` at write time. */
  updateCells(tab: string, idColumn: string, updates: CellUpdate[]): Promise<UpdateResult>;
  /** Remove every row whose `column` equals one of `values`; returns how many were removed. */
  deleteRows(tab: string, column: string, values: string[]): Promise<number>;
}

export const isWritable = (source: Source): source is WritableSource => 'updateCells' in source;
