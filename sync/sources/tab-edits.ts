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
export function planCellUpdates(data: RawTab, idColumn: string, updates: CellUpdate[]): { result: UpdateResult; writes: PlacedWrite[] } {
  const result: UpdateResult = { written: 0, skippedNotBlank: [], refusedMissingId: [] };
  const writes: PlacedWrite[] = [];
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
    writes.push({ row, column, value: update.value ?? '', id: update.id });
    result.written++;
  }
  return { result, writes };
}

/** Rows keyed by column name as cells in the tab's column order (adding columns it lacks). */
export function rowsToAppend(data: RawTab, rows: Record<string, RawCell>[]): RawCell[][] {
  const columns = ensureColumns(data, Object.keys(Object.assign({}, ...rows)));
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

/** One planned cell write with the id of the row it was meant for. */
export interface PlacedWrite extends CellWrite {
  id: string;
}

const sameCell = (a: RawCell, b: RawCell) => (typeof a === 'string' || typeof b === 'string' || a == null || b == null ? cellKey(a) === cellKey(b) : a === b);

/** Row index by id (the first row holding it), in a tab's `idIndex` column. */
function rowsById(data: RawTab, idIndex: number): Map<string, number> {
  const rows = new Map<string, number>();
  data.rows.forEach((cells, i) => {
    const id = cellKey(cells[idIndex]);
    if (id && !rows.has(id)) rows.set(id, i);
  });
  return rows;
}

/**
 * What a batch of cell writes did, checked on the tab read back after it. Sheets has no "write
 * only if this row still holds this id", so a row staff moved between our read and our write gets
 * the value meant for another. Each write meant for `id` either sits on the row holding `id` now,
 * or is to be done again (`redo`); and every cell of another row that now holds one of our values
 * it did not hold at our read is put back to what it held then (`undo`; blank for a row staff
 * added since, whose earlier value was never read).
 */
export function checkWrites(before: RawTab, after: RawTab, idIndex: number, writes: PlacedWrite[]): { redo: PlacedWrite[]; undo: CellWrite[] } {
  const beforeRows = rowsById(before, idIndex);
  const afterRows = rowsById(after, idIndex);
  const redo = writes.filter((w) => {
    const row = afterRows.get(w.id);
    return row === undefined || !sameCell(after.rows[row][w.column], w.value);
  });
  // Where each written value sits now, by column: one pass over the tab, not one per write.
  const meant = new Map<string, Set<string>>();
  for (const w of writes) {
    const key = `${w.column}\u0000${cellKey(w.value)}`;
    (meant.get(key) ?? meant.set(key, new Set()).get(key)!).add(w.id);
  }
  const columns = new Set(writes.map((w) => w.column));
  const undo: CellWrite[] = [];
  after.rows.forEach((cells, row) => {
    const id = cellKey(cells[idIndex]);
    for (const column of columns) {
      const owners = meant.get(`${column}\u0000${cellKey(cells[column])}`);
      if (!owners || owners.has(id) || cellKey(cells[column]) === '') continue;
      const was = beforeRows.get(id);
      const value = was === undefined ? '' : (before.rows[was][column] ?? '');
      if (!sameCell(value, cells[column])) undo.push({ row, column, value });
    }
  });
  return { redo, undo };
}

/**
 * Rows a deletion removed that it should not have: rows of `before` that were not `targets` and
 * are missing from `after` (compared whole, as a multiset, since rows have no identity but their
 * cells). A row staff deleted themselves meanwhile looks the same and is put back too: nothing is
 * lost, they can delete it again.
 */
export function rowsLost(before: RawTab, targets: number[], after: RawTab): number[] {
  const key = (cells: RawCell[]) => JSON.stringify(trimRow(cells));
  const left = new Map<string, number>();
  for (const cells of after.rows) left.set(key(cells), (left.get(key(cells)) ?? 0) + 1);
  const skip = new Set(targets);
  const lost: number[] = [];
  before.rows.forEach((cells, i) => {
    if (skip.has(i)) return;
    const n = left.get(key(cells)) ?? 0;
    if (n > 0) left.set(key(cells), n - 1);
    else if (trimRow(cells).length > 0) lost.push(i);
  });
  return lost;
}

function trimRow(cells: RawCell[]): RawCell[] {
  const out = cells.map((c) => (c === null || c === undefined ? '' : c));
  while (out.length && out[out.length - 1] === '') out.pop();
  return out;
}
