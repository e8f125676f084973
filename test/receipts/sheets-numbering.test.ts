import { afterEach, describe, expect, it, vi } from 'vitest';
import { runSync } from '../../cli/commands/sync.ts';
import { tempDir, withFakeSheets } from '../support/sheets.ts';

const sheets = withFakeSheets();
afterEach(() => vi.unstubAllEnvs());

describe('receipt numbers in a Google Sheet', () => {
  it('sync writes them by default, into blank receipt_no cells only, with the _receipts ledger beside them', async () => {
    vi.stubEnv('GOOGLE_SERVICE_ACCOUNT_JSON', sheets.env.GOOGLE_SERVICE_ACCOUNT_JSON);
    vi.stubEnv('TIDINGS_SHEETS_ROOT_URL', sheets.env.TIDINGS_SHEETS_ROOT_URL);
    const { id } = await sheets.sampleSheet();
    const options = { source: `sheets:${id}`, asOf: '2024-07-01', out: await tempDir('out'), backup: false };
    const lines: string[] = [];
    await runSync(options, (l) => lines.push(l));
    expect(lines).toContain('receipt numbers: 3 assigned (2024-00001 … 2024-00003)');

    const donations = sheets.fake.values(id, 'donations');
    const receiptNo = donations[0].indexOf('receipt_no');
    const numbers = Object.fromEntries(donations.slice(1).map((r) => [r[0], r[receiptNo] ?? '']));
    // Completed gifts in date order; staff's own numbers stay; errors, pending and failed rows get none.
    expect(numbers).toEqual({
      D001: 'R-2024-001', D002: '2024-00001', D003: '2024-00002', D004: '', D005: '', D006: '2024-00003',
      D007: '', D008: 'staff-wrote-this', D009: '', D010: '',
    });
    const ledger = sheets.fake.values(id, '_receipts');
    expect(ledger[0]).toEqual(['receipt_no', 'donation_id', 'fiscal_year', 'seq', 'claimed_at', 'run']);
    expect(ledger.slice(1).map((r) => `${r[0]} ${r[1]}`)).toEqual(['2024-00001 D002', '2024-00002 D003', '2024-00003 D006']);

    const again: string[] = [];
    await runSync({ ...options, assignReceipts: undefined }, (l) => again.push(l));
    expect(again).toContain('receipt numbers: every gift has one');
    expect(sheets.fake.values(id, '_receipts')).toHaveLength(4);
  });
});
