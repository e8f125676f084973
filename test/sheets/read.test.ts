import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { CsvFolderSource } from '../../sync/sources/csv.ts';
import { SourceError } from '../../sync/sources/source.ts';
import { GoogleSheetsSource } from '../../sync/sources/google-sheets.ts';
import { DEFAULT_SOURCE, defaultSource, openSource } from '../../sync/sources/open.ts';
import { loadDataset } from '../../sync/load.ts';
import { testServiceAccount } from '../support/fake-sheets-server.ts';
import { SAMPLE, withFakeSheets, tempDir } from '../support/sheets.ts';

const sheets = withFakeSheets();

describe('reading a Google Sheet', () => {
  it('gives the same dataset and problems as the same data in CSV, with links to the cells', async () => {
    const { id, source } = await sheets.sampleSheet();
    // The sheet holds typed cells, as staff's sheets do: dates as serial numbers, checkboxes as booleans.
    const donations = sheets.fake.values(id, 'donations');
    expect(typeof donations[1][2]).toBe('number');
    expect(sheets.fake.values(id, 'contacts')[1][12]).toBe(true);

    const before = sheets.fake.requests.length;
    const fromSheets = await loadDataset(source, '2024-07-01');
    expect(sheets.fake.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /v4/spreadsheets/${id}`,
      `GET /v4/spreadsheets/${id}/values:batchGet`,
    ]);
    expect(source.usage()).toMatch(/^2 Google Sheets API requests/);

    const fromCsv = await loadDataset(new CsvFolderSource(SAMPLE), '2024-07-01');
    expect(fromSheets.dataset).toEqual(fromCsv.dataset);
    expect(fromCsv.problems.length).toBeGreaterThan(5);
    expect(fromSheets.problems.map(({ link, ...p }) => p)).toEqual(fromCsv.problems);

    const gid = (tab: string) => sheets.fake.tab(id, tab).sheetId;
    for (const p of fromSheets.problems.filter((p) => p.row && p.column_letter)) {
      expect(p.link).toBe(`https://docs.google.com/spreadsheets/d/${id}/edit#gid=${gid(p.tab)}&range=${p.column_letter}${p.row}`);
    }
  });

  it('splits the values.batchGet only when its address would be too long', async () => {
    const { id, source } = await sheets.sampleSheet();
    const whole = await source.read();
    const before = sheets.fake.requests.length;
    const split = await new GoogleSheetsSource(id, sheets.client({ maxUrlLength: 300 })).read();
    const batchGets = sheets.fake.requests.slice(before).filter((r) => r.path.endsWith('values:batchGet'));
    expect(batchGets.length).toBeGreaterThan(1);
    expect(split).toEqual(whole);
  });

  it('opens sheets:<id> from the environment: GOOGLE_SERVICE_ACCOUNT_JSON, TIDINGS_SHEETS_ROOT_URL', async () => {
    const { id } = await sheets.sampleSheet();
    vi.stubEnv('GOOGLE_SERVICE_ACCOUNT_JSON', sheets.env.GOOGLE_SERVICE_ACCOUNT_JSON);
    vi.stubEnv('TIDINGS_SHEETS_ROOT_URL', sheets.env.TIDINGS_SHEETS_ROOT_URL);
    try {
      const source = await openSource(`sheets:https://docs.google.com/spreadsheets/d/${id}/edit#gid=0`);
      expect(source.label).toBe(`sheets:${id}`);
      expect((await source.read()).get('contacts')?.rows.length).toBe(8);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('uses TIDINGS_SHEET_ID as the default source when it is set, else the CSV sample', () => {
    expect(defaultSource({ TIDINGS_SHEET_ID: ' 1AbCdEfGhIjKlMnOp ' })).toBe('sheets:1AbCdEfGhIjKlMnOp');
    expect(defaultSource({})).toBe(DEFAULT_SOURCE);
  });

  it('reads a key file named by GOOGLE_APPLICATION_CREDENTIALS', async () => {
    const { id } = await sheets.sampleSheet();
    const keyFile = join(await tempDir('key'), 'key.json');
    await writeFile(keyFile, sheets.account.json);
    const source = GoogleSheetsSource.open(id, { env: { GOOGLE_APPLICATION_CREDENTIALS: keyFile }, rootUrl: sheets.fake.rootUrl });
    expect((await source.read()).has('donations')).toBe(true);
  });

  it('says what to do when Google refuses the credentials or the sheet is not there', async () => {
    const { id } = await sheets.sampleSheet();
    const stranger = testServiceAccount('someone-else@example.iam.gserviceaccount.com');
    const refused = GoogleSheetsSource.open(id, { env: { GOOGLE_SERVICE_ACCOUNT_JSON: stranger.json }, rootUrl: sheets.fake.rootUrl });
    await expect(refused.read()).rejects.toThrow(/did not accept the credentials/);
    const missing = new GoogleSheetsSource('no-such-spreadsheet-id', sheets.client());
    const error = await missing.read().catch((e) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect(error.message).toMatch(/no spreadsheet with the id no-such-spreadsheet-id: copy the id/);
    expect(() => GoogleSheetsSource.open(id, { env: { GOOGLE_SERVICE_ACCOUNT_JSON: '{not json' } })).toThrow(/not valid JSON/);
  });
});
