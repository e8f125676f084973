import { z } from 'zod';
import { type Problem, columnLetter, rawText } from '../problems.ts';
import { optional, required } from '../schema/cell.ts';
import { readId, readText } from '../cells/text.ts';
import { type RawWorkbook, normalizeName } from '../sources/source.ts';

/**
 * The `_receipts` tab: an append-only register the tool owns, one row per receipt number it ever
 * claimed. It keeps numbers out of circulation after their donation row is deleted, and it is
 * where concurrent runs agree on who got a number: the first row naming a number (and the first
 * naming a donation) wins, later rows that collide are ignored.
 */
export const REGISTER_TAB = '_receipts';
export const REGISTER_COLUMNS = ['receipt_no', 'donation_id', 'fiscal_year', 'seq', 'claimed_at', 'run'] as const;

const registerRowSchema = z.object({
  receipt_no: required(readText, 'receipt_no'),
  donation_id: required(readId, 'donation_id'),
  claimed_at: optional(readText),
  run: optional(readText),
});

export type RegisterRow = z.output<typeof registerRowSchema> & { row: number };

/** A claim that holds: the first row for its number and the first for its donation. */
export type RegisterClaims = Map<string, RegisterRow>;

/** Reads the register tab (missing = empty); a damaged row is reported and skipped. */
export function readRegister(workbook: RawWorkbook): { rows: RegisterRow[]; problems: Problem[] } {
  const tab = workbook.get(REGISTER_TAB);
  if (!tab) return { rows: [], problems: [] };
  const header = new Map(tab.header.map((h, i) => [normalizeName(rawText(h)), i] as const));
  const rows: RegisterRow[] = [];
  const problems: Problem[] = [];
  tab.rows.forEach((cells, i) => {
    const input = Object.fromEntries(Object.keys(registerRowSchema.shape).map((c) => [c, header.has(c) ? cells[header.get(c)!] : undefined]));
    if (Object.values(input).every((v) => rawText(v).trim() === '')) return;
    const parsed = registerRowSchema.safeParse(input);
    if (parsed.success) {
      rows.push({ ...parsed.data, row: i + 2 });
      return;
    }
    const column = String(parsed.error.issues[0].path[0]);
    problems.push({
      severity: 'warning', tab: tab.name, row: i + 2, column,
      column_letter: header.has(column) ? columnLetter(header.get(column)!) : undefined, value: rawText(input[column]),
      message: `${parsed.error.issues[0].message}: this tab is written by Tidings to keep receipt numbers unique; restore the row from a backup rather than editing it`,
    });
  });
  return { rows, problems };
}

/** The claims that hold, keyed by receipt number, in register order. */
export function validClaims(rows: RegisterRow[]): RegisterClaims {
  const byNumber: RegisterClaims = new Map();
  const donations = new Set<string>();
  for (const row of rows) {
    if (byNumber.has(row.receipt_no) || donations.has(row.donation_id)) continue;
    byNumber.set(row.receipt_no, row);
    donations.add(row.donation_id);
  }
  return byNumber;
}
