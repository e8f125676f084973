import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EmailEvent } from '../../sync/dataset.ts';
import { EmailEventColumns, readOnly } from '../../sync/email-event-rows.ts';
import { loadDataset } from '../../sync/load.ts';
import { CsvFolderSource } from '../../sync/sources/csv.ts';
import { TextRun, textAt } from '../../sync/text-run.ts';

const row = (i: number, more: Partial<EmailEvent> = {}): EmailEvent => ({
  message_id: `4f1c2a7e-0000-4000-8000-${String(i).padStart(12, '0')}`,
  mailing_id: `M${i % 7}`,
  contact_id: i % 5 ? `C${i % 300}` : undefined,
  email: i % 5 ? `reader${i % 300}@example.org` : undefined,
  sent_at: `2026-0${1 + (i % 9)}-01T02:00:00.000Z`,
  last_event: (['delivered', 'opened', 'clicked', 'bounced'] as const)[i % 4],
  opened_at: i % 4 === 1 || i % 4 === 2 ? `2026-01-01T03:${String(i % 60).padStart(2, '0')}:00.${String(i % 1000).padStart(3, '0')}Z` : undefined,
  clicked_at: i % 4 === 2 ? '2026-01-01T04:00:00.000Z' : undefined,
  updated_at: `2026-01-0${1 + (i % 9)}T05:00:00.000Z`,
  bounce_type: i % 4 === 3 ? 'hard' : undefined,
  row: i + 2,
  ...more,
});

describe('the send log held as columns', () => {
  it('gives back every row as it was put in, across many blocks, with blanks, non-ASCII texts and a lone surrogate', () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => row(i));
    rows[5] = row(5, { email: '林小姐@例子.台灣', message_id: 'pending:2026-11-03T01:02:03.000Z#1' });
    rows[9000] = row(9000, { opened_at: undefined, updated_at: undefined, message_id: 'odd-\ud800-id' });
    rows[19_999] = row(19_999, { mailing_id: '年終募款 🎉' });
    const columns = EmailEventColumns.of(rows);
    expect(columns.length).toBe(20_000);
    expect([...columns]).toEqual(rows);
    expect(columns.at(9000).message_id).toBe('odd-\ud800-id');
    expect(columns.at(5).email).toBe('林小姐@例子.台灣');
    // Every column is in each row, as in a row validation keeps (a blank is undefined, not missing).
    expect(Object.keys(columns.at(0))).toEqual(Object.keys(rows[0]));
    expect(JSON.stringify(columns)).toBe(JSON.stringify(rows));
  });

  it('is read only once sealed, and read only after', () => {
    const columns = new EmailEventColumns();
    columns.push(row(1));
    expect(() => columns.at(0)).toThrow(/seal/);
    columns.seal();
    expect(columns.at(0)).toEqual(row(1));
    expect(() => columns.push(row(2))).toThrow(/read-only/);
    expect([...EmailEventColumns.of([])]).toEqual([]);
  });

  it('reads only the columns a pass asks for; an array of rows is read as it is', () => {
    const rows = Array.from({ length: 10 }, (_, i) => row(i));
    const read = [...readOnly(EmailEventColumns.of(rows), ['mailing_id', 'opened_at', 'last_event'])];
    expect(read.map((e) => [e.mailing_id, e.opened_at, e.last_event])).toEqual(rows.map((e) => [e.mailing_id, e.opened_at, e.last_event]));
    // A row's own texts not asked for are not decoded.
    expect(read.every((e) => (e as EmailEvent).message_id === undefined && (e as EmailEvent).email === undefined)).toBe(true);
    expect(readOnly(rows, ['mailing_id'])).toBe(rows);
  });

  it('is what sync gives for a send log, row for row as the file says', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tidings-events-'));
    await writeFile(join(dir, 'settings.csv'), 'key,value\norg_name,Test\ncurrency,TWD\ntimezone,Asia/Taipei\n');
    await writeFile(join(dir, 'contacts.csv'), 'contact_id,first_name,email\nC1,Amy,amy@example.org\n');
    await writeFile(join(dir, 'donations.csv'), 'donation_id,contact_id,date,amount,status\n');
    await writeFile(join(dir, 'mailings.csv'), 'mailing_id,name,subject,template,status,sent_at\nM1,Hello,Hello,newsletter,sent,2026-11-02T02:00:00.000Z\n');
    await writeFile(
      join(dir, 'email_events.csv'),
      'message_id,mailing_id,contact_id,email,sent_at,last_event,opened_at,clicked_at,updated_at,bounce_type\n' +
        'm-1,M1,C1,amy@example.org,2026-11-02T02:00:00.000Z,opened,2026-11-02T03:00:00.000Z,,2026-11-02T03:00:00.000Z,\n' +
        'm-2,M1,,林@例子.台灣,2026-11-02T02:00:01.000Z,bounced,,,2026-11-02T02:10:00.000Z,Permanent\n',
    );
    const { dataset } = await loadDataset(new CsvFolderSource(dir), '2026-11-30');
    expect(dataset.email_events).toBeInstanceOf(EmailEventColumns);
    expect([...dataset.email_events].map((e) => [e.message_id, e.email, e.opened_at, e.clicked_at, e.updated_at, e.bounce_type, e.row])).toEqual([
      ['m-1', 'amy@example.org', '2026-11-02T03:00:00.000Z', undefined, '2026-11-02T03:00:00.000Z', undefined, 2],
      ['m-2', '林@例子.台灣', undefined, undefined, '2026-11-02T02:10:00.000Z', 'hard', 3],
    ]);
  });
});

describe('texts kept as UTF-8 bytes', () => {
  it('read back exactly', () => {
    const run = new TextRun();
    const texts = ['abc', undefined, '', '台北市', 'x\udc00y', 'plain', 'reader@例子.台灣'];
    for (const t of texts) run.add(t);
    const sealed = run.seal();
    expect(sealed.ascii).toBe(false);
    expect(texts.map((_, i) => textAt(sealed, i))).toEqual(['abc', undefined, undefined, '台北市', 'x\udc00y', 'plain', 'reader@例子.台灣']);
    // Sealing leaves the run ready for the next block.
    run.add('again');
    expect(textAt(run.seal(), 0)).toBe('again');
  });
});
