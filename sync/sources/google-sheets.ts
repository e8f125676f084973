import { randomInt } from 'node:crypto';
import type { sheets_v4 } from '@googleapis/sheets';
import type { RawCell } from '../cells/result.ts';
import { columnLetter } from '../problems.ts';
import { type SheetTab, SheetsClient, type SheetsClientOptions, type ValueWrite, quoteTab, sheetUrl } from './sheets-client.ts';
import {
  type CellUpdate, type RawTab, type RawWorkbook, type UpdateResult, type WritableSource, normalizeName,
} from './source.ts';
import { planCellUpdates, rowsMatching, rowsToAppend } from './tab-edits.ts';

/** A Sheets cell value as batchUpdate's CellData takes it (RAW: text stays text). */
function cellData(value: RawCell): sheets_v4.Schema$CellData {
  if (typeof value === 'number') return { userEnteredValue: { numberValue: value } };
  if (typeof value === 'boolean') return { userEnteredValue: { boolValue: value } };
  if (value === null || value === undefined || value === '') return {};
  return { userEnteredValue: { stringValue: value } };
}

/** A new tab id that the spreadsheet does not use yet (ids are chosen by the caller, so one request adds and fills a tab). */
export function newSheetId(taken: Iterable<number>): number {
  const used = new Set(taken);
  for (;;) {
    const id = randomInt(1, 2 ** 31 - 1);
    if (!used.has(id)) return id;
  }
}

/**
 * A Google Sheets spreadsheet as the donor database. A read is one spreadsheets.get (the tab list
 * and the sheet ids for links) and one values.batchGet of every tab. Writes re-read what they
 * depend on at write time, so rows staff inserted or sorted since the read are still found by id.
 */
export class GoogleSheetsSource implements WritableSource {
  readonly label: string;
  readonly writesBackByDefault = true;
  /** Tabs by normalized name, as of the last time the tab list was read. */
  private tabs = new Map<string, SheetTab>();
  /**
   * rows x columns over every tab at the last read of the tab list. A chart sheet counts 0: the API
   * leaves gridProperties out "if the sheet is an object sheet, containing a chart or image"
   * (Sheets API reference, SheetProperties).
   */
  private cells: number | undefined;

  constructor(readonly spreadsheetId: string, readonly client: SheetsClient = new SheetsClient()) {
    this.label = `sheets:${spreadsheetId}`;
  }

  static open(spreadsheetId: string, options?: SheetsClientOptions): GoogleSheetsSource {
    return new GoogleSheetsSource(spreadsheetId, new SheetsClient(options));
  }

  async read(): Promise<RawWorkbook> {
    const tabs = await this.loadTabs();
    const values = await this.client.batchGet(this.spreadsheetId, tabs.map((t) => quoteTab(t.title)));
    const workbook: RawWorkbook = new Map();
    tabs.forEach((tab, i) => {
      const [header = [], ...rows] = values[i];
      const key = normalizeName(tab.title);
      if (!workbook.has(key)) workbook.set(key, { name: tab.title, header, rows });
    });
    return workbook;
  }

  cellLink(tab: string, row: number, column: string): string | undefined {
    const sheet = this.tabs.get(normalizeName(tab));
    return sheet ? `${sheetUrl(this.spreadsheetId)}#gid=${sheet.sheetId}&range=${column}${row}` : undefined;
  }

  usage(): string {
    return this.client.usage();
  }

  gridCells(): number | undefined {
    return this.cells;
  }

  async replaceTab(tab: string, header: string[], rows: RawCell[][]): Promise<void> {
    const existing = await this.tab(tab);
    const sheetId = existing?.sheetId ?? newSheetId([...this.tabs.values()].map((t) => t.sheetId));
    // The grid is sized to the rows, so rows left from a longer earlier list disappear with it.
    const gridProperties = { rowCount: Math.max(2, rows.length + 1), columnCount: Math.max(1, header.length), frozenRowCount: 1 };
    const requests: sheets_v4.Schema$Request[] = [
      existing
        ? { updateSheetProperties: { properties: { sheetId, gridProperties }, fields: 'gridProperties(rowCount,columnCount,frozenRowCount)' } }
        : { addSheet: { properties: { sheetId, title: tab, gridProperties } } },
      // Every cell of the tab, so whatever the new rows do not cover is cleared.
      { updateCells: { range: { sheetId }, rows: [header, ...rows].map((cells) => ({ values: cells.map(cellData) })), fields: 'userEnteredValue' } },
      { repeatCell: { range: { sheetId, startRowIndex: 0, endRowIndex: 1 }, cell: { userEnteredFormat: { textFormat: { bold: true } } }, fields: 'userEnteredFormat.textFormat.bold' } },
    ];
    await this.client.batchUpdate(this.spreadsheetId, requests, `replace the tab ${tab}`, { idempotent: !!existing });
    this.tabs.set(normalizeName(tab), { title: existing?.title ?? tab, sheetId, ...gridProperties });
  }

  async appendRows(tab: string, header: string[], rows: Record<string, RawCell>[]): Promise<void> {
    if (rows.length === 0) return;
    let existing = await this.tab(tab);
    if (!existing) {
      await this.replaceTab(tab, header, []);
      existing = (await this.tab(tab))!;
    }
    const data = await this.readTab(existing);
    const width = data.header.length;
    const cells = rowsToAppend(data, rows);
    const writes: ValueWrite[] = [];
    if (data.header.length > width) writes.push(await this.headerWrite(existing, data, width));
    await this.client.writeValues(this.spreadsheetId, writes, `add columns to ${existing.title}`);
    await this.client.append(this.spreadsheetId, existing.title, cells, `append ${cells.length} rows to ${existing.title}`);
  }

  async updateCells(tab: string, idColumn: string, updates: CellUpdate[]): Promise<UpdateResult> {
    const existing = updates.length > 0 ? await this.tab(tab) : undefined;
    if (!existing) return { written: 0, skippedNotBlank: [], refusedMissingId: [...updates] };
    const data = await this.readTab(existing);
    const width = data.header.length;
    const { result, writes } = planCellUpdates(data, idColumn, updates);
    if (writes.length === 0) return result;
    const cells: ValueWrite[] = writes.map(({ row, column, value }) => ({
      range: `${quoteTab(existing.title)}!${columnLetter(column)}${row + 2}`,
      values: [[value]],
    }));
    if (data.header.length > width) cells.unshift(await this.headerWrite(existing, data, width));
    await this.client.writeValues(this.spreadsheetId, cells, `write ${writes.length} cells in ${existing.title}`);
    return result;
  }

  async deleteRows(tab: string, column: string, values: string[]): Promise<number> {
    const existing = await this.tab(tab);
    if (!existing) return 0;
    const rows = rowsMatching(await this.readTab(existing), column, values);
    // From the bottom up, so each deletion leaves the row numbers of the others as they were.
    const requests = rows
      .sort((a, b) => b - a)
      .map((i) => ({ deleteDimension: { range: { sheetId: existing.sheetId, dimension: 'ROWS', startIndex: i + 1, endIndex: i + 2 } } }));
    await this.client.batchUpdate(this.spreadsheetId, requests, `delete ${rows.length} rows from ${existing.title}`, { idempotent: false });
    return rows.length;
  }

  private async loadTabs(): Promise<SheetTab[]> {
    const tabs = await this.client.tabs(this.spreadsheetId);
    this.cells = tabs.reduce((sum, t) => sum + t.rowCount * t.columnCount, 0);
    this.tabs = new Map();
    for (const tab of tabs) if (!this.tabs.has(normalizeName(tab.title))) this.tabs.set(normalizeName(tab.title), tab);
    return tabs;
  }

  /** The tab as of the last read (the tab list is read once if nothing was read yet). */
  private async tab(name: string): Promise<SheetTab | undefined> {
    if (this.tabs.size === 0) await this.loadTabs();
    return this.tabs.get(normalizeName(name));
  }

  /** The tab's cells now, at write time. */
  private async readTab(tab: SheetTab): Promise<RawTab> {
    const [[header = [], ...rows]] = await this.client.batchGet(this.spreadsheetId, [quoteTab(tab.title)]);
    return { name: tab.title, header, rows };
  }

  /** The header cells the tool added (a column the tab lacked), widening the grid when it is full. */
  private async headerWrite(tab: SheetTab, data: RawTab, from: number): Promise<ValueWrite> {
    if (data.header.length > tab.columnCount) {
      const length = data.header.length - tab.columnCount;
      await this.client.batchUpdate(this.spreadsheetId, [{ appendDimension: { sheetId: tab.sheetId, dimension: 'COLUMNS', length } }], `add ${length} columns to ${tab.title}`);
      tab.columnCount = data.header.length;
    }
    return { range: `${quoteTab(tab.title)}!${columnLetter(from)}1`, values: [data.header.slice(from)] };
  }
}
