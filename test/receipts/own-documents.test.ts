import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type ParsedMail, simpleParser } from 'mailparser';
import { beforeEach, describe, expect, it } from 'vitest';
import { runReceipts } from '../../cli/commands/receipts.ts';
import type { SheetRows } from '../../emails/preview-data.ts';
import { SETTINGS, writeCsvFolder } from '../support/csv-folder.ts';

const run = promisify(execFile);
const AS_OF = '2026-12-31';

const pdfText = async (pdf: Buffer) => {
  const path = join(await mkdtemp(join(tmpdir(), 'tidings-pdf-')), 'a.pdf');
  await writeFile(path, pdf);
  return (await run('pdftotext', [path, '-'])).stdout;
};

let out: string;
let lines: string[];
const receipts = async (tabs: SheetRows, options: { since?: string; year?: string } = { since: '2026-01-01' }) =>
  runReceipts({ source: `csv:${await writeCsvFolder(tabs, SETTINGS)}`, asOf: AS_OF, out, backup: false, assignReceipts: true, ...options }, (line) => lines.push(line));

/** Every email in the dry run, by recipient, with the text of each attached PDF. */
async function outbox(folder = 'receipts'): Promise<Map<string, { mail: ParsedMail; pdfs: { filename?: string; text: string }[] }>> {
  const box = join(out, 'private/outbox', folder);
  const found = new Map<string, { mail: ParsedMail; pdfs: { filename?: string; text: string }[] }>();
  for (const file of (await readdir(box)).filter((f) => f.endsWith('.eml')).sort()) {
    const mail = await simpleParser(await readFile(join(box, file)));
    const pdfs = await Promise.all(mail.attachments.map(async (a) => ({ filename: a.filename, text: await pdfText(a.content) })));
    found.set(mail.to && 'text' in mail.to ? mail.to.text : '', { mail, pdfs });
  }
  return found;
}

const contact = (id: string, first: string, email: string) => ({ contact_id: id, first_name: first, last_name: '陳', email });

beforeEach(async () => {
  out = await mkdtemp(join(tmpdir(), 'tidings-out-'));
  lines = [];
});

describe('a receipt email carries only its own donor’s documents', () => {
  it('two numbers that make one file name (2026/X1, 2026-X1): each donor gets their own name and amount', async () => {
    await receipts({
      contacts: [contact('C1', '一', 'one@example.org'), contact('C2', '二', 'two@example.org')],
      donations: [
        { donation_id: 'D1', contact_id: 'C1', date: '2026-03-01', amount: '1111', receipt_no: '2026/X1' },
        { donation_id: 'D2', contact_id: 'C2', date: '2026-03-02', amount: '2222', receipt_no: '2026-X1' },
      ],
    });
    const mails = await outbox();
    expect([...mails.keys()]).toEqual(['one@example.org', 'two@example.org']);
    const [one, two] = [mails.get('one@example.org')!.pdfs, mails.get('two@example.org')!.pdfs];
    expect(one.map((p) => p.filename)).toEqual(['2026-X1.pdf']);
    expect(one[0].text).toContain('陳一');
    expect(one[0].text).toContain('1,111');
    expect(one[0].text).toContain('2026/X1');
    expect(one[0].text).not.toContain('2,222');
    expect(two[0].text).toContain('陳二');
    expect(two[0].text).toContain('2,222');
    expect(two[0].text).not.toContain('陳一');
    // On disk each gift has its own file too, named by its donation id.
    const files = (await readdir(join(out, 'private/receipts'))).filter((f) => f.endsWith('.pdf')).sort();
    expect(files).toEqual(['receipt-D1.pdf', 'receipt-D2.pdf']);
    expect(await pdfText(await readFile(join(out, 'private/receipts/receipt-D1.pdf')))).toContain('1,111');
  });

  it('one number typed on two gifts: neither gets a receipt, an error names both rows, and everyone else’s goes out', async () => {
    const tabs = {
      contacts: [contact('C1', '一', 'one@example.org'), contact('C2', '二', 'two@example.org'), contact('C3', '三', 'three@example.org')],
      donations: [
        { donation_id: 'D1', contact_id: 'C1', date: '2026-03-01', amount: '1111', receipt_no: '2026-00007' },
        { donation_id: 'D2', contact_id: 'C2', date: '2026-03-02', amount: '2222', receipt_no: '2026-00007' },
        { donation_id: 'D3', contact_id: 'C3', date: '2026-03-03', amount: '3333' },
      ],
    };
    await receipts(tabs);
    const mails = await outbox();
    expect([...mails.keys()]).toEqual(['three@example.org']);
    expect(mails.get('three@example.org')!.pdfs[0].text).toContain('3,333');
    const errors = lines.filter((l) => l.includes('error: donations'));
    expect(errors).toEqual([
      expect.stringMatching(/^receipts: error: donations, row 2, column receipt_no \[2026-00007\]: receipt number 2026-00007 is also on row 3 \(donation D2\): no receipt goes out/),
      expect.stringMatching(/^receipts: error: donations, row 3, column receipt_no \[2026-00007\]: receipt number 2026-00007 is also on row 2 \(donation D1\)/),
    ]);
    // The annual summary waits for them too: it would show one number on two donors' gifts.
    lines = [];
    await receipts(tabs, { year: '2026' });
    expect([...(await outbox('summary-2026')).keys()]).toEqual(['three@example.org']);
  });

  it('two donation ids that differ only in case would be one file on a Mac: the run stops before writing, naming both', async () => {
    await expect(receipts({
      contacts: [contact('C1', '一', 'one@example.org'), contact('C2', '二', 'two@example.org')],
      donations: [
        { donation_id: 'D1', contact_id: 'C1', date: '2026-03-01', amount: '1111' },
        { donation_id: 'd1', contact_id: 'C2', date: '2026-03-02', amount: '2222' },
      ],
    })).rejects.toThrow(/receipt:2026-00001 and receipt:2026-00002 would share the file receipt-d1\.pdf.*nothing was sent/);
    expect(await readdir(join(out, 'private/receipts'))).not.toContain('receipt-d1.pdf');
  });

  it('a contact whose id cannot name a file is a sync problem; receipts still go to everyone else', async () => {
    const bad = 'C'.repeat(301);
    await receipts({
      contacts: [contact(bad, '壞', 'bad@example.org'), contact('C2', '二', 'two@example.org'), contact('../../x', '三', 'three@example.org')],
      donations: [
        { donation_id: 'D1', contact_id: bad, date: '2026-03-01', amount: '1111' },
        { donation_id: 'D2', contact_id: 'C2', date: '2026-03-02', amount: '2222' },
        { donation_id: '..', contact_id: 'C2', date: '2026-03-03', amount: '4444' },
      ],
    });
    expect([...(await outbox()).keys()]).toEqual(['two@example.org']);
    expect((await outbox()).get('two@example.org')!.pdfs.map((p) => p.text).join('')).not.toContain('4,444');
    const problems = await readFile(join(out, 'private/problems.csv'), 'utf8');
    expect(problems).toMatch(/error,contacts,2,contact_id,A,C{301},"""C{24}…"" cannot be an id: it is 301 characters long/);
    expect(problems).toMatch(/error,contacts,4,contact_id,A,\.\.\/\.\.\/x,/);
    expect(problems).toMatch(/error,donations,4,donation_id,A,\.\.,/);
    expect(await readdir(join(out, 'private/receipts'))).toContain('receipt-D2.pdf');
  });
});
