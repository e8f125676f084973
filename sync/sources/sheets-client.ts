import { type sheets_v4, sheets } from '@googleapis/sheets';
import type { GoogleAuth } from 'google-auth-library';
import type { RawCell } from '../cells/result.ts';
import { Backoff, DEFAULT_RETRY, type RetryPolicy, statusOf } from './backoff.ts';
import { SourceError } from './csv.ts';
import { credentialsError, googleAuth, serviceAccountEmail } from './google-auth.ts';

export interface SheetsClientOptions {
  /** Where credentials and TIDINGS_SHEETS_ROOT_URL are read from (default process.env). */
  env?: NodeJS.ProcessEnv;
  auth?: GoogleAuth;
  /** The API's address; a local fake in tests. Default TIDINGS_SHEETS_ROOT_URL, else Google's. */
  rootUrl?: string;
  retry?: RetryPolicy;
  /** Where retries are printed (one line each). */
  log?: (line: string) => void;
  /** A values.batchGet is split when its address would be longer than this. */
  maxUrlLength?: number;
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

/** A1 notation for a whole tab, quoted so titles with spaces or quotes work. */
export const quoteTab = (title: string) => `'${title.replace(/'/g, "''")}'`;

export const sheetUrl = (spreadsheetId: string) => `https://docs.google.com/spreadsheets/d/${spreadsheetId}/edit`;

/**
 * The Sheets v4 calls Tidings makes, each through one retry layer (Backoff) that counts them.
 * Values are read unformatted with dates as serial numbers, so a staff member's locale never
 * changes what a cell means, and written RAW, so text that looks like a formula stays text.
 */
export class SheetsClient {
  readonly auth: GoogleAuth;
  readonly backoff: Backoff;
  private readonly api: sheets_v4.Sheets;
  private readonly rootUrl: string;
  private readonly maxUrlLength: number;

  constructor(options: SheetsClientOptions = {}) {
    const env = options.env ?? process.env;
    this.auth = options.auth ?? googleAuth(env);
    this.rootUrl = options.rootUrl ?? env.TIDINGS_SHEETS_ROOT_URL ?? 'https://sheets.googleapis.com/';
    this.maxUrlLength = options.maxUrlLength ?? MAX_URL_LENGTH;
    this.backoff = new Backoff(options.retry ?? DEFAULT_RETRY, options.log);
    // retry: false switches off the client library's own retries (3 by default): Backoff is the only layer.
    this.api = sheets({ version: 'v4', auth: this.auth, rootUrl: this.rootUrl, retry: false, timeout: 60_000 });
  }

  /** The spreadsheet's tabs, in order. */
  async tabs(spreadsheetId: string): Promise<SheetTab[]> {
    const data = await this.call(`read the tab list of ${spreadsheetId}`, spreadsheetId, () =>
      this.api.spreadsheets.get({ spreadsheetId, fields: 'sheets.properties(sheetId,title,index,gridProperties(rowCount,columnCount))' }));
    return (data.sheets ?? []).map((s) => ({
      title: s.properties?.title ?? '',
      sheetId: s.properties?.sheetId ?? 0,
      rowCount: s.properties?.gridProperties?.rowCount ?? 0,
      columnCount: s.properties?.gridProperties?.columnCount ?? 0,
    }));
  }

  async create(requestBody: sheets_v4.Schema$Spreadsheet): Promise<string> {
    const data = await this.call('create a spreadsheet', undefined, () => this.api.spreadsheets.create({ requestBody, fields: 'spreadsheetId' }), { idempotent: false });
    return data.spreadsheetId!;
  }

  /** Structural changes (tabs, formats, validation, row deletion) in one request. */
  async batchUpdate(spreadsheetId: string, requests: sheets_v4.Schema$Request[], what: string, { idempotent = true } = {}): Promise<void> {
    if (requests.length === 0) return;
    await this.call(what, spreadsheetId, () => this.api.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests } }), { idempotent });
  }

  /** The values of each range, in order; one request unless the address would be too long. */
  async batchGet(spreadsheetId: string, ranges: string[]): Promise<RawCell[][][]> {
    const out: RawCell[][][] = [];
    for (const group of this.splitRanges(spreadsheetId, ranges)) {
      const data = await this.call(`read ${group.length} ${group.length === 1 ? 'tab' : 'tabs'}`, spreadsheetId, () =>
        this.api.spreadsheets.values.batchGet({
          spreadsheetId, ranges: group, majorDimension: 'ROWS',
          valueRenderOption: 'UNFORMATTED_VALUE', dateTimeRenderOption: 'SERIAL_NUMBER',
        }));
      const valueRanges = data.valueRanges ?? [];
      group.forEach((_, i) => out.push((valueRanges[i]?.values ?? []) as RawCell[][]));
    }
    return out;
  }

  async writeValues(spreadsheetId: string, data: ValueWrite[], what: string): Promise<void> {
    if (data.length === 0) return;
    await this.call(what, spreadsheetId, () =>
      this.api.spreadsheets.values.batchUpdate({ spreadsheetId, requestBody: { valueInputOption: 'RAW', data: data.map(blankForNull) } }));
  }

  /** Rows after the last row of the tab's table; Google grows the grid as needed. */
  async append(spreadsheetId: string, tab: string, rows: RawCell[][], what: string): Promise<void> {
    if (rows.length === 0) return;
    await this.call(what, spreadsheetId, () =>
      this.api.spreadsheets.values.append({
        spreadsheetId, range: quoteTab(tab), valueInputOption: 'RAW', insertDataOption: 'INSERT_ROWS',
        requestBody: { values: blankForNull({ range: tab, values: rows }).values },
      }), { idempotent: false });
  }

  usage(): string {
    return this.backoff.usage();
  }

  /** Groups ranges so each batchGet address stays under the limit. */
  private splitRanges(spreadsheetId: string, ranges: string[]): string[][] {
    const base = `${this.rootUrl}v4/spreadsheets/${spreadsheetId}/values:batchGet?majorDimension=ROWS&valueRenderOption=UNFORMATTED_VALUE&dateTimeRenderOption=SERIAL_NUMBER`.length;
    const groups: string[][] = [];
    let length = base;
    for (const range of ranges) {
      const part = `&ranges=${encodeURIComponent(range)}`.length;
      if (groups.length === 0 || length + part > this.maxUrlLength) {
        groups.push([]);
        length = base;
      }
      groups[groups.length - 1].push(range);
      length += part;
    }
    return groups;
  }

  private async call<T>(what: string, spreadsheetId: string | undefined, request: () => Promise<{ data: T }>, options?: { idempotent?: boolean }): Promise<T> {
    try {
      return (await this.backoff.run(what, request, options)).data;
    } catch (error) {
      throw await this.explain(error, what, spreadsheetId);
    }
  }

  /** What went wrong, in words staff can act on; never the request (it carries the token). */
  private async explain(error: unknown, what: string, spreadsheetId: string | undefined): Promise<SourceError> {
    const noCredentials = credentialsError(error);
    if (noCredentials) return noCredentials;
    const status = statusOf(error);
    const google = (error as { response?: { data?: { error?: { message?: string } } } }).response?.data?.error?.message
      ?? (error instanceof Error ? error.message : String(error));
    const sheet = spreadsheetId ? `the spreadsheet ${spreadsheetId}` : 'Google Sheets';
    switch (status) {
      case 403: {
        if (/has not been used|is disabled|SERVICE_DISABLED/i.test(google)) {
          return new SourceError(`cannot ${what}: the Google Sheets API is not enabled in the Cloud project of these credentials: enable it (APIs & Services → Library → Google Sheets API), wait a minute, and run again`);
        }
        const email = await serviceAccountEmail(this.auth);
        return new SourceError(`cannot ${what}: ${sheet} is not shared with ${email ?? 'these credentials'}: open it, click Share, and add ${email ?? 'the service-account email'} as an Editor`);
      }
      case 404:
        return new SourceError(`cannot ${what}: there is no spreadsheet with the id ${spreadsheetId}: copy the id from the sheet's address (…/spreadsheets/d/<id>/edit) into --source sheets:<id> or TIDINGS_SHEET_ID`);
      case 401:
        return new SourceError(`cannot ${what}: Google did not accept the credentials: check that the service-account key is current (not deleted) and belongs to the right project`);
      case 429:
        return new SourceError(`cannot ${what}: Google Sheets still answers "too many requests" after ${this.backoff.retries} retries (the quota is 60 requests per minute): wait a minute and run again`);
      default:
        return new SourceError(`cannot ${what} (${status ? `Google Sheets answered ${status}` : 'no answer from Google Sheets'}): ${google}`);
    }
  }
}

/** The API has no null cell: a blank is an empty string. */
function blankForNull(write: ValueWrite): ValueWrite {
  return { range: write.range, values: write.values.map((row) => row.map((cell) => cell ?? '')) };
}
