import type { RawCell } from '../cells/result.ts';
import { type CellUpdate, type RawTab, type RowKey, type UpdateResult, normalizeName } from './source.ts';

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

/** The key's columns in a tab (added at the end when missing, as written columns are). */
export function keyIndexes(data: RawTab, key: RowKey): number[] {
  const names = typeof key === 'string' ? [key] : [...key];
  const columns = ensureColumns(data, names);
  return names.map((n) => columns.get(normalizeName(n))!);
}

/**
 * Each row's id under a key: the cell of one id column; for several columns, their cells together
 * and the row's place among identical rows (#1, #2, ...: identical rows are interchangeable, so
 * the n-th of them is as good an identity as any). A row blank in every key column has none ('').
 */
export function rowIds(data: RawTab, indexes: number[]): string[] {
  if (indexes.length === 1) return data.rows.map((cells) => cellKey(cells[indexes[0]]));
  const seen = new Map<string, number>();
  return data.rows.map((cells) => {
    const parts = indexes.map((i) => cellKey(cells[i]));
    if (parts.every((p) => p === '')) return '';
    const key = JSON.stringify(parts);
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return `${key}#${n}`;
  });
}

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
export function planCellUpdates(data: RawTab, idColumn: RowKey, updates: CellUpdate[]): { result: UpdateResult; writes: PlacedWrite[] } {
  const result: UpdateResult = { written: 0, skippedNotBlank: [], refusedMissingId: [] };
  const writes: PlacedWrite[] = [];
  const ids = rowIds(data, keyIndexes(data, idColumn));
  const columns = ensureColumns(data, updates.map((u) => u.column));
  const rowOf = new Map<string, number>();
  ids.forEach((id, i) => {
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

/** One planned cell write with the id of the row it was meant for. */
export interface PlacedWrite extends CellWrite {
  id: string;
}

const sameCell = (a: RawCell, b: RawCell) => (typeof a === 'string' || typeof b === 'string' || a == null || b == null ? cellKey(a) === cellKey(b) : a === b);

/** Row index by id (the first row holding it), under the key's columns `idIndexes`. */
function rowsById(data: RawTab, idIndexes: number[]): Map<string, number> {
  const rows = new Map<string, number>();
  rowIds(data, idIndexes).forEach((id, i) => {
    if (id && !rows.has(id)) rows.set(id, i);
  });
  return rows;
}

/**
 * What a batch of cell writes did, checked on the tab read back after it. Sheets has no "write
 * only if this row still holds this id", so a row staff moved between our read and our write gets
 * the value meant for another. Each write meant for `id` either sits on the row holding `id` now,
 * or is to be done again (`redo`). A cell we wrote that now holds our value on a row it was not
 * meant for is put back to what that row held at our read (`undo`; blank for a row staff added
 * since). Only the cells we wrote are looked at, never a cell another person or process changed
 * meanwhile (a row moved again after our write, with our value in it, is the one case left out).
 * A write to the id column itself (the send log's pending id becoming Resend's id) renames its
 * row, so a row holding a new id is known by the cells the batch did not write: it is the row that
 * held those cells at our read (the renamed one if it still matches, else the one staff moved there).
 */
export function checkWrites(before: RawTab, after: RawTab, idIndex: number | number[], writes: PlacedWrite[]): { redo: PlacedWrite[]; undo: CellWrite[] } {
  const idIndexes = typeof idIndex === 'number' ? [idIndex] : idIndex;
  const beforeRows = rowsById(before, idIndexes);
  const beforeIds = rowIds(before, idIndexes);
  const afterIds = rowIds(after, idIndexes);
  const renamedFrom = new Map<string, string>();
  const written = new Set<number>(idIndexes);
  for (const w of writes) {
    written.add(w.column);
    // Only a single id column is ever renamed (a composite key's columns are the form's, never written).
    if (idIndexes.length === 1 && w.column === idIndexes[0]) renamedFrom.set(cellKey(w.value), w.id);
  }
  const width = Math.max(before.header.length, after.header.length);
  const unwritten = (cells: RawCell[]) => {
    const kept: string[] = [];
    for (let c = 0; c < width; c++) if (!written.has(c)) kept.push(cellKey(cells[c]));
    return JSON.stringify(kept);
  };
  const idsByCells = new Map<string, string[]>();
  if (renamedFrom.size > 0) {
    before.rows.forEach((cells, i) => {
      const key = unwritten(cells);
      const ids = idsByCells.get(key);
      if (ids) ids.push(beforeIds[i]);
      else idsByCells.set(key, [beforeIds[i]]);
    });
  }
  /** Which row of our read the row read back at `i` is: its id, or for an id this batch wrote, the row its other cells were. */
  const identity = (i: number): string => {
    const id = afterIds[i] ?? '';
    const renamed = renamedFrom.get(id);
    if (renamed === undefined) return id;
    const candidates = idsByCells.get(unwritten(after.rows[i])) ?? [];
    return candidates.includes(renamed) || candidates.length !== 1 ? renamed : candidates[0];
  };
  const afterRows = new Map<string, number>();
  after.rows.forEach((_, i) => {
    const id = identity(i);
    if (id && !afterRows.has(id)) afterRows.set(id, i);
  });
  const redo = writes.filter((w) => {
    const row = afterRows.get(w.id);
    return row === undefined || !sameCell(after.rows[row][w.column], w.value);
  });
  const meant = new Set(writes.map((w) => `${w.id}\u0000${w.column}\u0000${cellKey(w.value)}`));
  const undo: CellWrite[] = [];
  for (const w of writes) {
    const cells = after.rows[w.row] ?? [];
    const id = w.row < after.rows.length ? identity(w.row) : '';
    if (id === w.id || !sameCell(cells[w.column], w.value)) continue;
    // Another update of the same batch may have meant this value for the row now here.
    if (meant.has(`${id}\u0000${w.column}\u0000${cellKey(w.value)}`)) continue;
    const was = beforeRows.get(id);
    const value = was === undefined ? '' : (before.rows[was][w.column] ?? '');
    if (!sameCell(value, cells[w.column])) undo.push({ row: w.row, column: w.column, value });
  }
  return { redo, undo };
}

/**
 * Rows a deletion removed that it should not have: rows of `before` that were not `targets` and
 * are missing from `after` (compared whole, as a multiset, since rows have no identity but their
 * cells). A row staff deleted themselves meanwhile looks the same and is put back too: nothing is
 * lost, they can delete it again.
 */
export function rowsLost(before: RawTab, targets: number[], after: RawTab): number[] {
  const left = new Map<string, number>();
  for (const cells of after.rows) {
    const key = rowKey(cells);
    left.set(key, (left.get(key) ?? 0) + 1);
  }
  const skip = new Set(targets);
  const lost: number[] = [];
  before.rows.forEach((cells, i) => {
    if (skip.has(i)) return;
    const key = rowKey(cells);
    const n = left.get(key) ?? 0;
    if (n > 0) left.set(key, n - 1);
    else if (trimRow(cells).length > 0) lost.push(i);
  });
  return lost;
}

/**
 * Row indexes (sorted from the bottom up, no repeats) as ranges of neighbouring rows, from the
 * bottom up: [9, 8, 7, 3] → [{ start: 7, end: 10 }, { start: 3, end: 4 }] (end exclusive).
 */
export function rowRanges(descending: number[]): { start: number; end: number }[] {
  const ranges: { start: number; end: number }[] = [];
  for (const row of descending) {
    const last = ranges[ranges.length - 1];
    if (last && row === last.start - 1) last.start = row;
    else ranges.push({ start: row, end: row + 1 });
  }
  return ranges;
}

/** A row's cells as one comparable key (trailing blanks ignored). */
export const rowKey = (cells: RawCell[]) => JSON.stringify(trimRow(cells));

function trimRow(cells: RawCell[]): RawCell[] {
  const out = cells.map((c) => (c === null || c === undefined ? '' : c));
  while (out.length && out[out.length - 1] === '') out.pop();
  return out;
}
