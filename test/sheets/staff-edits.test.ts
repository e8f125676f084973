import { afterEach, describe, expect, it, vi } from 'vitest';
import { runForget } from '../../cli/commands/forget.ts';
import type { Cell } from '../support/fake-sheets-server.ts';
import { tempDir, withFakeSheets } from '../support/sheets.ts';

const sheets = withFakeSheets();
afterEach(() => vi.unstubAllEnvs());

const isValuesWrite = (method: string, path: string) => method === 'POST' && path.endsWith('/values:batchUpdate');
const RECEIPTS = { D002: 'R-2024-002', D003: 'R-2024-003', D006: 'R-2024-006', D007: 'R-2024-007' };

/** The tab as staff see it: rows keyed by their id (first column), each as column → cell. */
function byId(id: string, tab: string): Map<string, Record<string, Cell>> {
  const [header, ...rows] = sheets.fake.values(id, tab);
  return new Map(rows.map((r) => [String(r[0] ?? ''), Object.fromEntries(header.map((h, j) => [String(h), r[j] ?? '']))]));
}

/** The cells that differ between two snapshots taken with byId, as id.column. */
function changes(before: Map<string, Record<string, Cell>>, after: Map<string, Record<string, Cell>>): string[] {
  const out: string[] = [];
  for (const [id, row] of after) for (const [column, value] of Object.entries(row)) if ((before.get(id)?.[column] ?? '') !== value) out.push(`${id}.${column}`);
  for (const id of before.keys()) if (!after.has(id)) out.push(`${id} gone`);
  return out.sort();
}

const receiptUpdates = () => Object.entries(RECEIPTS).map(([id, value]) => ({ id, column: 'receipt_no', value, onlyIfBlank: true }));

describe('staff editing the sheet while Tidings writes', () => {
  it('staff sort the donations between a 429 and its retry: every receipt number lands on its own gift, nothing else changes', async () => {
    const { id, source } = await sheets.sampleSheet();
    await source.read();
    const before = byId(id, 'donations');
    sheets.log.length = 0;
    // The first write meets a 429 and, just before it, staff sort the tab newest first.
    sheets.fake.beforeHandling(isValuesWrite, () => sheets.fake.editRows(id, 'donations', (rows) => [...rows].reverse()));
    sheets.fake.fail(429, { when: isValuesWrite, retryAfter: '0' });

    const result = await source.updateCells('donations', 'donation_id', receiptUpdates());

    expect(result).toEqual({ written: 4, skippedNotBlank: [], refusedMissingId: [] });
    const after = byId(id, 'donations');
    expect(changes(before, after)).toEqual(['D002.receipt_no', 'D003.receipt_no', 'D006.receipt_no', 'D007.receipt_no']);
    for (const [gift, receipt] of Object.entries(RECEIPTS)) expect(after.get(gift)!.receipt_no).toBe(receipt);
    // The retry re-read the rows before writing: nothing had to be put right afterwards.
    expect(sheets.log.filter((l) => /put back/.test(l))).toEqual([]);
  });

  it('staff insert a gift at the top between the read and the write: the misplaced values are put back and written on the right rows', async () => {
    const { id, source } = await sheets.sampleSheet();
    await source.read();
    // No error at all: the write simply lands one row too low, which only reading back can tell.
    sheets.fake.beforeHandling(isValuesWrite, () => sheets.fake.editRows(id, 'donations', (rows) => [['D100', 'C001', 45500, 250], ...rows]));
    const before = byId(id, 'donations');
    before.set('D100', { ...Object.fromEntries(Object.keys(before.get('D001')!).map((c) => [c, ''])), donation_id: 'D100', contact_id: 'C001', date: 45500, amount: 250 });

    const result = await source.updateCells('donations', 'donation_id', receiptUpdates());

    expect(result.written).toBe(4);
    const after = byId(id, 'donations');
    expect(changes(before, after)).toEqual(['D002.receipt_no', 'D003.receipt_no', 'D006.receipt_no', 'D007.receipt_no']);
    for (const [gift, receipt] of Object.entries(RECEIPTS)) expect(after.get(gift)!.receipt_no).toBe(receipt);
    expect(after.get('D001')!.receipt_no).toBe('R-2024-001');
    expect(sheets.log.some((l) => /rows of donations moved while writing; \d+ cells put back/.test(l))).toBe(true);
  });

  it('a contact inserted above during forget: the right contact is deleted and nobody else', async () => {
    const { id } = await sheets.sampleSheet();
    vi.stubEnv('GOOGLE_SERVICE_ACCOUNT_JSON', sheets.env.GOOGLE_SERVICE_ACCOUNT_JSON);
    vi.stubEnv('TIDINGS_SHEETS_ROOT_URL', sheets.env.TIDINGS_SHEETS_ROOT_URL);
    const contacts = sheets.fake.tab(id, 'contacts').sheetId;
    // Staff type a new contact at the top while forget is deleting Amy (C002) from contacts.
    const deletesContacts = (method: string, path: string, body: string) =>
      path.endsWith(':batchUpdate') && body.includes('deleteDimension') && body.includes(`"sheetId":${contacts},`);
    sheets.fake.beforeHandling(deletesContacts, () => sheets.fake.editRows(id, 'contacts', (rows) => [['C100', 'New', 'Person'], ...rows]));
    const before = byId(id, 'contacts');

    expect(await runForget('amy.chen@example.org', { source: `sheets:${id}`, out: await tempDir('out'), yes: true }, () => {})).toBe(true);

    const after = byId(id, 'contacts');
    const kept = [...after.keys()].filter((k) => k && !k.startsWith('anon-')).sort();
    expect(kept).toEqual(['C001', 'C003', 'C004', 'C005', 'C006', 'C007', 'C100']);
    // Every contact but Amy is there with every cell as it was (C001, deleted by mistake, is back whole).
    for (const [contact, row] of before) if (contact !== 'C002') expect(after.get(contact)).toEqual(row);
  });

  it('a row deleted by mistake is put back even when putting it back first fails with a server error', async () => {
    const { id, source } = await sheets.sampleSheet();
    const contacts = sheets.fake.tab(id, 'contacts').sheetId;
    const deletes = (_: string, path: string, body: string) => path.endsWith(':batchUpdate') && body.includes('deleteDimension');
    const putsBack = (_: string, path: string, body: string) => path.endsWith(':batchUpdate') && body.includes('insertDimension') && body.includes(`"sheetId":${contacts},`);
    sheets.fake.beforeHandling(deletes, () => sheets.fake.editRows(id, 'contacts', (rows) => [['C100', 'New', 'Person'], ...rows]));
    sheets.fake.fail(500, { when: putsBack });
    const before = byId(id, 'contacts');

    expect(await source.deleteRows('contacts', 'contact_id', ['C002'])).toBe(1);

    const after = byId(id, 'contacts');
    expect([...after.keys()].filter(Boolean).sort()).toEqual(['C001', 'C003', 'C004', 'C005', 'C006', 'C007', 'C100']);
    for (const [contact, row] of before) if (contact !== 'C002') expect(after.get(contact)).toEqual(row);
  });
});
