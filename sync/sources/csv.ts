import { isUtf8 } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { type Readable, pipeline } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { stringify } from 'csv-stringify/sync';
import Papa from 'papaparse';
import type { RawCell } from '../cells/result.ts';
import { type Problem, columnLetter } from '../problems.ts';
import { CsvDecoder, type CsvEncoding, FileTooLarge, UndecodableBytes } from './csv-decode.ts';
import {
  type CellUpdate, type PartVisitor, type RawTab, type RawWorkbook, type RowKey, SourceError, type UpdateResult, type WritableSource, addPart, keysInOrder, normalizeName,
} from './source.ts';
import { planCellUpdates, rowsMatching, rowsToAppend } from './tab-edits.ts';

/**
 * A folder with one `<tab>.csv` per tab (or `<tab>.csv.gz`, as backups are written). Writes
 * re-read the file at write time and replace it atomically (temp file, then rename), so a crash
 * never leaves half a file and rows staff moved since the read are still found by id. Each write
 * holds a lock file in the folder, so two runs never interleave a read-modify-write (a lost
 * update would let onlyIfBlank pass twice).
 */
export class CsvFolderSource implements WritableSource {
  readonly label: string;
  readonly writesBackByDefault = false;
  constructor(readonly dir: string) {
    this.label = `csv:${dir}`;
  }

  private found: Problem[] = [];

  async read(): Promise<RawWorkbook> {
    const workbook: RawWorkbook = new Map();
    await this.readInParts([], (part) => addPart(workbook, part));
    return workbook;
  }

  /** What the last read found that is not a cell's value: a file in Big5, a cell over the limit. */
  readProblems(): Problem[] {
    return this.found;
  }

  /**
   * Visits every tab a part at a time, in `order` first. A tab `elsewhere` takes (sync/read-ahead.ts:
   * read on another thread) is visited as it hands over its parts, in its place in the order.
   */
  async readInParts(order: readonly string[], visit: PartVisitor, elsewhere?: TabReader): Promise<void> {
    this.found = [];
    for (const tab of await this.tabs(order)) {
      for (const p of await (elsewhere?.(tab, visit) ?? readCsvTab(tab, visit))) this.found.push(p);
    }
  }

  /** The folder's tab files, those in `order` first. */
  async tabs(order: readonly string[] = []): Promise<CsvTab[]> {
    const files = await this.files();
    const tabs: CsvTab[] = [];
    for (const key of keysInOrder(files.keys(), order)) {
      const file = files.get(key)!;
      const path = join(this.dir, file);
      const found = await stat(path);
      tabs.push({ key, name: file.replace(/\.csv(\.gz)?$/i, ''), file, path, bytes: found.size, stamp: stampOf(found) });
    }
    return tabs;
  }

  async replaceTab(tab: string, header: string[], rows: RawCell[][]): Promise<void> {
    await this.locked(() => this.replaceTabNow(tab, header, rows));
  }

  async appendRows(tab: string, header: string[], rows: Record<string, RawCell>[]): Promise<void> {
    await this.locked(() => this.appendRowsNow(tab, header, rows));
  }

  async updateCells(tab: string, idColumn: RowKey, updates: CellUpdate[]): Promise<UpdateResult> {
    return this.locked(() => this.updateCellsNow(tab, idColumn, updates));
  }

  async deleteRows(tab: string, column: string, values: string[]): Promise<number> {
    return this.locked(() => this.deleteRowsNow(tab, column, values));
  }

  /** Runs `write` holding `.tidings.lock` (created exclusively); a lock older than a minute was left by a crash. */
  private async locked<T>(write: () => Promise<T>): Promise<T> {
    const lock = join(this.dir, LOCK_FILE);
    for (let waited = 0; ; waited += 25) {
      try {
        await (await open(lock, 'wx')).close();
        break;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') throw new SourceError(`cannot write to the folder ${this.dir}: check the path given to --source csv:<folder>`);
        if (code !== 'EEXIST') throw error;
        const age = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0);
        if (age > STALE_LOCK_MS) await unlink(lock).catch(() => undefined);
        else if (waited > LOCK_WAIT_MS) throw new SourceError(`${lock} is held by another run: wait for it to finish (or delete the file if no run is going)`);
        await sleep(25);
      }
    }
    try {
      return await write();
    } finally {
      await unlink(lock).catch(() => undefined);
    }
  }

  private async replaceTabNow(tab: string, header: string[], rows: RawCell[][]): Promise<void> {
    const file = (await this.files()).get(normalizeName(tab)) ?? `${tab}.csv`;
    await this.writeTab(file, { name: tab, header, rows });
  }

  private async appendRowsNow(tab: string, header: string[], rows: Record<string, RawCell>[]): Promise<void> {
    const { file, data } = await this.openTab(tab, `${rows.length} new rows`, header);
    for (const cells of rowsToAppend(data, rows)) data.rows.push(cells);
    await this.writeTab(file, data);
  }

  private async updateCellsNow(tab: string, idColumn: RowKey, updates: CellUpdate[]): Promise<UpdateResult> {
    if (updates.length === 0) return { written: 0, skippedNotBlank: [], refusedMissingId: [] };
    const { file, data } = await this.openTab(tab, `${updates.length} cell updates (${[...new Set(updates.map((u) => u.column))].join(', ')})`);
    const { result, writes } = planCellUpdates(data, idColumn, updates);
    for (const { row, column, value } of writes) {
      const cells = data.rows[row];
      while (cells.length < data.header.length) cells.push('');
      cells[column] = value;
    }
    if (writes.length > 0) await this.writeTab(file, data);
    return result;
  }

  private async deleteRowsNow(tab: string, column: string, values: string[]): Promise<number> {
    const file = (await this.files()).get(normalizeName(tab));
    if (!file) return 0;
    const data = await this.readTab(file, `removing the rows whose ${column} is one of ${values.length} values`);
    const drop = new Set(rowsMatching(data, column, values));
    if (drop.size > 0) await this.writeTab(file, { ...data, rows: data.rows.filter((_, i) => !drop.has(i)) });
    return drop.size;
  }

  /** Tab files by normalized tab name. */
  private async files(): Promise<Map<string, string>> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      throw new SourceError(`cannot read the folder ${this.dir}: check the path given to --source csv:<folder>`);
    }
    const files = new Map<string, string>();
    for (const name of names.sort()) {
      const m = /^(.*)\.csv(\.gz)?$/i.exec(name);
      if (m && !files.has(normalizeName(m[1]))) files.set(normalizeName(m[1]), name);
    }
    return files;
  }

  /**
   * A tab read whole to be rewritten. A file that is not UTF-8 (Big5 from Excel) is never
   * rewritten: saving it back as UTF-8 would change the file under the staff's Excel, and a wrong
   * guess would destroy their text. `change` says what is not written.
   */
  private async readTab(file: string, change: string): Promise<RawTab> {
    const bytes = await readFile(join(this.dir, file));
    if (!isUtf8(bytes)) {
      throw new SourceError(`${join(this.dir, file)} is not saved as UTF-8 (Excel's plain "CSV" on Windows in Traditional Chinese is Big5), so Tidings did not write to it: ${change} not written, the file is unchanged. Open it in Excel, File > Save As > "CSV UTF-8 (Comma delimited) (*.csv)", then run again`);
    }
    return parseCsvTab(file.replace(/\.csv$/i, ''), bytes);
  }

  /** The tab's current contents, or a new tab with `header` when there is no file yet. */
  private async openTab(tab: string, change: string, header: string[] = []): Promise<{ file: string; data: RawTab }> {
    const file = (await this.files()).get(normalizeName(tab));
    if (file) return { file, data: await this.readTab(file, change) };
    return { file: `${tab}.csv`, data: { name: tab, header: [...header], rows: [] } };
  }

  private async writeTab(file: string, data: RawTab): Promise<void> {
    if (file.endsWith('.gz')) throw new SourceError(`${join(this.dir, file)} is a backup snapshot: it is read only`);
    const path = join(this.dir, file);
    const temp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(temp, tabCsv(data, { bom: true }));
    await rename(temp, path);
  }
}

/**
 * Limits on what a CSV folder may hold, far above real use (README, Limits): past them a read would
 * run out of memory, so it stops with an error naming the file and the limit instead.
 */
export const CSV_LIMITS = {
  /** Google Sheets' own limit for one cell: https://support.google.com/drive/answer/37603 */
  cellChars: 50_000,
  /** Characters of one row not yet complete: a row of 80 cells at the cell limit. */
  rowChars: 4_000_000,
  /** Rows in one tab: twice workload L's largest tab (about a million email_events). */
  rows: 2_000_000,
  /** Bytes in one file (a .csv.gz: unpacked): 2.5 times workload L's whole folder (190 MB). */
  fileBytes: 512 * 1024 * 1024,
};

/** One tab's file in a CSV folder; `bytes` as stored (a .csv.gz: packed). */
export interface CsvTab {
  key: string;
  name: string;
  file: string;
  path: string;
  bytes: number;
  /** Which version of the file was listed (its inode, size and modification time): see unchanged. */
  stamp: string;
}

const stampOf = (s: { ino: number; size: number; mtimeMs: number }) => `${s.ino}:${s.size}:${s.mtimeMs}`;

/**
 * A piece of a file is read apart from the rest (on another thread, at another moment), so the
 * pieces are only one file if nobody saved it in between (staff in Excel, a download from Sheets):
 * the file must still be the version listed, before a piece is read and after.
 */
async function unchanged({ file, path, stamp }: CsvTab): Promise<void> {
  const now = await stat(path).then(stampOf, () => 'gone');
  if (now !== stamp) {
    throw new SourceError(`${file} changed while Tidings was reading it (saved again, or replaced): nothing was used. Run again once it is saved`);
  }
}

/**
 * Bytes `start` to `end` of a tab's file, a piece that parses on its own (sync/sources/csv-cut.ts),
 * after `rowsBefore` rows; `header`: the file's header, for a piece that does not start the file.
 */
export interface CsvPiece {
  start: number;
  end: number;
  rowsBefore: number;
  header?: RawCell[];
}

/** Reads a tab some other way (sync/read-ahead.ts), or undefined to leave it to readCsvTab: see readCsvTab. */
export type TabReader = (tab: CsvTab, visit: PartVisitor) => Promise<Problem[]> | undefined;

/**
 * Reads one tab file a part at a time (a megabyte of it each), visiting each part once its
 * records are parsed; gives what it found that is not a cell's value (a cell over the limit, a
 * file in Big5). A file over the limits, or one that cannot be read, is a SourceError naming it;
 * so is a file read in pieces (`piece`) that was saved again meanwhile.
 */
export async function readCsvTab(tab: CsvTab, visit: PartVisitor, piece?: CsvPiece): Promise<Problem[]> {
  const { key, name, file, path, bytes: size } = tab;
  if (piece) await unchanged(tab);
  const found: Problem[] = [];
  let header = piece?.header;
  let first = piece?.rowsBefore ?? 0;
  // Checked before reading, so a huge file stops at once; a .csv.gz is checked as it unpacks.
  if (size > CSV_LIMITS.fileBytes) throw tooLarge(file, size);
  const bytes = createReadStream(path, { highWaterMark: PART_BYTES, ...(piece && { start: piece.start, end: piece.end - 1 }) });
  let encoding: CsvEncoding | undefined;
  try {
    const before = piece ? piece.rowsBefore + (piece.header ? 1 : 0) : 0;
    encoding = await parseCsvStream(file, file.endsWith('.gz') ? [bytes, createGunzip()] : [bytes], before, (records) => {
      const rows = header ? records : records.slice(1);
      header ??= records[0];
      capCells(name, header, rows, first, found);
      visit({ key, name, header, rows, first });
      first += rows.length;
    });
  } catch (error) {
    throw await readError(file, path, error);
  }
  if (piece) await unchanged(tab);
  if (!header) visit({ key, name, header: [], rows: [], first: 0 });
  if (encoding === 'big5') {
    found.push({
      severity: 'warning', tab: name,
      message: `${file} is not saved as UTF-8: it was read as Big5 (what Excel's plain "CSV" is on Windows in Traditional Chinese), and Tidings will not write to it. Save it as UTF-8: in Excel, File > Save As > "CSV UTF-8 (Comma delimited) (*.csv)"`,
    });
  }
  return found;
}

/** A tab's header row, parsed from the file's first `headerEnd` bytes (csv-cut.ts finds where it ends). */
export async function readCsvHeader({ name, path }: CsvTab, headerEnd: number): Promise<RawCell[]> {
  const file = await open(path);
  try {
    const { buffer } = await file.read(Buffer.alloc(headerEnd), 0, headerEnd, 0);
    return parseCsvTab(name, buffer).header;
  } finally {
    await file.close();
  }
}

/**
 * A cell longer than Google Sheets allows (CSV_LIMITS.cellChars) is cut to that length for this
 * run, with a warning naming it: one pasted novel should not carry through every report.
 */
function capCells(tab: string, header: RawCell[], rows: RawCell[][], first: number, found: Problem[]): void {
  for (let r = 0; r < rows.length; r++) {
    const cells = rows[r];
    for (let c = 0; c < cells.length; c++) {
      const cell = cells[c];
      if (typeof cell !== 'string' || cell.length <= CSV_LIMITS.cellChars) continue;
      cells[c] = cell.slice(0, CSV_LIMITS.cellChars);
      found.push({
        severity: 'warning', tab, row: first + r + 2, column: String(header[c] ?? ''), column_letter: columnLetter(c), value: `${cell.slice(0, 60)}…`,
        message: `this cell holds ${cell.length.toLocaleString('en-US')} characters, more than the ${CSV_LIMITS.cellChars.toLocaleString('en-US')} a Google Sheets cell can hold: only the first ${CSV_LIMITS.cellChars.toLocaleString('en-US')} were read; shorten it (a long text belongs in a linked document)`,
      });
    }
  }
}

const grouped = (n: number) => n.toLocaleString('en-US');
/** `size`: the file's bytes; undefined for a .csv.gz that unpacks to more than the limit. */
const tooLarge = (file: string, size?: number) =>
  new SourceError(`${file} ${size === undefined ? 'unpacks to more than' : `is ${grouped(Math.ceil(size / 1024 / 1024))} MB,`} over the limit of ${grouped(CSV_LIMITS.fileBytes / 1024 / 1024)} MB for one file, so it was not read and nothing was used: check that it is the right file; old rows can move to a file of their own outside the folder`);

/** The error a read ends with, named the way staff can act on: the file, the line, the limit. */
async function readError(file: string, path: string, error: unknown): Promise<unknown> {
  if (error instanceof FileTooLarge) return tooLarge(file);
  if (!(error instanceof UndecodableBytes)) return error;
  const where = `around byte ${grouped(error.offset)} (line ${grouped(await lineAt(path, error.offset))})`;
  const save = 'open it in Excel and save it with File > Save As > "CSV UTF-8 (Comma delimited) (*.csv)", or export it again from Google Sheets';
  if (error.tried === 'both') return new SourceError(`${file} is neither UTF-8 nor Big5: the first byte that is not text is at ${where}. Nothing was read: ${save}`);
  const as = error.tried === 'utf-8' ? 'UTF-8' : 'Big5';
  return new SourceError(`${file} began as ${as} text but is not ${as} from ${where} on (two files joined, or damaged). Nothing was used: ${save}`);
}

/** The line (from 1) holding byte `offset` of the file (unpacked, for a .csv.gz): only for an error message. */
async function lineAt(path: string, offset: number): Promise<number> {
  let line = 1;
  let seen = 0;
  const bytes = createReadStream(path);
  for await (const chunk of (path.endsWith('.gz') ? bytes.pipe(createGunzip()) : bytes) as AsyncIterable<Buffer>) {
    const part = chunk.subarray(0, Math.max(0, offset - seen));
    for (let i = part.indexOf(10); i !== -1; i = part.indexOf(10, i + 1)) line++;
    seen += chunk.length;
    if (seen >= offset) break;
  }
  bytes.destroy();
  return line;
}

const LOCK_FILE = '.tidings.lock';
// A file is read a megabyte at a time: each part's raw cells are garbage soon after they are validated.
const PART_BYTES = 1024 * 1024;
const STALE_LOCK_MS = 60_000;
const LOCK_WAIT_MS = 30_000;

/** A tab as CSV text; booleans (Sheets checkboxes) as TRUE/FALSE, which read back as yes/no. */
export function tabCsv(data: Pick<RawTab, 'header' | 'rows'>, { bom = false } = {}): string {
  return csvRecords([data.header, ...data.rows], { bom });
}

/**
 * Records as CSV lines (a tab's header, its rows, or a part of them). Not csvText, which guards
 * against formulas: these are the source's own cells (and backups of them), read back as data.
 */
export function csvRecords(records: RawCell[][], { bom = false } = {}): string {
  return stringify(records, { bom, cast: { boolean: (value) => (value ? 'TRUE' : 'FALSE') } });
}

export function parseCsvTab(name: string, text: string | Buffer): RawTab {
  const records: string[][] = [];
  parseCsv(name, text, (part) => {
    for (const record of part) records.push(record);
  });
  const [header = [], ...rows] = records;
  return { name, header, rows };
}

const isBlankRecord = (record: string[]) => record.every((c) => c.trim() === '');

const CSV = { delimiter: ',', quoteChar: '"', skipEmptyLines: false } as const;
const withoutBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/**
 * Takes Papa Parse's results in order and hands on the records. Blank records at the end are left
 * out: Excel and Sheets end a file with a newline, which is not a blank row. A quote that is never
 * closed would swallow the rest of the file into one cell: that is a SourceError naming `file` and the row.
 * Streamed (`decoded`: the characters decoded so far), a tab over CSV_LIMITS.rows rows or a row
 * growing past CSV_LIMITS.rowChars stops the read before it can exhaust memory.
 */
function recordsTaker(file: string, onRecords: (records: string[][]) => void, decoded?: () => number, recordsBefore = 0) {
  // Records before this text (a piece of a file read after its start), so rows are named as in the whole file.
  let done = recordsBefore;
  // Blank records are held back until a record with cells follows them.
  let blanks: string[][] = [];
  return ({ data, errors, meta }: Papa.ParseResult<string[]>) => {
    const quote = errors.find((e) => e.type === 'Quotes');
    if (quote) {
      throw new SourceError(`${file}, row ${done + (quote.row ?? 0) + 1}: a quoted cell is never closed (a " without its partner), so the rest of the file would be read into it: correct the quotes in that row, or export the file again from Excel or Google Sheets`);
    }
    done += data.length;
    if (decoded && done - 1 > CSV_LIMITS.rows) {
      throw new SourceError(`${file} has more than ${grouped(CSV_LIMITS.rows)} rows, the limit for one tab (a Google Sheets spreadsheet holds at most 10 million cells): nothing was used. Check that it is the right file; old rows can move to a file of their own outside the folder`);
    }
    if (decoded && decoded() - meta.cursor > CSV_LIMITS.rowChars) {
      throw new SourceError(`${file}, row ${done + 1}: the row is longer than ${grouped(CSV_LIMITS.rowChars)} characters (a cell in Google Sheets holds at most ${grouped(CSV_LIMITS.cellChars)}), so it was not read and nothing was used: find the row (or a quote " left open above it) and shorten it`);
    }
    let last = data.length - 1;
    while (last >= 0 && isBlankRecord(data[last])) last--;
    if (last < 0) {
      blanks = blanks.concat(data);
      return;
    }
    const records = last === data.length - 1 ? data : data.slice(0, last + 1);
    onRecords(blanks.length > 0 ? blanks.concat(records) : records);
    blanks = data.slice(last + 1);
  };
}

/** Parses CSV text (UTF-8, with or without a byte-order mark; rows may differ in length). */
function parseCsv(file: string, content: string | Buffer, onRecords: (records: string[][]) => void): void {
  const text = typeof content === 'string' ? content : content.toString('utf8');
  recordsTaker(file, onRecords)(Papa.parse<string[]>(withoutBom(text), CSV));
}

/**
 * parseCsv as the file's bytes arrive: records are handed over a part at a time, so a large file
 * is never held whole, as bytes, text or cells. `bytes` are the file's (through a gunzip, for a
 * snapshot), decoded by a CsvDecoder; an error in any of them ends the parse.
 */
function parseCsvStream(file: string, bytes: Readable[], recordsBefore: number, onRecords: (records: string[][]) => void): Promise<CsvEncoding | undefined> {
  const decoder = new CsvDecoder(CSV_LIMITS.fileBytes);
  // What the caller's own handling of records throws (validation: a required column missing) is
  // theirs to report, as it is when the records come from anywhere else.
  let theirs: unknown;
  const hand = (records: string[][]) => {
    try {
      onRecords(records);
    } catch (error) {
      theirs = error;
      throw error;
    }
  };
  const take = recordsTaker(file, hand, () => decoder.chars, recordsBefore);
  return new Promise<void>((resolve, reject) => {
    const fail = (error: Error) => {
      for (const stream of bytes) stream.destroy();
      decoder.destroy();
      // A file that cannot be read (a damaged .csv.gz snapshot) is named, not a bare zlib message.
      const known = error === theirs || error instanceof SourceError || error instanceof UndecodableBytes || error instanceof FileTooLarge;
      reject(known ? error : new SourceError(`${file} cannot be read (${error.message}): replace it with a good copy, or remove it from the folder`));
    };
    const text = pipeline([...bytes, decoder], (error) => error && fail(error));
    Papa.parse<string[]>(text as unknown as File, {
      ...CSV, beforeFirstChunk: withoutBom, chunk: take, complete: () => resolve(), error: fail,
    });
  }).then(() => decoder.encoding);
}
