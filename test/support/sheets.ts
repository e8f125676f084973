import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { initSheet } from '../../cli/commands/init-sheet.ts';
import { CsvFolderSource } from '../../sync/sources/csv.ts';
import { GoogleSheetsSource } from '../../sync/sources/google-sheets.ts';
import { SheetsClient, type SheetsClientOptions } from '../../sync/sources/sheets-client.ts';
import { FakeSheetsServer, testServiceAccount } from './fake-sheets-server.ts';

/** A small donor database in CSV, every tab in the documented column order, with some bad cells. */
export const SAMPLE = join(import.meta.dirname, '..', 'fixtures', 'sheets-sample');

/** Quick retries, so tests of the retry path do not wait a minute. */
export const FAST_RETRY = { attempts: 4, baseDelayMs: 5, maxDelayMs: 50 };

/** The local fake Sheets API and credentials that google-auth-library signs requests with. */
export async function startSheets() {
  const account = testServiceAccount();
  const fake = await FakeSheetsServer.start(account);
  const env = { GOOGLE_SERVICE_ACCOUNT_JSON: account.json, TIDINGS_SHEETS_ROOT_URL: fake.rootUrl };
  const log: string[] = [];
  const client = (options: SheetsClientOptions = {}) => new SheetsClient({ env, retry: FAST_RETRY, log: (l) => log.push(l), ...options });
  /** A spreadsheet laid out by init-sheet and filled with the CSV sample. */
  const sampleSheet = async () => {
    const id = await initSheet(client(), { title: 'Donors', sample: await new CsvFolderSource(SAMPLE).read() });
    return { id, source: new GoogleSheetsSource(id, client()) };
  };
  return { account, fake, env, log, client, sampleSheet };
}

/** A copy of the sample folder that a test may change. */
export async function sampleCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tidings-sample-'));
  await cp(SAMPLE, dir, { recursive: true });
  return dir;
}

export const tempDir = (prefix: string) => mkdtemp(join(tmpdir(), `tidings-${prefix}-`));

/** The fake Sheets API for one test file: started before its tests, stopped after them. */
export function withFakeSheets(): Awaited<ReturnType<typeof startSheets>> {
  const sheets = {} as Awaited<ReturnType<typeof startSheets>>;
  beforeAll(async () => {
    Object.assign(sheets, await startSheets());
  });
  afterAll(() => sheets.fake.close());
  return sheets;
}
