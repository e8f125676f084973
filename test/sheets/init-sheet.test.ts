import { describe, expect, it } from 'vitest';
import { initSheet } from '../../cli/commands/init-sheet.ts';
import { DONATION_STATUS, FREQUENCY, RECURRING_STATUS } from '../../sync/cells/enums.ts';
import { columnsOf } from '../../sync/schema/cell.ts';
import { SETTING_KEYS } from '../../sync/schema/settings.ts';
import { TAB_ORDER, tabSchemas } from '../../sync/schema/tabs.ts';
import { SourceError } from '../../sync/sources/source.ts';
import { GoogleSheetsSource } from '../../sync/sources/google-sheets.ts';
import { loadDataset } from '../../sync/load.ts';
import type { FakeTab } from '../support/fake-sheets-server.ts';
import { withFakeSheets } from '../support/sheets.ts';

const sheets = withFakeSheets();

const schemas = tabSchemas({ timeZone: 'Asia/Taipei', currency: 'TWD' });

/** Checks one tab's layout against the data model: header, frozen bold row, formats, validation. */
function expectLaidOut(tab: FakeTab, header: string[]) {
  const columns = columnsOf(schemas[tab.title as keyof typeof schemas]);
  expect(header).toEqual(columns.map((c) => c.name));
  expect(tab.frozenRowCount).toBe(1);
  expect(tab.boldRows.has(0)).toBe(true);
  columns.forEach((c, i) => {
    const kind = c.meta.kind;
    const rule = tab.validations.get(i);
    const format = tab.numberFormats.get(i);
    if (kind?.type === 'enum') {
      expect(rule?.condition.type).toBe('ONE_OF_LIST');
      expect(rule?.condition.values?.map((v) => v.userEnteredValue)).toEqual(kind.values);
    } else if (kind?.type === 'boolean') {
      expect(rule?.condition.type).toBe('BOOLEAN');
    } else {
      expect(rule).toBeUndefined();
    }
    if (kind?.type === 'date') expect(format).toEqual({ type: 'DATE', pattern: 'yyyy-mm-dd' });
    else if (kind?.type === 'datetime') expect(format?.type).toBe('DATE_TIME');
    else expect(format).toBeUndefined();
  });
}

describe('tidings init-sheet', () => {
  it('creates a spreadsheet with every tab laid out, and a filled settings tab, in three requests', async () => {
    const before = sheets.fake.requests.length;
    const id = await initSheet(sheets.client(), { title: 'Our donors' });
    expect(sheets.fake.requests.length - before).toBe(3);
    const sheet = sheets.fake.spreadsheets.get(id)!;
    expect(sheet.title).toBe('Our donors');
    expect(sheet.tabs.map((t) => t.title)).toEqual([...TAB_ORDER, 'settings']);
    for (const name of TAB_ORDER) {
      const values = sheets.fake.values(id, name);
      expect(values).toHaveLength(1);
      expectLaidOut(sheets.fake.tab(id, name), values[0] as string[]);
    }
    const settings = sheets.fake.values(id, 'settings');
    expect(settings[0]).toEqual(['key', 'value']);
    expect(settings.slice(1).map((r) => r[0])).toEqual(SETTING_KEYS);
    expect(Object.fromEntries(settings.slice(1))).toMatchObject({ currency: 'TWD', timezone: 'Asia/Taipei', map_min_supporters: 5 });

    // The dropdowns are the enumerations the sync reads.
    const donations = sheets.fake.tab(id, 'donations');
    expect(donations.validations.get(5)?.condition.values?.map((v) => v.userEnteredValue)).toEqual(DONATION_STATUS.values);
    const recurring = sheets.fake.tab(id, 'recurring');
    expect(recurring.validations.get(4)?.condition.values?.map((v) => v.userEnteredValue)).toEqual(FREQUENCY.values);
    expect(recurring.validations.get(8)?.condition.values?.map((v) => v.userEnteredValue)).toEqual(RECURRING_STATUS.values);

    // An empty template syncs without problems.
    const synced = await loadDataset(new GoogleSheetsSource(id, sheets.client()), '2024-07-01');
    expect(synced.problems).toEqual([]);
    expect(synced.dataset.settings.timezone).toBe('Asia/Taipei');
  });

  it('fills an empty spreadsheet staff made and shared, replacing its blank first tab', async () => {
    sheets.fake.addSpreadsheet('staff-made-sheet-id', { 工作表1: [] });
    const id = await initSheet(sheets.client(), { sheet: 'https://docs.google.com/spreadsheets/d/staff-made-sheet-id/edit', title: 'unused' });
    expect(id).toBe('staff-made-sheet-id');
    const sheet = sheets.fake.spreadsheets.get(id)!;
    expect(sheet.tabs.map((t) => t.title)).toEqual([...TAB_ORDER, 'settings']);
    expectLaidOut(sheets.fake.tab(id, 'contacts'), sheets.fake.values(id, 'contacts')[0] as string[]);
  });

  it('refuses a spreadsheet that already has data, and changes nothing', async () => {
    sheets.fake.addSpreadsheet('used-sheet-id-123', { Donors: [['name'], ['Amy']] });
    await expect(initSheet(sheets.client(), { sheet: 'used-sheet-id-123', title: 'x' })).rejects.toThrow(SourceError);
    await expect(initSheet(sheets.client(), { sheet: 'used-sheet-id-123', title: 'x' })).rejects.toThrow(/not empty \(data in: Donors\)/);
    expect(sheets.fake.spreadsheets.get('used-sheet-id-123')!.tabs.map((t) => t.title)).toEqual(['Donors']);
  });

  it('with the sample: every row, typed as Sheets holds it (dates, checkboxes), in the documented layout', async () => {
    const { id } = await sheets.sampleSheet();
    const contacts = sheets.fake.values(id, 'contacts');
    expectLaidOut(sheets.fake.tab(id, 'contacts'), contacts[0] as string[]);
    expect(contacts).toHaveLength(9);
    const c001 = contacts[1];
    expect(c001[0]).toBe('C001');
    expect(c001[5]).toBe('0912345678'); // a phone stays text, leading zero and all
    expect(c001[6]).toBe(29284); // 1980-03-04 as a serial date
    expect(c001[12]).toBe(true); // 是 → a ticked checkbox
    const participants = sheets.fake.values(id, 'participants');
    expect(participants[1][3]).toBeCloseTo(45402 + 10.5 / 24, 9); // 2024-04-20 10:30 Taipei time
    expect(participants[3][2]).toBe('maybe'); // a bad value stays as written, so the sync reports it
  });
});
