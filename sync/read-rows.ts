import type { z } from 'zod';
import { type RawCell, isBlank } from './cells/result.ts';
import { rowRulesOf } from './schema/cell.ts';
import type { RowTabName, TabSchemas } from './schema/tabs.ts';
import { csvRecords } from './sources/csv.ts';
import { ROW_BLANK, ROW_RAW, ROW_READ, type TabPart } from './sources/source.ts';
import { POOL_LIMIT, type ReadColumn, isPooled, isReference, mapHeader, readCells, readColumns } from './validate.ts';

/**
 * Reading a tab's rows ahead of validating them (sync/read-ahead.ts): each part's rows through
 * their columns' readers, as WorkbookValidation reads a row that has no problem, into ReadRows
 * the validator takes in later. Pure work on one part at a time, on either thread.
 */

/** How a tab's rows are read: its columns as found, its rule across columns, and its pooled strings so far. */
export interface TabReading {
  columns: ReadColumn[];
  rowRules: z.ZodType | undefined;
  /** Per column, each text's number among the pooled strings (undefined: not pooled, or past its limit of texts). */
  pools: (Map<string, number> | undefined)[];
  /** Per column, how many texts it pools at most. */
  limits: number[];
  /** How many strings were pooled in all. */
  strings: number;
}

/** A tab's reading, set up from its first part's header. */
export function tabReading(schemas: TabSchemas, part: TabPart): TabReading {
  const schema = schemas[part.key as RowTabName] as unknown as z.ZodObject;
  const columns = readColumns(schema, mapHeader(part, () => undefined));
  const limits = columns.map((c) => poolLimit(part.key as RowTabName, c.name));
  return { columns, rowRules: rowRulesOf(schema), pools: limits.map((limit) => (limit > 0 ? new Map() : undefined)), limits, strings: 0 };
}

/**
 * How many texts a column pools here: as the validator does (isPooled), and references too, up to
 * REFERENCE_POOL_LIMIT. A million messages naming 50,000 contacts then send each contact's id
 * once, not twenty times, and the validator shares each once (shareSendLogReferences).
 */
const poolLimit = (tab: RowTabName, column: string) => (isPooled(tab, column) ? POOL_LIMIT : isReference(column) ? REFERENCE_POOL_LIMIT : 0);

/** Enough for every contact of a large organisation; past it a column of junk ids is sent as it is. */
const REFERENCE_POOL_LIMIT = 1 << 18;

/** A part's rows read as the validator reads a row that has no problem (WorkbookValidation's readClean); `csv`: its rows as CSV lines too. */
export function readPart(part: TabPart, reading: TabReading, csv: boolean): { part: TabPart; transfer: ArrayBuffer[] } {
  const { columns, rowRules, pools, limits } = reading;
  const stringsFrom = reading.strings;
  const width = columns.length;
  const kinds = new Uint8Array(part.rows.length);
  const values: unknown[] = [];
  const pooled = new Int32Array(part.rows.length * width);
  const strings: string[] = [];
  const cells: [number, RawCell][] = [];
  const raw: RawCell[][] = [];
  for (let i = 0; i < part.rows.length; i++) {
    const row = part.rows[i];
    if (row.every(isBlank)) {
      kinds[i] = ROW_BLANK;
      continue;
    }
    let read = readCells(columns, row);
    if (read && rowRules && !rowRules.safeParse(Object.fromEntries(columns.map((c, j) => [c.name, read![j]]))).success) read = undefined;
    if (!read) {
      kinds[i] = ROW_RAW;
      raw.push(row);
      continue;
    }
    kinds[i] = ROW_READ;
    for (let j = 0; j < width; j++) {
      const value = read[j];
      const at = values.length;
      if (typeof value !== 'string') {
        values.push(value);
        pooled[at] = -1;
        continue;
      }
      const index = columns[j].index;
      if (index !== undefined && row[index] !== value) cells.push([at, row[index]]);
      const pool = pools[j];
      let number = pool?.get(value);
      if (pool && number === undefined) {
        pool.set(value, (number = reading.strings++));
        strings.push(value);
        if (pool.size > limits[j]) pools[j] = undefined;
      }
      values.push(number === undefined ? value : undefined);
      pooled[at] = number ?? -1;
    }
  }
  const numbers = pooled.subarray(0, values.length);
  return {
    part: { ...part, rows: raw, read: { kinds, values, pooled: numbers, strings, stringsFrom, cells }, ...(csv && part.rows.length > 0 && { csv: csvRecords(part.rows) }) },
    transfer: [kinds.buffer, pooled.buffer],
  };
}
