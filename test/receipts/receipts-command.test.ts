import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { tidings } from '../support/cli.ts';

const run = promisify(execFile);

const TABS: Record<string, string> = {
  'settings.csv': 'key,value\norg_name,紅鼻子關懷小丑協會\norg_tax_id,12345678\nreceipt_signatory,理事長 王小明\nemail_from,紅鼻子 <receipts@example.org>\n',
  'contacts.csv': [
    'contact_id,first_name,last_name,email,email_opt_in,do_not_contact,postal_code,city',
    'C1,美玲,陳,meiling@example.org,no,,100,臺北市',
    'C2,大同,王,,,,220,新北市',
    'C3,Ben,Wu,ben@example.org,yes,yes,,',
  ].join('\n'),
  'donations.csv': [
    'donation_id,contact_id,date,amount,status,financial_type,payment_method,receipt_no',
    'D1,C1,2024-02-01,1200,,,信用卡,',
    'D2,C1,2024-05-01,800,,,信用卡,',
    'D3,C2,2024-05-02,"10,010",,,現金,',
    'D4,C3,2024-05-03,500,,,,',
    'D5,C2,2024-05-04,500,,membership,,',
    'D6,C1,2024-05-05,700,failed,,,',
  ].join('\n'),
};

let data: string;
let out: string;
const read = async (path: string) => readFile(join(out, 'private/receipts', path), 'utf8');
const csv = async (path: string): Promise<Record<string, string>[]> => parse(await read(path), { columns: true, bom: true });

beforeAll(async () => {
  data = await mkdtemp(join(tmpdir(), 'tidings-data-'));
  out = await mkdtemp(join(tmpdir(), 'tidings-out-'));
  for (const [file, text] of Object.entries(TABS)) await writeFile(join(data, file), text);
});

describe('tidings receipts', () => {
  it('--since numbers every gift, writes a PDF and page per new receipt, and puts those without email in print/', async () => {
    const result = await tidings('receipts', '--since', '2024-04-01', '--source', `csv:${data}`, '--as-of', '2024-12-31', '--out', out, '--no-backup', '--assign-receipts');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/receipt numbers: 4 assigned \(2024-00001 … 2024-00004\)/);
    expect(result.stdout).toMatch(/3 receipts for 3 donors/);
    expect(result.stdout).toMatch(/1 by email, 1 without an email to print .*, 1 withheld \(do not contact\)/);
    expect(result.stdout).toMatch(/dry run \(nothing sent\): 1 emails/);
    const donations: Record<string, string>[] = parse(await readFile(join(data, 'donations.csv'), 'utf8'), { columns: true, bom: true });
    expect(donations.map((d) => `${d.donation_id}=${d.receipt_no}`)).toEqual(['D1=2024-00001', 'D2=2024-00002', 'D3=2024-00003', 'D4=2024-00004', 'D5=', 'D6=']);

    const files = await readdir(join(out, 'private/receipts'));
    expect(files.filter((f) => /\.(pdf|html)$/.test(f)).sort()).toEqual([
      'receipt-D2.html', 'receipt-D2.pdf', 'receipt-D3.html', 'receipt-D3.pdf', 'receipt-D4.html', 'receipt-D4.pdf',
    ]);
    expect((await readdir(join(out, 'private/receipts/print'))).sort()).toEqual(['print-list.csv', 'receipt-D3.pdf']);
    expect(await csv('print/print-list.csv')).toEqual([
      { contact_id: 'C2', name: '王大同', postal_code: '220', country: '', region: '', city: '新北市', phone: '', files: 'receipt-D3.pdf' },
    ]);
    const { stdout } = await run('pdftotext', [join(out, 'private/receipts/print/receipt-D3.pdf'), '-']);
    expect(stdout).toContain('新臺幣壹萬零壹拾元整');
  });

  it('--year writes one summary per donor and the accountant’s CSVs', async () => {
    const result = await tidings('receipts', '--year', '2024', '--source', `csv:${data}`, '--as-of', '2024-12-31', '--out', out, '--no-backup', '--assign-receipts');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/receipt numbers: every gift has one/);
    expect(await csv('2024-summary.csv')).toEqual([
      { fiscal_year: '2024', contact_id: 'C1', donor: '陳美玲', email: 'meiling@example.org', route: 'email', gifts: '2', total: '2000.00', currency: 'TWD', receipt_nos: '2024-00001 2024-00002' },
      { fiscal_year: '2024', contact_id: 'C2', donor: '王大同', email: '', route: 'print', gifts: '1', total: '10010.00', currency: 'TWD', receipt_nos: '2024-00003' },
      { fiscal_year: '2024', contact_id: 'C3', donor: 'Ben Wu', email: 'ben@example.org', route: 'withheld', gifts: '1', total: '500.00', currency: 'TWD', receipt_nos: '2024-00004' },
    ]);
    expect((await csv('2024-gifts.csv')).map((g) => `${g.receipt_no} ${g.date} ${g.amount}`)).toEqual([
      '2024-00001 2024-02-01 1200.00', '2024-00002 2024-05-01 800.00', '2024-00003 2024-05-02 10010.00', '2024-00004 2024-05-03 500.00',
    ]);
    const { stdout } = await run('pdftotext', [join(out, 'private/receipts/summary-2024-C1.pdf'), '-']);
    expect(stdout).toContain('新臺幣貳仟元整');
    expect(await readdir(join(out, 'private/receipts/print'))).toContain('summary-2024-C2.pdf');
  });

  it('leaves a CSV folder as it is without --assign-receipts: gifts without a number wait', async () => {
    const fresh = await mkdtemp(join(tmpdir(), 'tidings-data-'));
    for (const [file, text] of Object.entries(TABS)) await writeFile(join(fresh, file), text);
    const result = await tidings('receipts', '--since', '2024-01-01', '--source', `csv:${fresh}`, '--as-of', '2024-12-31', '--out', out, '--no-backup');
    expect(result.stdout).toMatch(/receipt numbers: 4 gifts have none yet \(--assign-receipts writes them\)/);
    expect(result.stdout).toMatch(/0 receipts for 0 donors/);
    expect(await readFile(join(fresh, 'donations.csv'), 'utf8')).toBe(TABS['donations.csv']);
    expect(await readdir(fresh)).not.toContain('_receipts.csv');
  });

  it('asks for exactly one of --since and --year, and a fiscal year it can read', async () => {
    const neither = await tidings('receipts', '--source', `csv:${data}`, '--out', out);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toMatch(/give either --since <date> .* or --year <fiscal year>/);
    const badYear = await tidings('receipts', '--year', '24', '--source', `csv:${data}`, '--out', out);
    expect(badYear.code).toBe(2);
    expect(badYear.stderr).toMatch(/--year 24: 24 is not a fiscal year: write it the way receipt numbers show it, e.g. 2024/);
  });
});
