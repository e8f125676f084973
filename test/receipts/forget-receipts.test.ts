import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runForget } from '../../cli/commands/forget.ts';
import { runReceipts } from '../../cli/commands/receipts.ts';
import { tempDir } from '../support/sheets.ts';

const TABS: Record<string, string> = {
  'settings.csv': 'key,value\norg_name,紅鼻子關懷小丑協會\norg_tax_id,12345678\nreceipt_signatory,理事長 王小明\nemail_from,紅鼻子 <receipts@example.org>\n',
  'contacts.csv': 'contact_id,first_name,last_name,email,postal_code,city\nC1,美玲,陳,meiling@example.org,100,臺北市\nC2,大同,王,,220,新北市\n',
  'donations.csv': 'donation_id,contact_id,date,amount,payment_method,receipt_no\nD1,C1,2024-05-01,800,信用卡,\nD2,C2,2024-05-02,"10,010",現金,\nD22,C1,2024-05-03,500,現金,\n',
};

const pdfsAndPages = async (dir: string) => (await readdir(dir)).filter((f) => /\.(pdf|html)$/.test(f)).sort();

describe('forget and the receipt files of their gifts', () => {
  it('deletes receipt-<donation_id>.pdf of their gifts, in receipts/ and print/, even when no page names the receipt number', async () => {
    const data = await tempDir('forget-receipts-data');
    const out = await tempDir('forget-receipts-out');
    for (const [file, text] of Object.entries(TABS)) await writeFile(join(data, file), text);
    await runReceipts({ source: `csv:${data}`, since: '2024-01-01', asOf: '2024-12-31', out, backup: false, assignReceipts: true }, () => {});
    const receipts = join(out, 'private', 'receipts');
    expect(await pdfsAndPages(receipts)).toEqual(['receipt-D1.html', 'receipt-D1.pdf', 'receipt-D2.html', 'receipt-D2.pdf', 'receipt-D22.html', 'receipt-D22.pdf']);
    expect(await pdfsAndPages(join(receipts, 'print'))).toEqual(['receipt-D2.pdf']);
    // Staff printed the pages and deleted them: only the PDFs (binary: the receipt number is not readable text) are left.
    for (const f of await readdir(receipts)) if (f.endsWith('.html')) await rm(join(receipts, f));

    expect(await runForget('C2', { source: `csv:${data}`, out, yes: true }, () => {}, join(data, 'backups'))).toBe(true);

    expect(await pdfsAndPages(receipts)).toEqual(['receipt-D1.pdf', 'receipt-D22.pdf']);
    expect(await pdfsAndPages(join(receipts, 'print'))).toEqual([]);
  });
});
