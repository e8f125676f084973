import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RawCell } from '../../sync/cells/result.ts';
import { CsvFolderSource, parseCsvTab, tabCsv } from '../../sync/sources/csv.ts';
import type { WritableSource } from '../../sync/sources/source.ts';
import { loadDataset } from '../../sync/load.ts';
import { sampleCopy, withFakeSheets } from '../support/sheets.ts';

const sheets = withFakeSheets();

/** A source with the sample in it, and what staff do to it between the tool's read and its write. */
interface Setup {
  source: WritableSource;
  /** The tab as it is now: header, then rows. */
  cells(tab: string): Promise<RawCell[][]>;
  /** Staff rewrite the rows under the header (insert, sort, delete). */
  setRows(tab: string, rows: RawCell[][]): Promise<void>;
}

async function csvSetup(): Promise<Setup> {
  const dir = await sampleCopy();
  const path = (tab: string) => join(dir, `${tab}.csv`);
  return {
    source: new CsvFolderSource(dir),
    cells: async (tab) => {
      const t = parseCsvTab(tab, await readFile(path(tab), 'utf8'));
      return [t.header, ...t.rows];
    },
    setRows: async (tab, rows) => {
      const t = parseCsvTab(tab, await readFile(path(tab), 'utf8'));
      await writeFile(path(tab), tabCsv({ header: t.header, rows }));
    },
  };
}

async function sheetsSetup(): Promise<Setup> {
  const { id, source } = await sheets.sampleSheet();
  return {
    source,
    cells: async (tab) => sheets.fake.values(id, tab),
    setRows: async (tab, rows) => {
      const t = sheets.fake.tab(id, tab);
      t.cells = [t.cells[0], ...rows.map((r) => r.map((c) => (c === '' ? undefined : (c as string | number | boolean))))];
    },
  };
}

/** Cells that differ between two snapshots, as [donation_id or row, column name]. */
function changed(before: RawCell[][], after: RawCell[][]): string[] {
  const header = after[0].map(String);
  const out: string[] = [];
  for (let i = 0; i < Math.max(before.length, after.length); i++) {
    for (let j = 0; j < header.length; j++) {
      if ((before[i]?.[j] ?? '') !== (after[i]?.[j] ?? '')) out.push(`${after[i]?.[0] ?? i}.${header[j]}`);
    }
  }
  return out.sort();
}

describe.each([
  ['a CSV folder', csvSetup],
  ['a Google Sheet', sheetsSetup],
])('writing back to %s', (_, setup) => {
  it('finds rows staff moved since the read, and never overwrites a cell staff filled', async () => {
    const s = await setup();
    await s.source.read();
    // Staff sort the donations newest first and type a new one at the top.
    const [header, ...rows] = await s.cells('donations');
    const moved = [...rows].reverse();
    const staffRow = header.map((h) => ({ donation_id: 'D100', contact_id: 'C001', date: '2024-07-01', amount: '100', receipt_no: 'typed-by-staff' })[String(h)] ?? '');
    await s.setRows('donations', [staffRow, ...moved]);
    const before = await s.cells('donations');

    const result = await s.source.updateCells('donations', 'donation_id', [
      { id: 'D002', column: 'receipt_no', value: 'R-2', onlyIfBlank: true },
      { id: 'D008', column: 'receipt_no', value: 'R-8', onlyIfBlank: true },
      { id: 'D100', column: 'receipt_no', value: 'R-100', onlyIfBlank: true },
      { id: 'D003', column: 'receipt_no', value: 'R-3', onlyIfBlank: true },
    ]);
    expect(result.written).toBe(2);
    expect(result.skippedNotBlank.map((u) => u.id)).toEqual(['D008', 'D100']);
    const after = await s.cells('donations');
    expect(changed(before, after)).toEqual(['D002.receipt_no', 'D003.receipt_no']);
    const receipt = (id: string) => after.find((r) => r[0] === id)![header.indexOf('receipt_no')];
    expect([receipt('D002'), receipt('D003'), receipt('D008'), receipt('D100')]).toEqual(['R-2', 'R-3', 'staff-wrote-this', 'typed-by-staff']);
  });

  it('refuses an id that is gone at write time, and changes nothing for it', async () => {
    const s = await setup();
    await s.source.read();
    const [, ...rows] = await s.cells('donations');
    await s.setRows('donations', rows.filter((r) => r[0] !== 'D002'));
    const before = await s.cells('donations');
    const result = await s.source.updateCells('donations', 'donation_id', [{ id: 'D002', column: 'receipt_no', value: 'R-2', onlyIfBlank: true }]);
    expect(result).toEqual({ written: 0, skippedNotBlank: [], refusedMissingId: [{ id: 'D002', column: 'receipt_no', value: 'R-2', onlyIfBlank: true }] });
    expect(await s.cells('donations')).toEqual(before);
  });

  it('sets the cells the tool owns (mailings.status, sent_at), which the next sync reads', async () => {
    const s = await setup();
    const result = await s.source.updateCells('mailings', 'mailing_id', [
      { id: 'M002', column: 'status', value: 'sent' },
      { id: 'M002', column: 'sent_at', value: '2024-07-01T01:00:00.000Z' },
    ]);
    expect(result.written).toBe(2);
    const { dataset } = await loadDataset(s.source, '2024-07-02');
    expect(dataset.mailings.find((m) => m.mailing_id === 'M002')).toMatchObject({ status: 'sent', sent_at: '2024-07-01T01:00:00.000Z' });
  });

  it('appends email_events rows after the last row, adding a column the tab lacks', async () => {
    const s = await setup();
    const header = ['message_id', 'mailing_id', 'contact_id', 'email', 'sent_at', 'last_event'];
    await s.source.appendRows('email_events', header, [
      { message_id: 'msg-4', mailing_id: 'M002', contact_id: 'C007', email: 'mei@example.org', sent_at: '2024-07-01T01:00:00.000Z', last_event: 'sent' },
      { message_id: 'msg-5', mailing_id: 'M002', contact_id: 'C001', last_event: 'sent', provider_id: 're_123' },
    ]);
    const cells = await s.cells('email_events');
    expect(cells[0].at(-1)).toBe('provider_id');
    expect(cells.slice(1).map((r) => r[0])).toEqual(['msg-1', 'msg-2', 'msg-3', 'msg-4', 'msg-5']);
    expect(cells[5].at(-1)).toBe('re_123');
    const { dataset } = await loadDataset(s.source, '2024-07-02');
    expect([...dataset.email_events].map((e) => e.message_id)).toEqual(['msg-1', 'msg-2', 'msg-3', 'msg-4', 'msg-5']);
    // A tab that does not exist yet is created with the header.
    await s.source.appendRows('tool_log', ['at', 'what'], [{ at: '2024-07-01', what: 'first' }]);
    expect(await s.cells('tool_log')).toEqual([['at', 'what'], ['2024-07-01', 'first']]);
  });

  it('replaces a tool tab whole: a shorter list leaves no rows behind', async () => {
    const s = await setup();
    await s.source.replaceTab('_problems', ['severity', 'message'], [['error', 'one'], ['warning', 'two'], ['error', 'three']]);
    await s.source.replaceTab('_problems', ['severity', 'message'], [['warning', 'only this']]);
    expect(await s.cells('_problems')).toEqual([['severity', 'message'], ['warning', 'only this']]);
  });

  it('deletes exactly the rows that match', async () => {
    const s = await setup();
    const before = await s.cells('participants');
    expect(await s.source.deleteRows('participants', 'contact_id', ['C002'])).toBe(2);
    expect(await s.cells('participants')).toEqual(before.filter((r) => r[1] !== 'C002'));
  });
});

describe('writing back to a Google Sheet', () => {
  it('sends all the cells of an update in one values.batchUpdate, after re-reading the tab, then reads it back to check', async () => {
    const { id, source } = await sheets.sampleSheet();
    const before = sheets.fake.requests.length;
    await source.updateCells('donations', 'donation_id', [
      { id: 'D002', column: 'receipt_no', value: 'R-2', onlyIfBlank: true },
      { id: 'D003', column: 'receipt_no', value: 'R-3', onlyIfBlank: true },
      { id: 'D006', column: 'receipt_no', value: 'R-6', onlyIfBlank: true },
    ]);
    expect(sheets.fake.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /v4/spreadsheets/${id}`,
      `GET /v4/spreadsheets/${id}/values:batchGet`,
      `POST /v4/spreadsheets/${id}/values:batchUpdate`,
      `GET /v4/spreadsheets/${id}/values:batchGet`,
    ]);
  });

  it('widens a full grid before adding a column the tab lacks', async () => {
    const { id, source } = await sheets.sampleSheet();
    const tab = sheets.fake.tab(id, 'events');
    tab.columnCount = 5;
    const result = await source.updateCells('events', 'event_id', [{ id: 'E001', column: 'capacity', value: 120 }]);
    expect(result.written).toBe(1);
    expect(sheets.fake.values(id, 'events')[0].at(-1)).toBe('capacity');
    expect(sheets.fake.values(id, 'events')[1].at(-1)).toBe(120);
  });
});
