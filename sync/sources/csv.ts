import { randomBytes } from 'node:crypto';
import { readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { RawCell } from '../cells/result.ts';
import {
  type CellUpdate, type RawTab, type RawWorkbook, type UpdateResult, type WritableSource, normalizeName,
} from './source.ts';

/**
 * A folder with one `<tab>.csv` per tab (or `<tab>.csv.gz`, as backups are written). Writes
 * re-read the file at write time and replace it atomically (temp file, then rename), so a crash
 * never leaves half a file and rows staff moved since the read are still found by id.
 */
export class CsvFolderSource implements WritableSource {
  readonly label: string;
  constructor(readonly dir: string) {
    this.label = `csv:${dir}`;
  }

  async read(): Promise<RawWorkbook> {
    const workbook: RawWorkbook = new Map();
    for (const [key, file] of await this.files()) {
      const bytes = await readFile(join(this.dir, file));
      const text = (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
      workbook.set(key, parseCsvTab(file.replace(/\.csv(\.gz)?$/i, ''), text));
    }
    return workbook;
  }

  async replaceTab(tab: string, header: string[], rows: RawCell[][]): Promise<void> {
    const file = (await this.files()).get(normalizeName(tab)) ?? `${tab}.csv`;
    await this.writeTab(file, { name: tab, header, rows });
  }

  async appendRows(tab: string, header: string[], rows: Record<string, RawCell>[]): Promise<void> {
    const { file, data } = await this.openTab(tab, header);
    const columns = ensureColumns(data, Object.keys(Object.assign({}, ...rows)));
    for (const row of rows) {
      const cells: RawCell[] = new Array(data.header.length).fill('');
      for (const [key, value] of Object.entries(row)) cells[columns.get(normalizeName(key))!] = value ?? '';
      data.rows.push(cells);
    }
    await this.writeTab(file, data);
  }

  async updateCells(tab: string, idColumn: string, updates: CellUpdate[]): Promise<UpdateResult> {
    const result: UpdateResult = { written: 0, skippedNotBlank: [], refusedMissingId: [] };
    if (updates.length === 0) return result;
    const { file, data } = await this.openTab(tab);
    const columns = ensureColumns(data, [idColumn, ...updates.map((u) => u.column)]);
    const idIndex = columns.get(normalizeName(idColumn))!;
    const rowOf = new Map<string, RawCell[]>();
    for (const cells of data.rows) {
      const id = String(cells[idIndex] ?? '').trim();
      if (id && !rowOf.has(id)) rowOf.set(id, cells);
    }
    for (const update of updates) {
      const cells = rowOf.get(update.id);
      if (!cells) {
        result.refusedMissingId.push(update);
        continue;
      }
      const index = columns.get(normalizeName(update.column))!;
      if (update.onlyIfBlank && String(cells[index] ?? '').trim() !== '') {
        result.skippedNotBlank.push(update);
        continue;
      }
      while (cells.length < data.header.length) cells.push('');
      cells[index] = update.value ?? '';
      result.written++;
    }
    if (result.written > 0) await this.writeTab(file, data);
    return result;
  }

  async deleteRows(tab: string, column: string, values: string[]): Promise<number> {
    const file = (await this.files()).get(normalizeName(tab));
    if (!file) return 0;
    const data = await this.readTab(file);
    const index = data.header.findIndex((h) => normalizeName(String(h ?? '')) === normalizeName(column));
    if (index < 0) return 0;
    const drop = new Set(values);
    const kept = data.rows.filter((cells) => !drop.has(String(cells[index] ?? '').trim()));
    const removed = data.rows.length - kept.length;
    if (removed > 0) await this.writeTab(file, { ...data, rows: kept });
    return removed;
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
    await writeFile(temp, stringify([data.header, ...data.rows], { bom: true }));
    await rename(temp, path);
  }
}

/** Column index by normalized name; columns the tool writes that the tab lacks are added at the end. */
function ensureColumns(data: RawTab, wanted: string[]): Map<string, number> {
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

export function parseCsvTab(name: string, text: string): RawTab {
  const records: string[][] = parse(text, {
    bom: true,
    relax_column_count: true,
    skip_empty_lines: false,
  });
  // Excel and Sheets both end a file with a newline: that is not a blank row.
  while (records.length > 0 && records[records.length - 1].every((c) => c.trim() === '')) records.pop();
  const [header = [], ...rows] = records;
  return { name, header, rows };
}

/** A problem with the source as a whole (not a cell): fatal, exit 2. */
export class SourceError extends Error {}
