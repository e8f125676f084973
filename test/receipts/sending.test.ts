import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { simpleParser } from 'mailparser';
import { Resend } from 'resend';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ReceiptsOptions, runReceipts } from '../../cli/commands/receipts.ts';
import { receiptMessages, sendReceipts } from '../../emails/receipts/send.ts';
import { BatchSender, Pacer } from '../../emails/send/provider.ts';
import { receiptDeliveries } from '../../reports/receipts/delivery.ts';
import { writeDeliveries } from '../../reports/receipts/write.ts';
import { CsvFolderSource } from '../../sync/sources/csv.ts';
import type { WritableSource } from '../../sync/sources/source.ts';
import { loadDataset } from '../../sync/load.ts';
import { SETTINGS, writeCsvFolder } from '../support/csv-folder.ts';
import { FakeResend } from '../support/fake-resend-server.ts';

const run = promisify(execFile);
const AS_OF = '2024-12-31';
const FAST = { maxRetries: 4, baseDelayMs: 5, maxDelayMs: 20, maxRateLimitWaits: 50 };

async function folder(settings: Record<string, string> = {}): Promise<string> {
  return writeCsvFolder({
    contacts: [
      { contact_id: 'C1', first_name: '美玲', last_name: '陳', email: 'meiling@example.org', email_opt_in: 'no' },
      { contact_id: 'C2', first_name: 'Amy', last_name: 'Lin', email: 'amy@example.org', language: 'en' },
      { contact_id: 'C3', first_name: '大同', last_name: '王' },
      { contact_id: 'C4', first_name: 'Ben', email: 'ben@example.org', do_not_contact: 'yes' },
    ],
    donations: [
      { donation_id: 'D1', contact_id: 'C1', date: '2024-03-05', amount: '1200', payment_method: '信用卡' },
      { donation_id: 'D2', contact_id: 'C1', date: '2024-05-01', amount: '800' },
      { donation_id: 'D3', contact_id: 'C2', date: '2024-05-02', amount: '500' },
      { donation_id: 'D4', contact_id: 'C3', date: '2024-05-03', amount: '300' },
      { donation_id: 'D5', contact_id: 'C4', date: '2024-05-04', amount: '700' },
    ],
  }, { ...SETTINGS, org_tax_id: '12345678', ...settings });
}

const csvRows = async (path: string) => parse(await readFile(path, 'utf8'), { bom: true, columns: true }) as Record<string, string>[];
const pdfText = async (pdf: Buffer) => {
  const path = join(await mkdtemp(join(tmpdir(), 'tidings-pdf-')), 'a.pdf');
  await writeFile(path, pdf);
  return (await run('pdftotext', [path, '-'])).stdout;
};

let dir: string;
let out: string;
let lines: string[];
const receipts = (options: Partial<ReceiptsOptions>) =>
  runReceipts({ source: `csv:${dir}`, asOf: AS_OF, out, backup: false, assignReceipts: true, ...options }, (line) => lines.push(line));

beforeEach(async () => {
  dir = await folder();
  out = await mkdtemp(join(tmpdir(), 'tidings-out-'));
  lines = [];
});

describe('receipts: the dry run', () => {
  it('writes one .eml per donor with email into the outbox, PDFs attached, and records nothing', async () => {
    await receipts({ since: '2024-01-01' });
    const box = join(out, 'private/outbox/receipts');
    const files = (await readdir(box)).sort();
    expect(files.filter((f) => f.endsWith('.eml'))).toEqual(['0001-C1.eml', '0002-C2.eml']); // C3 has no email, C4 is do_not_contact
    expect(await readFile(join(box, 'index.html'), 'utf8')).toContain('tidings receipts --since 2024-01-01 --as-of 2024-12-31 --live');
    const mail = await simpleParser(await readFile(join(box, '0001-C1.eml')));
    expect(mail.subject).toBe('【小小基金會】捐款收據（2 筆）');
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toBe('meiling@example.org');
    expect(mail.headers.has('list-unsubscribe')).toBe(false);
    expect(mail.attachments.map((a) => `${a.filename} ${a.contentType}`)).toEqual(['2024-00001.pdf application/pdf', '2024-00002.pdf application/pdf']);
    expect(await pdfText(mail.attachments[0].content)).toContain('新臺幣壹仟貳佰元整');
    expect(lines.join('\n')).toMatch(/dry run \(nothing sent\): 2 emails/);
    expect((await readdir(dir)).includes('email_events.csv')).toBe(false);
  });

  it('without email_from it stops after writing the PDFs, saying what to set', async () => {
    dir = await folder({ email_from: '' });
    await expect(receipts({ since: '2024-01-01' })).rejects.toThrow(/settings: email_from is blank: set it to the verified sender/);
    expect((await readdir(join(out, 'private/receipts'))).filter((f) => f.endsWith('.pdf'))).toHaveLength(5);
  });
});

describe('receipts: --live through Resend', () => {
  let server: FakeResend;
  beforeEach(async () => {
    server = await new FakeResend({ limit: 1000, windowMs: 1000 }).start();
    process.env.RESEND_API_KEY = 're_test';
    process.env.RESEND_BASE_URL = server.url;
  });
  afterEach(async () => {
    delete process.env.RESEND_API_KEY;
    delete process.env.RESEND_BASE_URL;
    await server.close();
  });

  it('sends each receipt exactly once, however often it runs and whatever --since says', async () => {
    await receipts({ since: '2024-01-01', live: true });
    expect(Object.fromEntries(server.deliveries)).toEqual({ 'meiling@example.org': 1, 'amy@example.org': 1 });
    const stored = [...server.emails.values()].find((e) => e.to[0] === 'meiling@example.org')!;
    expect(stored.attachments?.map((a) => a.filename)).toEqual(['2024-00001.pdf', '2024-00002.pdf']);
    expect(await pdfText(Buffer.from(stored.attachments![1].content, 'base64'))).toContain('新臺幣捌佰元整');
    const ledger = await csvRows(join(dir, 'email_events.csv'));
    expect(ledger.map((r) => `${r.mailing_id} ${r.contact_id} ${r.last_event} ${server.emails.has(r.message_id)}`)).toEqual([
      'receipt:2024-00001+2024-00002 C1 sent true', 'receipt:2024-00003 C2 sent true',
    ]);

    await receipts({ since: '2024-01-01', live: true });
    await receipts({ since: '2024-05-01', live: true });
    expect(Object.fromEntries(server.deliveries)).toEqual({ 'meiling@example.org': 1, 'amy@example.org': 1 });

    // A new gift: only its receipt goes out.
    await writeFile(join(dir, 'donations.csv'), `${await readFile(join(dir, 'donations.csv'), 'utf8')}D6,C1,2024-06-01,100\n`);
    await receipts({ since: '2024-01-01', live: true });
    expect(server.deliveries.get('meiling@example.org')).toBe(2);
    const latest = [...server.emails.values()].filter((e) => e.to[0] === 'meiling@example.org').at(-1)!;
    expect(latest.attachments?.map((a) => a.filename)).toEqual(['2024-00006.pdf']);
  });

  it('the annual summary goes once per donor', async () => {
    await receipts({ year: '2024', live: true });
    await receipts({ year: '2024', live: true });
    expect(Object.fromEntries(server.deliveries)).toEqual({ 'meiling@example.org': 1, 'amy@example.org': 1 });
    expect([...server.emails.values()].map((e) => e.subject).sort()).toEqual(['Your 2024 giving summary from 小小基金會', '【小小基金會】2024 年度捐款證明']);
    expect(lines.at(-1)).toBe('  sent 0 emails (0 requests)');
  });

  it('a run that stopped after sending, before recording, is replayed under the same key: nothing goes twice', async () => {
    await receipts({ since: '2024-01-01' }); // numbers the gifts
    const source = new CsvFolderSource(dir);
    const synced = await loadDataset(source, AS_OF);
    const deliveries = receiptDeliveries(synced.dataset, '2024-01-01', AS_OF);
    const messages = await receiptMessages(deliveries, await writeDeliveries(out, deliveries), synced.dataset);
    // The plan is written (write 1); recording the confirmations (write 2) crashes.
    let writes = 0;
    const crashing: WritableSource = Object.assign(Object.create(source) as CsvFolderSource, {
      async updateCells(...args: Parameters<CsvFolderSource['updateCells']>) {
        if (++writes === 1) throw new Error('crash while recording');
        return source.updateCells(...args);
      },
    });
    const sender = new BatchSender(new Resend('re_test', { baseUrl: server.url }), new Pacer(FAST));
    await expect(sendReceipts(synced.dataset.email_events, messages, { source: crashing, sender })).rejects.toThrow(/crash while recording/);
    expect(server.deliveries.get('meiling@example.org')).toBe(1);
    expect((await csvRows(join(dir, 'email_events.csv'))).map((r) => r.message_id)).toEqual([
      'pending:receipt:2024-00001+2024-00002:1:1', 'pending:receipt:2024-00003:1:1',
    ]);

    await receipts({ since: '2024-01-01', live: true });
    expect(lines.join('\n')).toMatch(/sent 2 emails \(2 requests\), 2 resumed from an earlier run/);
    expect(Object.fromEntries(server.deliveries)).toEqual({ 'meiling@example.org': 1, 'amy@example.org': 1 });
    expect(server.batchLog.map((b) => b.outcome)).toEqual(['accepted', 'accepted', 'replayed', 'replayed']);
    const ledger = await csvRows(join(dir, 'email_events.csv'));
    expect(ledger.every((r) => server.emails.has(r.message_id))).toBe(true);
  });

  it('needs RESEND_API_KEY for --live', async () => {
    delete process.env.RESEND_API_KEY;
    await expect(receipts({ since: '2024-01-01', live: true })).rejects.toThrow(/RESEND_API_KEY is not set/);
    expect(server.deliveries.size).toBe(0);
  });
});
