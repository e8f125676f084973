import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runSync, syncWriteBack } from '../../cli/commands/sync.ts';
import { PROBLEM_COLUMNS } from '../../sync/problems-csv.ts';
import { sampleCopy, withFakeSheets, tempDir } from '../support/sheets.ts';

const sheets = withFakeSheets();
afterEach(() => vi.unstubAllEnvs());

function useFakeSheets() {
  vi.stubEnv('GOOGLE_SERVICE_ACCOUNT_JSON', sheets.env.GOOGLE_SERVICE_ACCOUNT_JSON);
  vi.stubEnv('TIDINGS_SHEETS_ROOT_URL', sheets.env.TIDINGS_SHEETS_ROOT_URL);
}

describe('sync with a Google Sheet', () => {
  it('writes every problem, with its link, to the _problems tab, reports the requests it used, and backs up', async () => {
    useFakeSheets();
    const { id } = await sheets.sampleSheet();
    const [out, backupDir] = [await tempDir('out'), await tempDir('backups')];
    const lines: string[] = [];
    // Receipt numbers, also written back by default, are test/receipts/sheets-numbering.test.ts's.
    const synced = await runSync({ source: `sheets:${id}`, asOf: '2024-07-01', out, backupDir, assignReceipts: false }, (l) => lines.push(l));

    const tab = sheets.fake.values(id, '_problems');
    expect(tab[0]).toEqual(PROBLEM_COLUMNS);
    expect(tab).toHaveLength(synced.problems.length + 1);
    expect(tab.slice(1).map((r) => r[PROBLEM_COLUMNS.indexOf('link')])).toEqual(synced.problems.map((p) => p.link ?? ''));
    expect(tab[1][PROBLEM_COLUMNS.indexOf('link')]).toMatch(/^https:\/\/docs\.google\.com\/spreadsheets\/d\/.+#gid=\d+&range=[A-Z]+\d+$/);
    expect(lines).toContain(`write-back: _problems: ${synced.problems.length} rows`);
    // Every segment's members land in _segments, matching the segment CSVs sync wrote.
    const segmentTab = sheets.fake.values(id, '_segments');
    expect(segmentTab[0]).toEqual(['segment', 'contact_id', 'name', 'email', 'reason']);
    const counted = lines.find((l) => l.startsWith('write-back: _segments: '));
    expect(counted).toBe(`write-back: _segments: ${segmentTab.length - 1} rows`);
    expect(segmentTab.length).toBeGreaterThan(1);
    // get + batchGet to read, one batchUpdate each to replace _problems and _segments.
    expect(lines.at(-1)).toBe('used: 4 Google Sheets API requests; the quota is 60 per minute');
    expect(await readdir(backupDir)).toHaveLength(1);

    // Staff fix the bad participant status; the next sync's list is shorter and nothing stale stays.
    sheets.fake.tab(id, 'participants').cells[3][2] = 'attended';
    const again = await runSync({ source: `sheets:${id}`, asOf: '2024-07-01', out, backupDir, backup: false, assignReceipts: false }, () => {});
    expect(again.problems).toHaveLength(synced.problems.length - 1);
    expect(sheets.fake.values(id, '_problems')).toHaveLength(again.problems.length + 1);
    expect(await readdir(backupDir)).toHaveLength(1);
  });

  it('writes the _segments rows it is given', async () => {
    useFakeSheets();
    const { id } = await sheets.sampleSheet();
    const synced = await runSync({ source: `sheets:${id}`, asOf: '2024-07-01', out: await tempDir('out'), backup: false }, () => {});
    await syncWriteBack(synced, {}, () => {}, [
      { segment: 'lapsed', contact_id: 'C001', name: '王小明', email: 'ming@example.org', reason: 'last gift 2024-05-10' },
    ]);
    expect(sheets.fake.values(id, '_segments')).toEqual([
      ['segment', 'contact_id', 'name', 'email', 'reason'],
      ['lapsed', 'C001', '王小明', 'ming@example.org', 'last gift 2024-05-10'],
    ]);
  });

  it('--no-write-back leaves the sheet as it was', async () => {
    useFakeSheets();
    const { id } = await sheets.sampleSheet();
    await runSync({ source: `sheets:${id}`, asOf: '2024-07-01', out: await tempDir('out'), writeBack: false, backup: false }, () => {});
    expect(sheets.fake.spreadsheets.get(id)!.tabs.map((t) => t.title)).not.toContain('_problems');
  });
});

describe('sync with a CSV folder', () => {
  it('does not write back unless asked (so npm start never changes the sample)', async () => {
    const dir = await sampleCopy();
    const out = await tempDir('out');
    const backupDir = await tempDir('backups');
    await runSync({ source: `csv:${dir}`, asOf: '2024-07-01', out, backupDir }, () => {});
    expect(existsSync(join(dir, '_problems.csv'))).toBe(false);
    await runSync({ source: `csv:${dir}`, asOf: '2024-07-01', out, backupDir, writeBack: true }, () => {});
    expect(existsSync(join(dir, '_problems.csv'))).toBe(true);
    expect(await readdir(backupDir)).toHaveLength(2);
  });
});
