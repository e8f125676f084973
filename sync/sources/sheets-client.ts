import { AsyncLocalStorage } from 'node:async_hooks';
import { type sheets_v4, sheets } from '@googleapis/sheets';
import type { GoogleAuth } from 'google-auth-library';
import type { RawCell } from '../cells/result.ts';
import { Backoff, type BackoffClock, DEFAULT_RETRY, type RetryPolicy, statusOf, transientCode } from './backoff.ts';
import { SourceError } from './source.ts';
import { SHEETS_SCOPE, credentialsError, googleAuth, serviceAccountEmail } from './google-auth.ts';

export interface SheetsClientOptions {
  /** Where credentials and TIDINGS_SHEETS_ROOT_URL are read from (default process.env). */
  env?: NodeJS.ProcessEnv;
  auth?: GoogleAuth;
  /** The API's address; a local fake in tests. Default TIDINGS_SHEETS_ROOT_URL, else Google's. */
  rootUrl?: string;
  retry?: RetryPolicy;
  /** Where retries and skipped chart sheets are printed (one line each). */
  log?: (line: string) => void;
  /** How retries wait (tests pass their own clock, so nothing really waits). */
  clock?: BackoffClock;
  /** A values.batchGet is split when its address would be longer than this. */
  maxUrlLength?: number;
  /** No request body is larger than this (Google recommends 2 MB at most). */
  maxBodyBytes?: number;
  /** Each request is given up (and retried) when it has no answer after this long. */
  timeoutMs?: number;
}

/** One tab of a spreadsheet, as spreadsheets.get describes it. */
export interface SheetTab {
  title: string;
  sheetId: number;
  rowCount: number;
  columnCount: number;
}

/** One range of values to write (A1 notation) and its rows. */
export interface ValueWrite {
  range: string;
  values: RawCell[][];
}

// Google's front end refuses very long addresses; well under its limit, with room for the host.
const MAX_URL_LENGTH = 8000;
// "To speed up requests, we recommend a 2 MB maximum payload" (https://developers.google.com/workspace/sheets/api/limits).
// Bodies are kept under 2,000,000 bytes, with room for the JSON around the values.
export const MAX_BODY_BYTES = 2_000_000;
export const BODY_ROOM = 4096;
// Sheets gives up on a request after 180 s of processing ("Behavior and limitations", same page): past
// that no answer is coming, so the client waits a little longer, then retries.
const TIMEOUT_MS = 190_000;

/** A1 notation for a whole tab, quoted so titles with spaces or quotes work. */
export const quoteTab = (title: string) => `'${title.replace(/'/g, "''")}'`;

export const sheetUrl = (spreadsheetId: string) => `https://docs.google.com/spreadsheets/d/${spreadsheetId}/edit`;

const jsonBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

/**
 * Items in consecutive groups whose JSON stays under `limit` bytes (one item larger than that is
 * a group of its own: the caller splits rows before they get here).
 */
export function groupByBytes<T>(items: T[], limit: number, size: (item: T) => number = jsonBytes): T[][] {
  const groups: T[][] = [];
  let bytes = 0;
  for (const item of items) {
    const n = size(item) + 1;
    if (groups.length === 0 || bytes + n > limit) {
      groups.push([]);
      bytes = 0;
    }
    groups[groups.length - 1].push(item);
    bytes += n;
  }
  return groups;
}

/** A write of many rows as several writes of consecutive rows, each under `limit` bytes. */
function splitRows(write: ValueWrite, limit: number): ValueWrite[] {
  const start = /^(.*!)?([A-Z]+)(\d+)$/.exec(write.range);
  if (!start || jsonBytes(write.values) <= limit) return [write];
  let row = Number(start[3]);
  return groupByBytes(write.values, limit).map((values) => {
    const part = { range: `${start[1] ?? ''}${start[2]}${row}`, values };
    row += values.length;
    return part;
  });
}

/** Inside a read-write cycle retried as a whole, each request is sent once: the cycle is what retries. */
const cycle = new AsyncLocalStorage<true>();

/**
 * The Sheets v4 calls Tidings makes, each through one retry layer (Backoff) that counts them.
 * Values are read unformatted with dates as serial numbers, so a staff member's locale never
 * changes what a cell means, and written RAW, so text that looks like a formula stays text.
 * No request body is over 2 MB: large writes go as several requests.
 */
export class SheetsClient {
  readonly auth: GoogleAuth;
  readonly backoff: Backoff;
  readonly maxBodyBytes: number;
  private readonly api: sheets_v4.Sheets;
  private readonly rootUrl: string;
  private readonly maxUrlLength: number;
  private readonly timeoutMs: number;
  readonly log: (line: string) => void;

  constructor(options: SheetsClientOptions = {}) {
    const env = options.env ?? process.env;
    this.auth = options.auth ?? googleAuth(env);
    this.rootUrl = options.rootUrl ?? env.TIDINGS_SHEETS_ROOT_URL ?? 'https://sheets.googleapis.com/';
    this.maxUrlLength = options.maxUrlLength ?? MAX_URL_LENGTH;
    this.maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
    this.timeoutMs = options.timeoutMs ?? TIMEOUT_MS;
    this.log = options.log ?? console.error;
    this.backoff = new Backoff(options.retry ?? DEFAULT_RETRY, this.log, options.clock);
    // retry: false switches off the client library's own retries (3 by default): Backoff is the only layer.
    this.api = sheets({ version: 'v4', auth: this.auth, rootUrl: this.rootUrl, retry: false });
  }

  /**
   * The spreadsheet's grid tabs, in order. Chart sheets (sheetType OBJECT) have no cells to read
   * (https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/sheets#SheetType),
   * so they are left out, with a note.
   */
  async tabs(spreadsheetId: string): Promise<SheetTab[]> {
    const data = await this.call(`read the tab list of ${spreadsheetId}`, spreadsheetId, (options) =>
      this.api.spreadsheets.get({ spreadsheetId, fields: 'sheets.properties(sheetId,title,index,sheetType,gridProperties(rowCount,columnCount))' }, options));
    const tabs: SheetTab[] = [];
    for (const s of data.sheets ?? []) {
      const type = s.properties?.sheetType ?? 'GRID';
      if (type !== 'GRID') {
        this.log(`sheets: skipping "${s.properties?.title}": it is a ${type === 'OBJECT' ? 'chart sheet' : `${type} sheet`}, not a table`);
        continue;
      }
      tabs.push({
        title: s.properties?.title ?? '',
        sheetId: s.properties?.sheetId ?? 0,
        rowCount: s.properties?.gridProperties?.rowCount ?? 0,
        columnCount: s.properties?.gridProperties?.columnCount ?? 0,
      });
    }
    return tabs;
  }

  async create(requestBody: sheets_v4.Schema$Spreadsheet): Promise<string> {
    const data = await this.call('create a spreadsheet', undefined, (options) => this.api.spreadsheets.create({ requestBody, fields: 'spreadsheetId' }, options), { idempotent: false });
    return data.spreadsheetId!;
  }

  /**
   * Structural changes (tabs, formats, validation, row deletion). Sheets applies one request's
   * changes atomically, so the caller keeps what must happen together in one call.
   */
  async batchUpdate(spreadsheetId: string, requests: sheets_v4.Schema$Request[], what: string, { idempotent = true } = {}): Promise<void> {
    if (requests.length === 0) return;
    await this.call(what, spreadsheetId, (options) => this.api.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests } }, options), { idempotent });
  }

  /** The values of each range, in order; one request unless the address would be too long. */
  async batchGet(spreadsheetId: string, ranges: string[]): Promise<RawCell[][][]> {
    const out: RawCell[][][] = [];
    for (const group of this.splitRanges(spreadsheetId, ranges)) {
      const data = await this.call(`read ${group.length} ${group.length === 1 ? 'tab' : 'tabs'}`, spreadsheetId, (options) =>
        this.api.spreadsheets.values.batchGet({
          spreadsheetId, ranges: group, majorDimension: 'ROWS',
          valueRenderOption: 'UNFORMATTED_VALUE', dateTimeRenderOption: 'SERIAL_NUMBER',
        }, options));
      const valueRanges = data.valueRanges ?? [];
      group.forEach((_, i) => out.push((valueRanges[i]?.values ?? []) as RawCell[][]));
    }
    return out;
  }

  /** Values written RAW, in as many values.batchUpdate requests as keep each body under the limit. */
  async writeValues(spreadsheetId: string, data: ValueWrite[], what: string): Promise<void> {
    const limit = this.maxBodyBytes - BODY_ROOM;
    const writes = data.flatMap((write) => splitRows(blankForNull(write), limit));
    const groups = groupByBytes(writes, limit);
    for (const [i, group] of groups.entries()) {
      const part = groups.length > 1 ? `${what} (part ${i + 1} of ${groups.length})` : what;
      await this.call(part, spreadsheetId, (options) =>
        this.api.spreadsheets.values.batchUpdate({ spreadsheetId, requestBody: { valueInputOption: 'RAW', data: group } }, options));
    }
  }

  /** Rows after the last row of the tab's table (Google grows the grid as needed), in parts under the body limit. */
  async append(spreadsheetId: string, tab: string, rows: RawCell[][], what: string): Promise<void> {
    const groups = groupByBytes(blankForNull({ range: tab, values: rows }).values, this.maxBodyBytes - BODY_ROOM);
    for (const [i, values] of groups.entries()) {
      const part = groups.length > 1 ? `${what} (part ${i + 1} of ${groups.length})` : what;
      await this.call(part, spreadsheetId, (options) =>
        this.api.spreadsheets.values.append({
          spreadsheetId, range: quoteTab(tab), valueInputOption: 'RAW', insertDataOption: 'INSERT_ROWS', requestBody: { values },
        }, options), { idempotent: false });
    }
  }

  /**
   * Runs `work` (a read, then writes that depend on it) and, when a request in it meets a 429, a
   * server error or a timeout, waits as Backoff does and runs all of `work` again, so each try
   * re-reads what staff may have changed meanwhile instead of resending a write planned on old rows.
   */
  async cycle<T>(what: string, spreadsheetId: string, work: () => Promise<T>, { idempotent = true } = {}): Promise<T> {
    if (cycle.getStore()) return work();
    try {
      return await this.backoff.run(what, () => cycle.run(true, work), { idempotent, count: false });
    } catch (error) {
      throw await this.explain(error, what, spreadsheetId);
    }
  }

  usage(): string {
    return this.backoff.usage();
  }

  /** Groups ranges so each batchGet address stays under the limit. */
  private splitRanges(spreadsheetId: string, ranges: string[]): string[][] {
    const base = `${this.rootUrl}v4/spreadsheets/${spreadsheetId}/values:batchGet?majorDimension=ROWS&valueRenderOption=UNFORMATTED_VALUE&dateTimeRenderOption=SERIAL_NUMBER`.length;
    return groupByBytes(ranges, this.maxUrlLength - base, (range) => `&ranges=${encodeURIComponent(range)}`.length - 1);
  }

  private async call<T>(what: string, spreadsheetId: string | undefined, request: (options: { timeout: number }) => Promise<{ data: T }>, options?: { idempotent?: boolean }): Promise<T> {
    // The timeout is set on every request: a hung connection fails after it and is retried like a 5xx.
    const send = () => request({ timeout: this.timeoutMs });
    if (cycle.getStore()) {
      this.backoff.requests++;
      return (await send()).data;
    }
    try {
      return (await this.backoff.run(what, send, options)).data;
    } catch (error) {
      throw await this.explain(error, what, spreadsheetId);
    }
  }

  /** What went wrong, in words staff can act on; never the request (it carries the token). */
  private async explain(error: unknown, what: string, spreadsheetId: string | undefined): Promise<SourceError> {
    if (error instanceof SourceError) return error;
    const noCredentials = credentialsError(error);
    if (noCredentials) return noCredentials;
    const status = statusOf(error);
    const body = (error as { response?: { data?: { error?: GoogleError } } }).response?.data?.error;
    const google = body?.message ?? (error instanceof Error ? error.message : String(error));
    const sheet = spreadsheetId ? `the spreadsheet ${spreadsheetId}` : 'Google Sheets';
    switch (status) {
      case 403: {
        // Google's error model (https://cloud.google.com/apis/design/errors#error_info): the reason is
        // in an ErrorInfo detail; the message text is the fallback for older answers.
        const reason = body?.details?.find((d) => d.reason)?.reason ?? '';
        if (reason === 'SERVICE_DISABLED' || /has not been used|is disabled/i.test(google)) {
          return new SourceError(`cannot ${what}: the Google Sheets API is not enabled in the Cloud project of these credentials: enable it (console.cloud.google.com → APIs & Services → Library → Google Sheets API → Enable), wait a few minutes, and run again`);
        }
        const email = await serviceAccountEmail(this.auth);
        if (reason === 'ACCESS_TOKEN_SCOPE_INSUFFICIENT' || /insufficient authentication scopes/i.test(google)) {
          return new SourceError(`cannot ${what}: the credentials${email ? ` of ${email}` : ''} were not given the scope ${SHEETS_SCOPE}: for Application Default Credentials run gcloud auth application-default login --scopes=${SHEETS_SCOPE},https://www.googleapis.com/auth/cloud-platform; for Workload Identity Federation add that scope to the auth step of the workflow (see the README, "Google Sheets")`);
        }
        return new SourceError(`cannot ${what}: ${sheet} is not shared with ${email ?? 'these credentials'}: open it, click Share, and add ${email ?? 'the service-account email'} as an Editor`);
      }
      case 404:
        return new SourceError(`cannot ${what}: there is no spreadsheet with the id ${spreadsheetId}: copy the id from the sheet's address (…/spreadsheets/d/<id>/edit) into --source sheets:<id> or TIDINGS_SHEET_ID`);
      case 401:
        return new SourceError(`cannot ${what}: Google did not accept the credentials: check that the service-account key is current (not deleted) and belongs to the right project`);
      case 429:
        return new SourceError(`cannot ${what}: Google Sheets still answers "too many requests" after ${this.backoff.retries} retries over ${Math.round(this.backoff.waitedMs / 1000)} s (the quota is 60 requests per minute): wait a few minutes and run again`);
      default:
        return new SourceError(`cannot ${what} (${status ? `Google Sheets answered ${status}` : `no answer from Google Sheets: ${transientCode(error) ?? 'no connection'}`}): ${google}`);
    }
  }
}

interface GoogleError {
  message?: string;
  status?: string;
  details?: { '@type'?: string; reason?: string }[];
}

/** The API has no null cell: a blank is an empty string. */
function blankForNull(write: ValueWrite): ValueWrite {
  return { range: write.range, values: write.values.map((row) => row.map((cell) => cell ?? '')) };
}
