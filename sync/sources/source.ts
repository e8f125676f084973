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
}

export const normalizeName = (name: string) => name.trim().toLowerCase().replace(/[\s\-]+/g, '_');
