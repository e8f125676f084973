import { type KeyObject, generateKeyPairSync, verify } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small stand-in for the Google Sheets v4 API on 127.0.0.1: the calls Tidings makes
 * (spreadsheets.get/create/batchUpdate, values.batchGet/batchUpdate/append), a spreadsheet kept
 * in memory with typed cells (text, numbers, booleans; dates are numbers in a date-formatted
 * column, as in Sheets), the grid limits Sheets enforces, injected 429/500 answers, and a count
 * of the requests it received. Requests must carry a JWT signed by the test's service-account
 * key, the way google-auth-library signs it.
 */

export type Cell = string | number | boolean;
type Grid = (Cell | undefined)[][];

export interface NumberFormat {
  type: string;
  pattern?: string;
}

export interface ValidationRule {
  condition: { type: string; values?: { userEnteredValue: string }[] };
  strict?: boolean;
  showCustomUi?: boolean;
}

export interface FakeTab {
  sheetId: number;
  title: string;
  rowCount: number;
  columnCount: number;
  frozenRowCount: number;
  cells: Grid;
  /** By column index (validation and number formats are set on whole columns below the header). */
  validations: Map<number, ValidationRule>;
  numberFormats: Map<number, NumberFormat>;
  boldRows: Set<number>;
}

export interface FakeSpreadsheet {
  id: string;
  title: string;
  tabs: FakeTab[];
}

interface Fault {
  status: number;
  retryAfter?: string;
  remaining: number;
  when: (method: string, path: string) => boolean;
}

/** A throwaway service account: the key google-auth-library signs with, and the JSON key file holding it. */
export function testServiceAccount(email = 'tidings-test@tidings-test.iam.gserviceaccount.com') {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const json = {
    type: 'service_account',
    project_id: 'tidings-test',
    private_key_id: 'test-key-1',
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: email,
    client_id: '1',
    auth_uri: 'http://127.0.0.1:9/auth',
    token_uri: 'http://127.0.0.1:9/token',
  };
  return { email, publicKey, json: JSON.stringify(json) };
}

class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

const DEFAULT_ROWS = 1000;
const DEFAULT_COLUMNS = 26;

export class FakeSheetsServer {
  readonly spreadsheets = new Map<string, FakeSpreadsheet>();
  /** Every API request received (faulted ones included), in order. */
  readonly requests: { method: string; path: string }[] = [];
  rootUrl = '';
  private faults: Fault[] = [];
  private server?: Server;
  private nextSpreadsheet = 1;

  constructor(private readonly account: { email: string; publicKey: KeyObject }) {}

  static async start(account: { email: string; publicKey: KeyObject }): Promise<FakeSheetsServer> {
    const fake = new FakeSheetsServer(account);
    fake.server = createServer((req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => fake.server!.listen(0, '127.0.0.1', resolve));
    fake.rootUrl = `http://127.0.0.1:${(fake.server!.address() as AddressInfo).port}/`;
    return fake;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** The next `times` requests matching `when` get `status` (429 with Retry-After, 500, …). */
  fail(status: number, options: { times?: number; retryAfter?: string; when?: (method: string, path: string) => boolean } = {}) {
    this.faults.push({ status, retryAfter: options.retryAfter, remaining: options.times ?? 1, when: options.when ?? (() => true) });
  }

  /** A spreadsheet holding these tabs (typed cells as given; dates as serial numbers). */
  addSpreadsheet(id: string, tabs: Record<string, Cell[][]>, title = 'Donors'): FakeSpreadsheet {
    const sheet: FakeSpreadsheet = { id, title, tabs: [] };
    Object.entries(tabs).forEach(([name, rows], i) => {
      const tab = newTab(i + 1, name);
      tab.cells = rows.map((r) => r.map((c) => (c === '' ? undefined : c)));
      tab.rowCount = Math.max(DEFAULT_ROWS, rows.length);
      sheet.tabs.push(tab);
    });
    this.spreadsheets.set(id, sheet);
    return sheet;
  }

  tab(spreadsheetId: string, title: string): FakeTab {
    const tab = this.spreadsheets.get(spreadsheetId)?.tabs.find((t) => t.title === title);
    if (!tab) throw new Error(`no tab ${title} in ${spreadsheetId}`);
    return tab;
  }

  /** A tab's cells as the API returns them unformatted (blank cells as ''). */
  values(spreadsheetId: string, title: string): Cell[][] {
    return trimmed(this.tab(spreadsheetId, title).cells);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.rootUrl);
    const method = req.method ?? 'GET';
    this.requests.push({ method, path: url.pathname });
    try {
      this.authorize(req.headers.authorization);
      const fault = this.faults.find((f) => f.remaining > 0 && f.when(method, url.pathname));
      if (fault) {
        fault.remaining--;
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
        res.writeHead(fault.status, headers);
        res.end(JSON.stringify({ error: { code: fault.status, message: fault.status === 429 ? 'Quota exceeded for quota metric \'Read requests\'' : 'Internal error encountered.', status: fault.status === 429 ? 'RESOURCE_EXHAUSTED' : 'INTERNAL' } }));
        return;
      }
      const body = method === 'POST' ? await readJson(req) : undefined;
      this.reply(res, 200, this.route(method, url, body));
    } catch (error) {
      const status = error instanceof ApiError ? error.status : 500;
      this.reply(res, status, { error: { code: status, message: (error as Error).message } });
    }
  }

  private reply(res: ServerResponse, status: number, body: unknown) {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  /** A self-signed service-account JWT (RS256) with the Sheets scope, from the test's account. */
  private authorize(header: string | undefined) {
    const token = /^Bearer (.+)$/.exec(header ?? '')?.[1];
    const [head, payload, signature] = token?.split('.') ?? [];
    if (!head || !payload || !signature) throw new ApiError(401, 'Request is missing required authentication credential.');
    const ok = verify('RSA-SHA256', Buffer.from(`${head}.${payload}`), this.account.publicKey, Buffer.from(signature, 'base64url'));
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (!ok || claims.iss !== this.account.email || !String(claims.scope ?? '').includes('auth/spreadsheets') || claims.exp * 1000 < Date.now()) {
      throw new ApiError(401, 'Request had invalid authentication credentials.');
    }
  }

  private route(method: string, url: URL, body: any): unknown {
    const path = url.pathname;
    if (method === 'POST' && path === '/v4/spreadsheets') return this.create(body);
    const m = /^\/v4\/spreadsheets\/([^/:]+)(.*)$/.exec(path);
    if (!m) throw new ApiError(404, `no route ${method} ${path}`);
    const sheet = this.spreadsheets.get(m[1]);
    if (!sheet) throw new ApiError(404, 'Requested entity was not found.');
    const rest = m[2];
    if (method === 'GET' && rest === '') return describe(sheet);
    if (method === 'POST' && rest === ':batchUpdate') return { spreadsheetId: sheet.id, replies: body.requests.map((r: any) => applyRequest(sheet, r)) };
    if (method === 'GET' && rest === '/values:batchGet') {
      const unformatted = url.searchParams.get('valueRenderOption') === 'UNFORMATTED_VALUE';
      const serial = url.searchParams.get('dateTimeRenderOption') === 'SERIAL_NUMBER';
      return {
        spreadsheetId: sheet.id,
        valueRanges: url.searchParams.getAll('ranges').map((range) => readRange(sheet, range, unformatted, serial)),
      };
    }
    if (method === 'POST' && rest === '/values:batchUpdate') {
      if (body.valueInputOption !== 'RAW') throw new ApiError(400, 'this fake stores RAW input only');
      for (const { range, values } of body.data) writeRange(sheet, range, values);
      return { spreadsheetId: sheet.id, totalUpdatedCells: body.data.reduce((n: number, d: any) => n + d.values.flat().length, 0) };
    }
    const append = /^\/values\/(.+):append$/.exec(rest);
    if (method === 'POST' && append) {
      if (url.searchParams.get('valueInputOption') !== 'RAW') throw new ApiError(400, 'this fake stores RAW input only');
      const { tab } = parseA1(sheet, decodeURIComponent(append[1]));
      const start = trimmed(tab.cells).length;
      tab.rowCount = Math.max(tab.rowCount, start + body.values.length);
      writeCells(tab, start, 0, body.values);
      return { spreadsheetId: sheet.id, updates: { updatedRows: body.values.length } };
    }
    throw new ApiError(404, `no route ${method} ${path}`);
  }

  private create(body: any): unknown {
    const id = `fake-spreadsheet-${this.nextSpreadsheet++}`;
    const sheet: FakeSpreadsheet = { id, title: body?.properties?.title ?? 'Untitled spreadsheet', tabs: [] };
    const tabs: any[] = body?.sheets?.length ? body.sheets : [{ properties: { title: 'Sheet1' } }];
    tabs.forEach((t, i) => addTab(sheet, { sheetId: i, ...t.properties }));
    this.spreadsheets.set(id, sheet);
    return describe(sheet);
  }
}

function newTab(sheetId: number, title: string): FakeTab {
  return {
    sheetId, title, rowCount: DEFAULT_ROWS, columnCount: DEFAULT_COLUMNS, frozenRowCount: 0, cells: [],
    validations: new Map(), numberFormats: new Map(), boldRows: new Set(),
  };
}

function addTab(sheet: FakeSpreadsheet, properties: any): FakeTab {
  if (sheet.tabs.some((t) => t.title === properties.title)) throw new ApiError(400, `A sheet with the name "${properties.title}" already exists. Please enter another name.`);
  if (properties.sheetId !== undefined && sheet.tabs.some((t) => t.sheetId === properties.sheetId)) throw new ApiError(400, `sheet id ${properties.sheetId} is taken`);
  const tab = newTab(properties.sheetId ?? Math.max(0, ...sheet.tabs.map((t) => t.sheetId)) + 1, properties.title);
  setGrid(tab, properties.gridProperties ?? {});
  sheet.tabs.push(tab);
  return tab;
}

function setGrid(tab: FakeTab, grid: { rowCount?: number; columnCount?: number; frozenRowCount?: number }) {
  if (grid.rowCount !== undefined) {
    tab.rowCount = grid.rowCount;
    tab.cells.length = Math.min(tab.cells.length, grid.rowCount);
  }
  if (grid.columnCount !== undefined) {
    tab.columnCount = grid.columnCount;
    for (const row of tab.cells) if (row) row.length = Math.min(row.length, grid.columnCount);
  }
  if (grid.frozenRowCount !== undefined) {
    if (grid.frozenRowCount >= tab.rowCount) throw new ApiError(400, "You can't freeze all visible rows on the sheet.");
    tab.frozenRowCount = grid.frozenRowCount;
  }
}

function describe(sheet: FakeSpreadsheet) {
  return {
    spreadsheetId: sheet.id,
    properties: { title: sheet.title },
    sheets: sheet.tabs.map((t, index) => ({
      properties: { sheetId: t.sheetId, title: t.title, index, gridProperties: { rowCount: t.rowCount, columnCount: t.columnCount, frozenRowCount: t.frozenRowCount } },
    })),
    spreadsheetUrl: `https://docs.google.com/spreadsheets/d/${sheet.id}/edit`,
  };
}

function tabById(sheet: FakeSpreadsheet, sheetId: number): FakeTab {
  const tab = sheet.tabs.find((t) => t.sheetId === (sheetId ?? 0));
  if (!tab) throw new ApiError(400, `No grid with id: ${sheetId}`);
  return tab;
}

/** Applies one spreadsheets.batchUpdate request; unknown kinds are refused so tests notice. */
function applyRequest(sheet: FakeSpreadsheet, request: any): unknown {
  const [kind, r] = Object.entries(request)[0] as [string, any];
  switch (kind) {
    case 'addSheet':
      return { addSheet: { properties: { sheetId: addTab(sheet, r.properties).sheetId, title: r.properties.title } } };
    case 'deleteSheet': {
      if (sheet.tabs.length === 1) throw new ApiError(400, "You can't remove all the sheets in a document.");
      sheet.tabs = sheet.tabs.filter((t) => t.sheetId !== tabById(sheet, r.sheetId).sheetId);
      return {};
    }
    case 'updateSheetProperties': {
      const tab = tabById(sheet, r.properties.sheetId);
      if (r.properties.title !== undefined) tab.title = r.properties.title;
      setGrid(tab, r.properties.gridProperties ?? {});
      return {};
    }
    case 'updateCells': {
      const tab = tabById(sheet, (r.range ?? r.start).sheetId);
      const top = r.range?.startRowIndex ?? r.start?.rowIndex ?? 0;
      const left = r.range?.startColumnIndex ?? r.start?.columnIndex ?? 0;
      const rows: Cell[][] = (r.rows ?? []).map((row: any) => (row.values ?? []).map(fromCellData));
      if (r.range) {
        // Cells of the range the rows do not cover are cleared.
        const bottom = r.range.endRowIndex ?? tab.rowCount;
        const right = r.range.endColumnIndex ?? tab.columnCount;
        for (let i = top; i < Math.min(bottom, tab.cells.length); i++) for (let j = left; j < right; j++) if (tab.cells[i]) tab.cells[i][j] = undefined;
      }
      writeCells(tab, top, left, rows);
      return {};
    }
    case 'repeatCell': {
      const tab = tabById(sheet, r.range.sheetId);
      const format = r.cell?.userEnteredFormat ?? {};
      if (format.textFormat?.bold) for (let i = r.range.startRowIndex ?? 0; i < (r.range.endRowIndex ?? tab.rowCount); i++) tab.boldRows.add(i);
      if (format.numberFormat) for (const c of columnsOf(tab, r.range)) tab.numberFormats.set(c, format.numberFormat);
      return {};
    }
    case 'setDataValidation': {
      const tab = tabById(sheet, r.range.sheetId);
      for (const c of columnsOf(tab, r.range)) tab.validations.set(c, r.rule);
      return {};
    }
    case 'appendDimension': {
      const tab = tabById(sheet, r.sheetId);
      if (r.dimension === 'ROWS') tab.rowCount += r.length;
      else tab.columnCount += r.length;
      return {};
    }
    case 'insertDimension':
    case 'deleteDimension': {
      const tab = tabById(sheet, r.range.sheetId);
      if (r.range.dimension !== 'ROWS') throw new ApiError(400, 'this fake inserts and deletes rows only');
      const count = r.range.endIndex - r.range.startIndex;
      if (kind === 'insertDimension') {
        tab.cells.splice(r.range.startIndex, 0, ...Array.from({ length: count }, () => []));
        tab.rowCount += count;
      } else {
        tab.cells.splice(r.range.startIndex, count);
        tab.rowCount -= count;
      }
      return {};
    }
    default:
      throw new ApiError(400, `this fake does not support the request ${kind}`);
  }
}

function columnsOf(tab: FakeTab, range: any): number[] {
  const out: number[] = [];
  for (let c = range.startColumnIndex ?? 0; c < (range.endColumnIndex ?? tab.columnCount); c++) out.push(c);
  return out;
}

function fromCellData(cell: any): Cell {
  const v = cell?.userEnteredValue;
  if (!v) return '';
  if ('numberValue' in v) return v.numberValue;
  if ('boolValue' in v) return v.boolValue;
  if ('formulaValue' in v) throw new ApiError(400, 'this fake does not evaluate formulas');
  return v.stringValue ?? '';
}

function writeCells(tab: FakeTab, top: number, left: number, rows: Cell[][]) {
  rows.forEach((row, i) => {
    row.forEach((value, j) => {
      if (top + i >= tab.rowCount || left + j >= tab.columnCount) {
        throw new ApiError(400, `Range ('${tab.title}'!R${top + i + 1}C${left + j + 1}) exceeds grid limits. Max rows: ${tab.rowCount}, max columns: ${tab.columnCount}`);
      }
      const cells = (tab.cells[top + i] ??= []);
      cells[left + j] = value === '' || value === null ? undefined : value;
    });
  });
}

/** A1 notation: 'tab name'!B3, tab!A1:C9, or a whole tab. */
function parseA1(sheet: FakeSpreadsheet, range: string): { tab: FakeTab; row: number; column: number } {
  let title: string;
  let rest = '';
  if (range.startsWith("'")) {
    let i = 1;
    title = '';
    for (; i < range.length; i++) {
      if (range[i] === "'" && range[i + 1] === "'") {
        title += "'";
        i++;
      } else if (range[i] === "'") break;
      else title += range[i];
    }
    rest = range.slice(i + 1).replace(/^!/, '');
  } else {
    [title, rest = ''] = range.split('!');
  }
  const tab = sheet.tabs.find((t) => t.title === title);
  if (!tab) throw new ApiError(400, `Unable to parse range: ${range}`);
  const cell = /^([A-Z]+)(\d+)/.exec(rest);
  if (rest && !cell) throw new ApiError(400, `this fake reads whole tabs and writes from a start cell, not ${range}`);
  if (!cell) return { tab, row: 0, column: 0 };
  const column = [...cell[1]].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
  return { tab, row: Number(cell[2]) - 1, column };
}

function writeRange(sheet: FakeSpreadsheet, range: string, values: Cell[][]) {
  const { tab, row, column } = parseA1(sheet, range);
  writeCells(tab, row, column, values);
}

/** What the API returns: trailing blanks trimmed, blanks inside a row as ''. */
function trimmed(grid: Grid): Cell[][] {
  const rows = grid.map((row) => {
    const cells = (row ?? []).map((c) => (c === undefined ? '' : c));
    while (cells.length && cells[cells.length - 1] === '') cells.pop();
    return cells;
  });
  while (rows.length && rows[rows.length - 1].length === 0) rows.pop();
  return rows;
}

function readRange(sheet: FakeSpreadsheet, range: string, unformatted: boolean, serialDates: boolean) {
  const { tab, row, column } = parseA1(sheet, range);
  if (row !== 0 || column !== 0) throw new ApiError(400, 'this fake reads whole tabs only');
  const values = trimmed(tab.cells).map((cells) => cells.map((c, j) => render(c, tab.numberFormats.get(j), unformatted, serialDates)));
  return { range: `${tab.title}!A1:Z${tab.rowCount}`, majorDimension: 'ROWS', ...(values.length ? { values } : {}) };
}

/** As Sheets renders a cell: formatted (en-US locale) unless asked for unformatted values. */
function render(cell: Cell, format: NumberFormat | undefined, unformatted: boolean, serialDates: boolean): Cell {
  const isDate = typeof cell === 'number' && (format?.type === 'DATE' || format?.type === 'DATE_TIME');
  if (isDate && !serialDates) {
    const d = new Date(Date.UTC(1899, 11, 30) + Math.round(cell * 86_400_000));
    return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}`;
  }
  if (unformatted) return cell;
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  return typeof cell === 'number' ? cell.toLocaleString('en-US') : cell;
}

async function readJson(req: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
}
