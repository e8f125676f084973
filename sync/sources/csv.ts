import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { type RawTab, type RawWorkbook, type Source, normalizeName } from './source.ts';

/** A folder with one `<tab>.csv` per tab (or `<tab>.csv.gz`, as backups are written). */
export class CsvFolderSource implements Source {
  readonly label: string;
  constructor(readonly dir: string) {
    this.label = `csv:${dir}`;
  }

  async read(): Promise<RawWorkbook> {
    let files: string[];
    try {
      files = await readdir(this.dir);
    } catch {
      throw new SourceError(`cannot read the folder ${this.dir}: check the path given to --source csv:<folder>`);
    }
    const workbook: RawWorkbook = new Map();
    for (const file of files.sort()) {
      const m = /^(.*)\.csv(\.gz)?$/i.exec(file);
      if (!m) continue;
      const bytes = await readFile(join(this.dir, file));
      const text = (m[2] ? gunzipSync(bytes) : bytes).toString('utf8');
      workbook.set(normalizeName(m[1]), parseCsvTab(m[1], text));
    }
    return workbook;
  }
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
