import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { stringify } from 'csv-stringify/sync';
import Papa from 'papaparse';
import type { RawCell } from '../cells/result.ts';
import {
  type CellUpdate, type PartVisitor, type RawTab, type RawWorkbook, type UpdateResult, type WritableSource, addPart, keysInOrder, normalizeName,
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

  async read(): Promise<RawWorkbook> {
    const workbook: RawWorkbook = new Map();
    await this.readInParts([], (part) => addPart(workbook, part));
    return workbook;
  }

  async readInParts(order: readonly string[], visit: PartVisitor): Promise<void> {
    const files = await this.files();
    for (const key of keysInOrder(files.keys(), order)) {
      const file = files.get(key)!;
      const name = file.replace(/\.csv(\.gz)?$/i, '');
      let header: RawCell[] | undefined;
      let first = 0;
      const path = join(this.dir, file);
      const bytes = createReadStream(path, { highWaterMark: PART_BYTES });
      await parseCsvStream(file, file.endsWith('.gz') ? bytes.pipe(createGunzip()) : bytes, bytes, (records) => {
        const rows = header ? records : records.slice(1);
        header ??= records[0];
        visit({ key, name, header, rows, first });
        first += rows.length;
      });
      if (!header) visit({ key, name, header: [], rows: [], first: 0 });
    }
  }

  async replaceTab(tab: string, header: string[], rows: RawCell[][]): Promise<void> {
    await this.locked(() => this.replaceTabNow(tab, header, rows));
  }

  async appendRows(tab: string, header: string[], rows: Record<string, RawCell>[]): Promise<void> {
    await this.locked(() => this.appendRowsNow(tab, header, rows));
  }

  async updateCells(tab: string, idColumn: string, updates: CellUpdate[]): Promise<UpdateResult> {
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
    const { file, data } = await this.openTab(tab, header);
    for (const cells of rowsToAppend(data, rows)) data.rows.push(cells);
    await this.writeTab(file, data);
  }

  private async updateCellsNow(tab: string, idColumn: string, updates: CellUpdate[]): Promise<UpdateResult> {
    if (updates.length === 0) return { written: 0, skippedNotBlank: [], refusedMissingId: [] };
    const { file, data } = await this.openTab(tab);
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
    const data = await this.readTab(file);
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

  private async readTab(file: string): Promise<RawTab> {
    return parseCsvTab(file.replace(/\.csv$/i, ''), await readFile(join(this.dir, file), 'utf8'));
  }

  /** The tab's current contents, or a new tab with `header` when there is no file yet. */
  private async openTab(tab: string, header: string[] = []): Promise<{ file: string; data: RawTab }> {
    const file = (await this.files()).get(normalizeName(tab));
    if (file) return { file, data: await this.readTab(file) };
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

const LOCK_FILE = '.tidings.lock';
// A file is read a megabyte at a time: each part's raw cells are garbage soon after they are validated.
const PART_BYTES = 1024 * 1024;
const STALE_LOCK_MS = 60_000;
const LOCK_WAIT_MS = 30_000;

/** A tab as CSV text; booleans (Sheets checkboxes) as TRUE/FALSE, which read back as yes/no. */
export function tabCsv(data: Pick<RawTab, 'header' | 'rows'>, { bom = false } = {}): string {
  return csvRecords([data.header, ...data.rows], { bom });
}

/** Records as CSV lines (a tab's header, its rows, or a part of them). */
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
 */
function recordsTaker(file: string, onRecords: (records: string[][]) => void) {
  let done = 0;
  // Blank records are held back until a record with cells follows them.
  let blanks: string[][] = [];
  return ({ data, errors }: Papa.ParseResult<string[]>) => {
    const quote = errors.find((e) => e.type === 'Quotes');
    if (quote) {
      throw new SourceError(`${file}, row ${done + (quote.row ?? 0) + 1}: a quoted cell is never closed (a " without its partner), so the rest of the file would be read into it: correct the quotes in that row, or export the file again from Excel or Google Sheets`);
    }
    done += data.length;
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
 * is never held whole, as bytes, text or cells. `origin` is the file stream under `bytes` (a
 * gunzip, for a snapshot): its errors end the parse too.
 */
function parseCsvStream(file: string, bytes: Readable, origin: Readable, onRecords: (records: string[][]) => void): Promise<void> {
  const take = recordsTaker(file, onRecords);
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => {
      origin.destroy();
      bytes.destroy();
      // A file that cannot be read (a damaged .csv.gz snapshot) is named, not a bare zlib message.
      reject(error instanceof SourceError ? error : new SourceError(`${file} cannot be read (${error.message}): replace it with a good copy, or remove it from the folder`));
    };
    origin.on('error', fail);
    bytes.setEncoding('utf8'); // decodes characters split between two reads
    Papa.parse<string[]>(bytes as unknown as File, {
      ...CSV, beforeFirstChunk: withoutBom, chunk: take, complete: () => resolve(), error: fail,
    });
  });
}

/** A problem with the source as a whole (not a cell): fatal, exit 2. */
export class SourceError extends Error {}
