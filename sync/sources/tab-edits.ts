import type { RawCell } from '../cells/result.ts';
import { type CellUpdate, type RawTab, type UpdateResult, normalizeName } from './source.ts';

/**
 * The decisions every writable source makes the same way, on a tab as it is at write time:
 * which row holds an id, whether a cell is blank, where a missing column goes. Each source then
 * applies them its own way (a CSV file is rewritten; a sheet gets only the changed cells).
 */

/** Column index by normalized name; columns the tool writes that the tab lacks are added at the end. */
export function ensureColumns(data: RawTab, wanted: string[]): Map<string, number> {
  const columns = new Map<string, number>();
  data.header.forEach((h, i) => {
    const key = normalizeName(String(h ?? ''));
    if (key && !columns.has(key)) columns.set(key, i);
  });
  for (const name of wanted) {
    if (columns.has(normalizeName(name))) continue;
    columns.set(normalizeName(name), data.header.length);
    data.header.push(name);
  }
  return columns;
}

const cellKey = (cell: RawCell) => String(cell ?? '').trim();

/** One cell to set: rows[row][column] of the tab (row 0 is spreadsheet row 2). */
export interface CellWrite {
  row: number;
  column: number;
  value: RawCell;
}

/**
 * Which cells a batch of updates sets: the row is the first whose id column holds the id now,
 * a missing id is refused, and an onlyIfBlank cell that staff filled is left alone.
 */
export function planCellUpdates(data: RawTab, idColumn: string, updates: CellUpdate[]): { result: UpdateResult; writes: CellWrite[] } {
  const result: UpdateResult = { written: 0, skippedNotBlank: [], refusedMissingId: [] };
  const writes: CellWrite[] = [];
  const columns = ensureColumns(data, [idColumn, ...updates.map((u) => u.column)]);
  const idIndex = columns.get(normalizeName(idColumn))!;
  const rowOf = new Map<string, number>();
  data.rows.forEach((cells, i) => {
    const id = cellKey(cells[idIndex]);
    if (id && !rowOf.has(id)) rowOf.set(id, i);
  });
  for (const update of updates) {
    const row = rowOf.get(update.id);
    if (row === undefined) {
      result.refusedMissingId.push(update);
      continue;
    }
    const column = columns.get(normalizeName(update.column))!;
    if (update.onlyIfBlank && cellKey(data.rows[row][column]) !== '') {
      result.skippedNotBlank.push(update);
      continue;
    }
    writes.push({ row, column, value: update.value ?? '' });
    result.written++;
  }
  return { result, writes };
}

/** Rows keyed by column name as cells in the tab's column order (adding columns it lacks). */
export function rowsToAppend(data: RawTab, rows: Record<string, RawCell>[]): RawCell[][] {
  const keys = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) keys.add(key);
  const columns = ensureColumns(data, [...keys]);
  return rows.map((row) => {
    const cells: RawCell[] = new Array(data.header.length).fill('');
    for (const [key, value] of Object.entries(row)) cells[columns.get(normalizeName(key))!] = value ?? '';
    return cells;
  });
}

/** Indexes of the rows whose `column` holds one of `values` (none when the tab lacks the column). */
export function rowsMatching(data: RawTab, column: string, values: string[]): number[] {
  const index = data.header.findIndex((h) => normalizeName(String(h ?? '')) === normalizeName(column));
  if (index < 0) return [];
  const wanted = new Set(values);
  return data.rows.flatMap((cells, i) => (wanted.has(cellKey(cells[index])) ? [i] : []));
}
