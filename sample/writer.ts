import { closeSync, openSync, writeSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';

/** A cell as the generator writes it: text exactly as staff would type it (blank = undefined). */
export type Cells = Record<string, string | number | undefined>;

const BATCH = 2_000;

/**
 * Streams one `<tab>.csv` to disk in batches, so a 50,000-contact sample never holds a whole file
 * in memory. Row numbers are the spreadsheet's (header = row 1).
 */
export class TabWriter {
  private readonly fd: number;
  private batch: (string | number | undefined)[][] = [];
  rows = 0;

  constructor(
    readonly path: string,
    readonly columns: string[],
  ) {
    this.fd = openSync(path, 'w');
    // A BOM, as writeCsv does, so Excel opens the zh-TW text as UTF-8. Not csvText: the sample is
    // source data Tidings reads back, so a cell is written exactly as staff would type it.
    writeSync(this.fd, stringify([], { header: true, columns, bom: true }));
  }

  /** Appends a row; returns its spreadsheet row number. */
  write(cells: Cells): number {
    this.batch.push(this.columns.map((c) => cells[c]));
    if (this.batch.length >= BATCH) this.flush();
    return ++this.rows + 1;
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    writeSync(this.fd, stringify(this.batch));
    this.batch = [];
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
