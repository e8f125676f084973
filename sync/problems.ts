import type { RawCell } from './cells/result.ts';
import { printable } from './terminal.ts';

export type Severity = 'error' | 'warning';

/** One thing staff should fix, located the way the spreadsheet shows it. */
export interface Problem {
  /** error: the row is left out of the dataset; warning: the row is kept. */
  severity: Severity;
  tab: string;
  /** Spreadsheet row number (header = 1); undefined for a problem with the tab itself. */
  row?: number;
  column?: string;
  /** Column letter as the spreadsheet shows it (A, B, …, AA). */
  column_letter?: string;
  value?: string;
  message: string;
  /** A link to the cell, when the source has one (Google Sheets). */
  link?: string;
}

export function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    letters = String.fromCharCode(65 + r) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

export const rawText = (raw: RawCell): string => (raw === null || raw === undefined ? '' : String(raw));

/** A problem that stops the run (a missing required tab or column): exit code 2. */
export class FatalSourceError extends Error {
  constructor(message: string, readonly problem?: Problem) {
    super(message);
  }
}

/** A problem as one line for the terminal (the value and message carry the cell's text: made printable). */
export function describeProblem(p: Problem): string {
  const column = p.column_letter ? `column ${p.column_letter} (${p.column})` : `column ${p.column}`;
  const where = [p.tab, p.row ? `row ${p.row}` : '', p.column ? column : '']
    .filter(Boolean)
    .join(', ');
  const value = p.value !== undefined && p.value !== '' ? ` [${p.value}]` : '';
  return printable(`${p.severity}: ${where}${value}: ${p.message}`);
}
