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
 *
 * Documented behaviours it has, each cited where it is implemented:
 * - the 10,000,000-cell ceiling on the grid (every GRID sheet's rowCount × columnCount, blank
 *   cells included), on whatever would grow the grid;
 * - per-minute quotas, 60 reads and 60 writes per user (opt-in: `quota`), answered 429 RESOURCE_EXHAUSTED;
 * - request bodies: no hard limit is documented, so none is enforced, but every body's size is
 *   recorded so tests can check we stay within the 2 MB Google recommends;
 * - chart sheets (sheetType OBJECT, no gridProperties), whose values cannot be read;
 * - 403 PERMISSION_DENIED as not shared, insufficient scopes, or API not enabled;
 * - hung connections (`hang`), and staff editing between requests (`beforeHandling`, `editRows`).
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
  /** GRID (a table) or OBJECT (a chart sheet: no grid, no cells). */
  sheetType: 'GRID' | 'OBJECT';
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
  /** Whether the test's service account may open it (false: staff never shared it). */
  shared: boolean;
}

/** One request as received: its body size lets tests check we keep to Google's 2 MB advice. */
export interface ReceivedRequest {
  method: string;
  path: string;
  bytes: number;
}

/** Which requests a fault, hang or hook applies to: by method, path and the request body's text. */
type Matcher = (method: string, path: string, body: string) => boolean;

// "up to 10 million cells or 18,278 columns" per spreadsheet (https://support.google.com/drive/answer/37603);
// the limit counts the grid, blank cells included, and is checked when the grid would grow. The
// text is the API's answer as clients quote it (e.g. looker-open-source/actions#674, gspread users).
export const CELL_LIMIT = 10_000_000;
const CELL_LIMIT_MESSAGE = `This action would increase the number of cells in the workbook above the limit of ${CELL_LIMIT} cells.`;

/** Cells in a spreadsheet's grid: rowCount × columnCount of every GRID sheet (chart sheets have none). */
export function gridCells(sheet: FakeSpreadsheet): number {
  let cells = 0;
  for (const tab of sheet.tabs) if (tab.sheetType === 'GRID') cells += tab.rowCount * tab.columnCount;
  return cells;
}

function checkCellLimit(sheet: FakeSpreadsheet, growth: number, where = '') {
  if (growth > 0 && gridCells(sheet) + growth > CELL_LIMIT) throw new ApiError(400, `${where}${CELL_LIMIT_MESSAGE}`, 'INVALID_ARGUMENT');
}

interface Fault {
  status: number;
  retryAfter?: string;
  remaining: number;
  when: Matcher;
  /** The request is carried out, then answered with the error: a 5xx or a lost answer after the change was made. */
  afterApplying?: boolean;
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

/** An answer in Google's error model: { error: { code, message, status, details } } (https://cloud.google.com/apis/design/errors). */
class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly code = status === 400 ? 'INVALID_ARGUMENT' : status === 404 ? 'NOT_FOUND' : status === 401 ? 'UNAUTHENTICATED' : 'INTERNAL', readonly details?: unknown[]) {
    super(message);
  }
}

/** An ErrorInfo detail as Google APIs attach it to an error (reason, domain, metadata). */
const errorInfo = (reason: string, metadata: Record<string, string> = {}) => ({
  '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, domain: 'googleapis.com', metadata: { service: 'sheets.googleapis.com', ...metadata },
});

// The OAuth scopes each kind of call accepts, from the "Authorization scopes" section of the
// reference pages (spreadsheets.get and values.batchGet: any of the five; batchUpdate, values.batchUpdate,
// values.append, create: the three that allow writing).
const READ_SCOPES = ['spreadsheets', 'spreadsheets.readonly', 'drive', 'drive.readonly', 'drive.file'].map((s) => `https://www.googleapis.com/auth/${s}`);
const WRITE_SCOPES = ['spreadsheets', 'drive', 'drive.file'].map((s) => `https://www.googleapis.com/auth/${s}`);
/** Reads are GET (spreadsheets.get, values.batchGet); every POST changes the spreadsheet. */
const isRead = (method: string) => method === 'GET';

const DEFAULT_ROWS = 1000;
const DEFAULT_COLUMNS = 26;

export class FakeSheetsServer {
  readonly spreadsheets = new Map<string, FakeSpreadsheet>();
  /** Every API request received (faulted ones included), in order. */
  readonly requests: ReceivedRequest[] = [];
  rootUrl = '';
  /** false: the Cloud project of the credentials has not enabled the Sheets API. */
  apiEnabled = true;
  /**
   * Per-minute quotas, when set: "Per minute per user per project: 60" read requests and 60 write
   * requests, refilled every minute; more is "429: Too many requests"
   * (https://developers.google.com/workspace/sheets/api/limits). `now` is the test's clock.
   */
  quota?: { perMinute: number; now: () => number };
  private readonly used = { read: [] as number[], write: [] as number[] };
  private faults: Fault[] = [];
  private hangs: { remaining: number; when: Matcher; forMs?: number }[] = [];
  private hooks: { remaining: number; when: Matcher; run: () => void }[] = [];
  private readonly hung = new Set<ServerResponse>();
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
    for (const res of this.hung) res.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /**
   * The next `times` requests matching `when` get no answer at all (a hung connection) until the
   * client gives up, or, with `forMs`, a slow answer that comes after that long.
   */
  hang(options: { times?: number; when?: Matcher; forMs?: number } = {}) {
    this.hangs.push({ remaining: options.times ?? 1, when: options.when ?? (() => true), forMs: options.forMs });
  }

  /**
   * Runs `run` (a staff member's edit) when the next `times` requests matching `when` arrive, before
   * they are answered: what staff do between our read and our write, or between a 429 and its retry.
   */
  beforeHandling(when: Matcher, run: () => void, times = 1) {
    this.hooks.push({ remaining: times, when, run });
  }

  /**
   * Staff edit the rows under a tab's header as they would in the browser (sort, insert, delete):
   * `edit` gets the rows and returns the new rows; the grid grows or shrinks with them, as
   * inserting or deleting rows does.
   */
  editRows(spreadsheetId: string, title: string, edit: (rows: Cell[][]) => Cell[][]) {
    const tab = this.tab(spreadsheetId, title);
    const [header = [], ...rows] = trimmed(tab.cells);
    const next = edit(rows);
    tab.rowCount += next.length - rows.length;
    tab.cells = [header, ...next].map((r) => r.map((c) => (c === '' ? undefined : c)));
  }

  /** A chart sheet: sheetType OBJECT, no grid (https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/sheets#SheetType). */
  addChartSheet(spreadsheetId: string, title: string): FakeTab {
    const sheet = this.spreadsheets.get(spreadsheetId)!;
    const tab = { ...newTab(Math.max(0, ...sheet.tabs.map((t) => t.sheetId)) + 1, title), sheetType: 'OBJECT' as const, rowCount: 0, columnCount: 0 };
    sheet.tabs.push(tab);
    return tab;
  }

  /**
   * Sets a tab's grid size without filling any cell, so a test can put a spreadsheet at, say,
   * 9.5 million cells cheaply (blank cells count against the limit all the same).
   */
  setGridSize(spreadsheetId: string, title: string, rowCount: number, columnCount: number) {
    const tab = this.tab(spreadsheetId, title);
    tab.rowCount = rowCount;
    tab.columnCount = columnCount;
  }

  /** Cells in a spreadsheet's grid, as the 10 million limit counts them. */
  gridCells(spreadsheetId: string): number {
    return gridCells(this.spreadsheets.get(spreadsheetId)!);
  }

  /** The next `times` requests matching `when` get `status` (429 with Retry-After, 500, …). */
  fail(status: number, options: { times?: number; retryAfter?: string; when?: Matcher; afterApplying?: boolean } = {}) {
    this.faults.push({ status, retryAfter: options.retryAfter, remaining: options.times ?? 1, when: options.when ?? (() => true), afterApplying: options.afterApplying });
  }

  /** A spreadsheet holding these tabs (typed cells as given; dates as serial numbers). */
  addSpreadsheet(id: string, tabs: Record<string, Cell[][]>, title = 'Donors'): FakeSpreadsheet {
    const sheet: FakeSpreadsheet = { id, title, tabs: [], shared: true };
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
    const text = await readBody(req);
    this.requests.push({ method, path: url.pathname, bytes: Buffer.byteLength(text) });
    try {
      const hang = this.hangs.find((h) => h.remaining > 0 && h.when(method, url.pathname, text));
      if (hang) {
        hang.remaining--;
        if (hang.forMs === undefined) {
          this.hung.add(res);
          res.on('close', () => this.hung.delete(res));
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, hang.forMs));
        if (res.destroyed) return;
      }
      for (const hook of this.hooks) {
        if (hook.remaining > 0 && hook.when(method, url.pathname, text)) {
          hook.remaining--;
          hook.run();
        }
      }
      this.authorize(req.headers.authorization, method);
      const fault = this.faults.find((f) => f.remaining > 0 && f.when(method, url.pathname, text));
      if (fault) {
        fault.remaining--;
        if (fault.afterApplying) this.route(method, url, text ? JSON.parse(text) : {});
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
        res.writeHead(fault.status, headers);
        res.end(JSON.stringify({ error: { code: fault.status, message: fault.status === 429 ? quotaMessage(method) : 'Internal error encountered.', status: fault.status === 429 ? 'RESOURCE_EXHAUSTED' : 'INTERNAL' } }));
        return;
      }
      this.countQuota(method);
      this.reply(res, 200, this.route(method, url, text ? JSON.parse(text) : {}));
    } catch (error) {
      const e = error instanceof ApiError ? error : new ApiError(500, (error as Error).message);
      this.reply(res, e.status, { error: { code: e.status, message: e.message, status: e.code, ...(e.details ? { details: e.details } : {}) } });
    }
  }

  /** The per-minute quota: requests of the last 60 s of the test's clock, reads and writes apart. */
  private countQuota(method: string) {
    if (!this.quota) return;
    const now = this.quota.now();
    const used = this.used[isRead(method) ? 'read' : 'write'];
    while (used.length && used[0] <= now - 60_000) used.shift();
    if (used.length >= this.quota.perMinute) throw new ApiError(429, quotaMessage(method), 'RESOURCE_EXHAUSTED');
    used.push(now);
  }

  private reply(res: ServerResponse, status: number, body: unknown) {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  /**
   * A self-signed service-account JWT (RS256) from the test's account, carrying a scope that allows
   * the call; then whether the project has the API enabled.
   */
  private authorize(header: string | undefined, method: string) {
    const token = /^Bearer (.+)$/.exec(header ?? '')?.[1];
    const [head, payload, signature] = token?.split('.') ?? [];
    if (!head || !payload || !signature) throw new ApiError(401, 'Request is missing required authentication credential.');
    const ok = verify('RSA-SHA256', Buffer.from(`${head}.${payload}`), this.account.publicKey, Buffer.from(signature, 'base64url'));
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (!ok || claims.iss !== this.account.email || claims.exp * 1000 < Date.now()) {
      throw new ApiError(401, 'Request had invalid authentication credentials.');
    }
    const scopes = String(claims.scope ?? '').split(/\s+/);
    if (!scopes.some((s) => (isRead(method) ? READ_SCOPES : WRITE_SCOPES).includes(s))) {
      // The answer Google gives a token without a scope the method accepts (quoted in e.g.
      // googleworkspace/java-samples#110), with the ErrorInfo reason of the current error model.
      throw new ApiError(403, 'Request had insufficient authentication scopes.', 'PERMISSION_DENIED', [errorInfo('ACCESS_TOKEN_SCOPE_INSUFFICIENT')]);
    }
    if (!this.apiEnabled) {
      // The answer for a project that never enabled the API (reason SERVICE_DISABLED, as quoted by its users).
      throw new ApiError(403, 'Google Sheets API has not been used in project 123456789 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/sheets.googleapis.com/overview?project=123456789 then retry. If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry.', 'PERMISSION_DENIED', [errorInfo('SERVICE_DISABLED', { consumer: 'projects/123456789' })]);
    }
  }

  private route(method: string, url: URL, body: any): unknown {
    const path = url.pathname;
    if (method === 'POST' && path === '/v4/spreadsheets') return this.create(body);
    const m = /^\/v4\/spreadsheets\/([^/:]+)(.*)$/.exec(path);
    if (!m) throw new ApiError(404, `no route ${method} ${path}`);
    const sheet = this.spreadsheets.get(m[1]);
    if (!sheet) throw new ApiError(404, 'Requested entity was not found.');
    // A spreadsheet not shared with the caller: "The caller does not have permission" (Google's
    // PERMISSION_DENIED message, as clients quote it).
    if (!sheet.shared) throw new ApiError(403, 'The caller does not have permission', 'PERMISSION_DENIED');
    const rest = m[2];
    if (method === 'GET' && rest === '') return describe(sheet);
    if (method === 'POST' && rest === ':batchUpdate') {
      // "All Sheets requests are applied atomically. That is, if any request is not valid then the
      // entire update is unsuccessful" (https://developers.google.com/workspace/sheets/api/limits):
      // the requests are applied to a copy that replaces the spreadsheet only when all succeed.
      const copy = structuredClone(sheet);
      const replies = body.requests.map((r: any, i: number) => applyRequest(copy, r, i));
      Object.assign(sheet, copy);
      return { spreadsheetId: sheet.id, replies };
    }
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
      const count = body.values.length;
      // InsertDataOption (https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets.values/append#InsertDataOption):
      // INSERT_ROWS: "Rows are inserted for the new data": new rows go in after the table, so the
      // grid grows by exactly the rows appended even when blank rows are left below it (they move
      // down). OVERWRITE (the default): the data is written over the rows after the table, and
      // "adding data to the end of the sheet will still insert new rows", only as many as needed.
      const growth = url.searchParams.get('insertDataOption') === 'INSERT_ROWS' ? count : Math.max(0, start + count - tab.rowCount);
      checkCellLimit(sheet, growth * tab.columnCount);
      // Rows below the table are blank (it ends at the last row with data): moving them down changes no cell.
      tab.rowCount += growth;
      writeCells(tab, start, 0, body.values);
      return { spreadsheetId: sheet.id, updates: { updatedRows: body.values.length } };
    }
    throw new ApiError(404, `no route ${method} ${path}`);
  }

  private create(body: any): unknown {
    const id = `fake-spreadsheet-${this.nextSpreadsheet++}`;
    const sheet: FakeSpreadsheet = { id, title: body?.properties?.title ?? 'Untitled spreadsheet', tabs: [], shared: true };
    const tabs: any[] = body?.sheets?.length ? body.sheets : [{ properties: { title: 'Sheet1' } }];
    tabs.forEach((t, i) => addTab(sheet, { sheetId: i, ...t.properties }));
    this.spreadsheets.set(id, sheet);
    return describe(sheet);
  }
}

function newTab(sheetId: number, title: string): FakeTab {
  return {
    sheetId, title, sheetType: 'GRID', rowCount: DEFAULT_ROWS, columnCount: DEFAULT_COLUMNS, frozenRowCount: 0, cells: [],
    validations: new Map(), numberFormats: new Map(), boldRows: new Set(),
  };
}

function addTab(sheet: FakeSpreadsheet, properties: any, where = ''): FakeTab {
  if (sheet.tabs.some((t) => t.title === properties.title)) throw new ApiError(400, `A sheet with the name "${properties.title}" already exists. Please enter another name.`);
  if (properties.sheetId !== undefined && sheet.tabs.some((t) => t.sheetId === properties.sheetId)) throw new ApiError(400, `sheet id ${properties.sheetId} is taken`);
  const tab = newTab(properties.sheetId ?? Math.max(0, ...sheet.tabs.map((t) => t.sheetId)) + 1, properties.title);
  const grid = properties.gridProperties ?? {};
  checkCellLimit(sheet, (grid.rowCount ?? DEFAULT_ROWS) * (grid.columnCount ?? DEFAULT_COLUMNS), where);
  setGrid(tab, grid);
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

/** spreadsheets.get: a chart sheet has sheetType OBJECT and no gridProperties (those are "only set if this is a grid sheet"). */
function describe(sheet: FakeSpreadsheet) {
  return {
    spreadsheetId: sheet.id,
    properties: { title: sheet.title, timeZone: 'Asia/Taipei' },
    sheets: sheet.tabs.map((t, index) => ({
      properties: {
        sheetId: t.sheetId, title: t.title, index, sheetType: t.sheetType,
        ...(t.sheetType === 'GRID' ? { gridProperties: { rowCount: t.rowCount, columnCount: t.columnCount, frozenRowCount: t.frozenRowCount } } : {}),
      },
    })),
    spreadsheetUrl: `https://docs.google.com/spreadsheets/d/${sheet.id}/edit`,
  };
}

function tabById(sheet: FakeSpreadsheet, sheetId: number): FakeTab {
  const tab = sheet.tabs.find((t) => t.sheetId === (sheetId ?? 0) && t.sheetType === 'GRID');
  if (!tab) throw new ApiError(400, `No grid with id: ${sheetId}`);
  return tab;
}

/**
 * Applies one spreadsheets.batchUpdate request; unknown kinds are refused so tests notice. Errors
 * name the request as Google's do: "Invalid requests[3].addSheet: …".
 */
function applyRequest(sheet: FakeSpreadsheet, request: any, index: number): unknown {
  const [kind, r] = Object.entries(request)[0] as [string, any];
  const where = `Invalid requests[${index}].${kind}: `;
  switch (kind) {
    case 'addSheet':
      return { addSheet: { properties: { sheetId: addTab(sheet, r.properties, where).sheetId, title: r.properties.title } } };
    case 'deleteSheet': {
      if (sheet.tabs.length === 1) throw new ApiError(400, "You can't remove all the sheets in a document.");
      sheet.tabs = sheet.tabs.filter((t) => t.sheetId !== tabById(sheet, r.sheetId).sheetId);
      return {};
    }
    case 'updateSheetProperties': {
      const tab = tabById(sheet, r.properties.sheetId);
      if (r.properties.title !== undefined) tab.title = r.properties.title;
      const grid = r.properties.gridProperties ?? {};
      checkCellLimit(sheet, (grid.rowCount ?? tab.rowCount) * (grid.columnCount ?? tab.columnCount) - tab.rowCount * tab.columnCount, where);
      setGrid(tab, grid);
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
    case 'appendCells': {
      // Rows after the last row with data, growing the grid as needed, so it can meet the cell limit.
      const tab = tabById(sheet, r.sheetId);
      const rows: Cell[][] = (r.rows ?? []).map((row: any) => (row.values ?? []).map(fromCellData));
      const start = trimmed(tab.cells).length;
      const grow = Math.max(0, start + rows.length - tab.rowCount);
      checkCellLimit(sheet, grow * tab.columnCount, where);
      tab.rowCount += grow;
      writeCells(tab, start, 0, rows);
      return {};
    }
    case 'appendDimension': {
      const tab = tabById(sheet, r.sheetId);
      checkCellLimit(sheet, r.length * (r.dimension === 'ROWS' ? tab.columnCount : tab.rowCount), where);
      if (r.dimension === 'ROWS') tab.rowCount += r.length;
      else tab.columnCount += r.length;
      return {};
    }
    case 'insertDimension':
    case 'deleteDimension': {
      const tab = tabById(sheet, r.range.sheetId);
      if (r.range.dimension !== 'ROWS') throw new ApiError(400, 'this fake inserts and deletes rows only');
      const count = r.range.endIndex - r.range.startIndex;
      if ((kind === 'insertDimension' ? r.range.startIndex : r.range.endIndex) > tab.rowCount || count <= 0) throw new ApiError(400, `${where}Invalid range`);
      if (kind === 'insertDimension') {
        checkCellLimit(sheet, count * tab.columnCount, where);
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
  // A chart sheet has no cells: clients that read one as a tab report that the call fails
  // (asweigart/ezsheets#18, a-marenkov/gsheets#17). The exact text is not documented; the fake
  // answers 400 as for any range that is not a grid.
  if (tab.sheetType !== 'GRID') throw new ApiError(400, `Unable to parse range: ${range}`);
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

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Google's 429 text names the quota metric and its per-user limit. */
function quotaMessage(method: string): string {
  const metric = isRead(method) ? 'Read requests' : 'Write requests';
  return `Quota exceeded for quota metric '${metric}' and limit '${metric} per minute per user' of service 'sheets.googleapis.com' for consumer 'project_number:123456789'.`;
}
