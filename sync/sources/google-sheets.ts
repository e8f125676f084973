import { randomInt } from 'node:crypto';
import type { sheets_v4 } from '@googleapis/sheets';
import type { RawCell } from '../cells/result.ts';
import { columnLetter } from '../problems.ts';
import type { ColumnKind } from '../schema/cell.ts';
import { defaultSettings, validTimeZone } from '../schema/settings.ts';
import { SourceError } from './source.ts';
import {
  BODY_ROOM, type SheetTab, SheetsClient, type SheetsClientOptions, type ValueWrite, groupByBytes, quoteTab, sheetUrl,
} from './sheets-client.ts';
import {
  type CellUpdate, type RawTab, type RawWorkbook, type RowKey, type UpdateResult, type WritableSource, normalizeName,
} from './source.ts';
import { SETTINGS_TAB, columnKinds, templateFormats, typedCell } from './sheet-template.ts';
import {
  type CellWrite, checkWrites, keyIndexes, planCellUpdates, rowKey, rowRanges, rowsLost, rowsMatching, rowsToAppend,
} from './tab-edits.ts';

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

// Rounds of write, check, put right before giving up: each needs staff to move rows again in the
// second between our read and our write.
const MAX_ROUNDS = 5;

/**
 * A Google Sheets spreadsheet as the donor database. A read is one spreadsheets.get (the tab list
 * and the sheet ids for links) and one values.batchGet of every tab.
 *
 * Writes to existing rows are safe against staff editing the sheet meanwhile. Sheets has no
 * conditional write (no "only if this row still holds this id"; developer metadata could follow
 * rows, but only once every row is tagged, which is itself a write by position), and one request's
 * changes are atomic, so each write is a cycle: read the tab, find every row by its id, write,
 * read the tab back and check that every value sits on the row holding its id. A value that
 * landed on another row (staff sorted or inserted rows in between) is put back to what that row
 * held, and the write is done again at the row found now. A 429, 5xx or timeout anywhere in the
 * cycle re-runs the whole cycle after the backoff, so a retry never resends a write planned on old rows.
 */
export class GoogleSheetsSource implements WritableSource {
  readonly label: string;
  readonly writesBackByDefault = true;
  /** Tabs by normalized name, as of the last time the tab list was read. */
  private tabs = new Map<string, SheetTab>();
  /** The org's time zone (settings), which date-time serials are written in, as sync reads them. */
  private timeZone?: string;
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
    this.timeZone = settingsTimeZone(workbook.get(SETTINGS_TAB));
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

  /**
   * The tab's cells replaced whole. In one atomic request when it fits in 2 MB; otherwise the grid is
   * resized and cleared first, then the rows follow in parts of at most 2 MB (a tool tab such as
   * _segments can be many MB; a run cut short leaves it part-filled until the next sync rewrites it).
   */
  async replaceTab(tab: string, header: string[], rows: RawCell[][]): Promise<void> {
    const existing = await this.tab(tab);
    const sheetId = existing?.sheetId ?? newSheetId([...this.tabs.values()].map((t) => t.sheetId));
    // The grid is sized to the rows, so rows left from a longer earlier list disappear with it.
    const gridProperties = { rowCount: Math.max(2, rows.length + 1), columnCount: Math.max(1, header.length), frozenRowCount: 1 };
    const resize: sheets_v4.Schema$Request = existing
      ? { updateSheetProperties: { properties: { sheetId, gridProperties }, fields: 'gridProperties(rowCount,columnCount,frozenRowCount)' } }
      : { addSheet: { properties: { sheetId, title: tab, gridProperties } } };
    const bold = { repeatCell: { range: { sheetId, startRowIndex: 0, endRowIndex: 1 }, cell: { userEnteredFormat: { textFormat: { bold: true } } }, fields: 'userEnteredFormat.textFormat.bold' } };
    const what = `replace the tab ${tab}`;
    // Every cell of the tab, so whatever the new rows do not cover is cleared.
    const cells = [header, ...rows].map((row) => ({ values: row.map(cellData) }));
    const fill = { updateCells: { range: { sheetId }, rows: cells, fields: 'userEnteredValue' } };
    if (jsonFits(cells, this.client.maxBodyBytes - 8192)) {
      await this.client.batchUpdate(this.spreadsheetId, [resize, fill, bold], what, { idempotent: !!existing });
    } else {
      const clear = { updateCells: { range: { sheetId }, fields: 'userEnteredValue' } };
      await this.client.batchUpdate(this.spreadsheetId, [resize, clear, bold], what, { idempotent: !!existing });
      await this.client.writeValues(this.spreadsheetId, [{ range: `${quoteTab(existing?.title ?? tab)}!A1`, values: [header, ...rows] }], what);
    }
    this.tabs.set(normalizeName(tab), { title: existing?.title ?? tab, sheetId, ...gridProperties });
  }

  async appendRows(tab: string, header: string[], rows: Record<string, RawCell>[]): Promise<void> {
    if (rows.length === 0) return;
    let existing = await this.tab(tab);
    if (!existing) {
      await this.replaceTab(tab, header, []);
      existing = (await this.tab(tab))!;
      await this.formatColumns(existing, header, 0);
    }
    const data = await this.readTab(existing);
    const width = data.header.length;
    const cells = rowsToAppend(data, rows);
    const model = columnKinds(tab);
    const kinds = data.header.map((h) => model.get(normalizeName(String(h ?? ''))));
    if (kinds.some(needsTyping)) {
      const timeZone = await this.orgTimeZone();
      for (const row of cells) row.forEach((value, j) => (row[j] = typedValue(kinds[j], value, timeZone)));
    }
    if (data.header.length > width) await this.client.writeValues(this.spreadsheetId, [await this.headerWrite(existing, data, width)], `add columns to ${existing.title}`);
    await this.client.append(this.spreadsheetId, existing.title, cells, `append ${cells.length} rows to ${existing.title}`);
  }

  async updateCells(tab: string, idColumn: RowKey, updates: CellUpdate[]): Promise<UpdateResult> {
    const existing = updates.length > 0 ? await this.tab(tab) : undefined;
    if (!existing) return { written: 0, skippedNotBlank: [], refusedMissingId: [...updates] };
    const kinds = columnKinds(tab);
    const typedColumn = updates.some((u) => needsTyping(kinds.get(normalizeName(u.column))));
    const timeZone = typedColumn ? await this.orgTimeZone() : '';
    // The updates with typed values, each mapped back to the caller's own for the result.
    const original = new Map<CellUpdate, CellUpdate>();
    const typed = updates.map((u) => {
      const update = { ...u, value: typedValue(kinds.get(normalizeName(u.column)), u.value ?? '', timeZone) };
      original.set(update, u);
      return update;
    });
    const what = `write ${updates.length} ${updates.length === 1 ? 'cell' : 'cells'} in ${existing.title}`;
    return this.client.cycle(what, this.spreadsheetId, async () => {
      const result: UpdateResult = { written: 0, skippedNotBlank: [], refusedMissingId: [] };
      let pending = typed;
      for (let round = 1; ; round++) {
        const data = await this.readTab(existing);
        const width = data.header.length;
        const planned = planCellUpdates(data, idColumn, pending);
        for (const u of planned.result.skippedNotBlank) result.skippedNotBlank.push(original.get(u)!);
        for (const u of planned.result.refusedMissingId) result.refusedMissingId.push(original.get(u)!);
        const writes = planned.writes;
        // Every update not skipped or refused sits on its own row when the cycle returns.
        result.written = updates.length - result.skippedNotBlank.length - result.refusedMissingId.length;
        if (writes.length === 0) return result;
        const cells: ValueWrite[] = writes.map((w) => cellWrite(existing, w));
        if (data.header.length > width) cells.unshift(await this.headerWrite(existing, data, width));
        await this.client.writeValues(this.spreadsheetId, cells, `${what}${round > 1 ? ` (again, round ${round})` : ''}`);
        const after = await this.readTab(existing);
        const { redo, undo } = checkWrites(data, after, keyIndexes(data, idColumn), writes);
        if (undo.length > 0) {
          this.client.log(`sheets: rows of ${existing.title} moved while writing; ${undo.length} ${undo.length === 1 ? 'cell' : 'cells'} put back and the writes redone where the rows are now`);
          await this.client.writeValues(this.spreadsheetId, undo.map((w) => cellWrite(existing, w)), `put back ${undo.length} cells in ${existing.title}`);
        }
        if (redo.length === 0) return result;
        if (round >= MAX_ROUNDS) throw new SourceError(`cannot ${what}: rows kept moving while writing (${MAX_ROUNDS} tries): wait until nobody is sorting or inserting rows in ${existing.title}, and run again`);
        const again = new Set(redo.map((w) => w.id));
        pending = pending.filter((update) => again.has(update.id));
      }
    });
  }

  /**
   * Rows removed from the bottom up, neighbouring rows as one range (a mailing's rows sit
   * together), in requests of at most 2 MB (compact can delete hundreds of thousands of rows),
   * checked just before (read) and after (read back): a row that was deleted though it did not
   * match (staff inserted a row above it between our read and our delete, or between two of the
   * requests) is put back where it was, and the rows that still match are deleted again at their
   * new place. Bottom-up, a request never moves the rows that the next one deletes.
   */
  async deleteRows(tab: string, column: string, values: string[]): Promise<number> {
    const existing = await this.tab(tab);
    if (!existing) return 0;
    // How many matched at the first read: a cycle re-run after an error finds the ones deleted gone.
    let matched: number | undefined;
    // Rows deleted by mistake, kept until they are back: if putting them back fails, the next try does it.
    const missing: LostRow[] = [];
    return this.client.cycle(`delete rows from ${existing.title}`, this.spreadsheetId, async () => {
      for (let round = 1; ; round++) {
        let data = await this.readTab(existing);
        if (missing.length > 0) {
          const present = new Set(data.rows.map(rowKey));
          const absent = missing.filter((m) => !present.has(rowKey(m.cells)));
          if (absent.length > 0) await this.putBack(existing, absent);
          missing.length = 0;
          if (absent.length > 0) data = await this.readTab(existing);
        }
        const rows = rowsMatching(data, column, values).sort((a, b) => b - a);
        matched ??= rows.length;
        if (rows.length === 0) return matched;
        const requests = rowRanges(rows).map(({ start, end }) => ({ deleteDimension: { range: { sheetId: existing.sheetId, dimension: 'ROWS', startIndex: start + 1, endIndex: end + 1 } } }));
        const parts = groupByBytes(requests, this.client.maxBodyBytes - BODY_ROOM);
        for (const [i, part] of parts.entries()) {
          const what = `delete ${rows.length} rows from ${existing.title}${parts.length > 1 ? ` (part ${i + 1} of ${parts.length})` : ''}`;
          await this.client.batchUpdate(this.spreadsheetId, part, what, { idempotent: false });
        }
        const after = await this.readTab(existing);
        const lost = rowsLost(data, rows, after);
        if (lost.length === 0) continue;
        this.client.log(`sheets: rows of ${existing.title} moved while deleting; ${lost.length} ${lost.length === 1 ? 'row' : 'rows'} deleted by mistake put back`);
        for (const index of lost) missing.push({ index, cells: data.rows[index] });
        await this.putBack(existing, missing);
        missing.length = 0;
        if (round >= MAX_ROUNDS) throw new SourceError(`cannot delete rows from ${existing.title}: rows kept moving while deleting (${MAX_ROUNDS} tries): wait until nobody is sorting or inserting rows there, and run again`);
      }
    });
  }

  /**
   * Rows inserted again top-down, each at its index as read (the rows above it are back by then),
   * in requests of at most 2 MB, each atomic (a row's insert and its values go together).
   */
  private async putBack(tab: SheetTab, rows: LostRow[]): Promise<void> {
    const pairs = [...rows].sort((a, b) => a.index - b.index).map(({ index, cells }) => [
      { insertDimension: { range: { sheetId: tab.sheetId, dimension: 'ROWS', startIndex: index + 1, endIndex: index + 2 }, inheritFromBefore: true } },
      { updateCells: { start: { sheetId: tab.sheetId, rowIndex: index + 1, columnIndex: 0 }, rows: [{ values: cells.map(cellData) }], fields: 'userEnteredValue' } },
    ]);
    for (const part of groupByBytes(pairs, this.client.maxBodyBytes - BODY_ROOM)) {
      await this.client.batchUpdate(this.spreadsheetId, part.flat(), `put back ${part.length} rows in ${tab.title}`, { idempotent: false });
    }
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

  /** The org's time zone from the settings tab (read once, when no full read came first). */
  private async orgTimeZone(): Promise<string> {
    if (this.timeZone) return this.timeZone;
    const settings = await this.tab(SETTINGS_TAB);
    const raw = settings ? await this.readTab(settings) : undefined;
    this.timeZone = settingsTimeZone(raw);
    return this.timeZone;
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
    await this.formatColumns(tab, data.header.map(String), from);
    return { range: `${quoteTab(tab.title)}!${columnLetter(from)}1`, values: [data.header.slice(from)] };
  }

  /**
   * Date-time formats and checkboxes on columns the tool adds (from `from` on), as init-sheet sets
   * them, so the serial numbers and booleans written there show as dates and ticks.
   */
  private async formatColumns(tab: SheetTab, header: string[], from: number): Promise<void> {
    const model = columnKinds(tab.title);
    const kinds = header.map((h, j) => (j >= from ? model.get(normalizeName(h)) : undefined));
    const requests = templateFormats({ title: tab.title, header, kinds, rows: [] }, tab.sheetId).slice(1);
    await this.client.batchUpdate(this.spreadsheetId, requests, `format the new columns of ${tab.title}`);
  }
}

/**
 * A value the tool writes, as a typed cell for its column: yes/no as a boolean (a checkbox shows it
 * ticked or not) and an instant as a serial number in the org's time zone (a DATE_TIME-formatted
 * column shows it as a date and time; sync reads it back as the same instant). RAW input stores
 * JSON booleans and numbers as such (https://developers.google.com/workspace/sheets/api/reference/rest/v4/ValueInputOption).
 */
function typedValue(kind: ColumnKind | undefined, value: RawCell, timeZone: string): RawCell {
  if (typeof value !== 'string' || !needsTyping(kind)) return value;
  return typedCell(kind, value, timeZone);
}

/** A row deleted by mistake: its index and cells as read before the deletion. */
interface LostRow {
  index: number;
  cells: RawCell[];
}

/** One cell of a tab as a values write (rows[0] is spreadsheet row 2). */
const cellWrite = (tab: SheetTab, { row, column, value }: CellWrite): ValueWrite => ({ range: `${quoteTab(tab.title)}!${columnLetter(column)}${row + 2}`, values: [[value]] });

/** Whether the items' JSON is under `limit` bytes, measured only as far as needed (a long list stops early). */
function jsonFits(items: unknown[], limit: number): boolean {
  let bytes = 0;
  for (const item of items) if ((bytes += Buffer.byteLength(JSON.stringify(item)) + 1) > limit) return false;
  return true;
}

const needsTyping = (kind: ColumnKind | undefined) => kind?.type === 'boolean' || kind?.type === 'datetime';

/** The timezone setting of a raw settings tab (key/value rows), else the default. */
function settingsTimeZone(settings: RawTab | undefined): string {
  const header = settings?.header.map((h) => normalizeName(String(h ?? ''))) ?? [];
  const [k, v] = [header.indexOf('key'), header.indexOf('value')];
  const row = k >= 0 && v >= 0 ? settings!.rows.find((cells) => normalizeName(String(cells[k] ?? '')) === 'timezone') : undefined;
  const zone = String(row?.[v] ?? '').trim();
  return zone && validTimeZone(zone) ? zone : defaultSettings().timezone;
}
