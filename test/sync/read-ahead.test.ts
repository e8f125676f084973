import { cp, mkdtemp, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { BackupWriter } from '../../sync/backup.ts';
import { type Synced, loadDataset } from '../../sync/load.ts';
import { ReadAhead } from '../../sync/read-ahead.ts';
import { findCut } from '../../sync/sources/csv-cut.ts';
import { CsvFolderSource, parseCsvTab, readCsvTab } from '../../sync/sources/csv.ts';
import type { TabPart } from '../../sync/sources/source.ts';
import { ROOT, tidings } from '../support/cli.ts';

// Sync of a CSV folder read on two threads (sync/read-ahead.ts) must give exactly what one thread
// reading everything gives: the dataset, the problems (same order, rows, columns, values,
// messages), the summary, the headers, and the backup snapshot.

const AS_OF = '2026-11-22';
const OFF = { minBytes: Number.POSITIVE_INFINITY };
const ahead = (split: number) => ({ minBytes: 0, split });

const quote = (cell: string) => (/[",\n\r]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
const line = (cells: string[]) => cells.map(quote).join(',');
const LONG = `${'x'.repeat(30_000)}${'長'.repeat(30_000)}`; // 60,000 characters: over the 50,000 a cell may hold

/** A contact id as a donation names it; every 31st with spaces around it. */
const contactRef = (n: number, i: number) => (i % 31 === 0 ? ` C${n} ` : `C${n}`);

function contactsCsv(count: number): string {
  const lines = ['contact_id,first_name,last_name,email,city,tags,notes'];
  for (let i = 1; i <= count; i++) {
    const id = i % 613 === 0 ? `C${i - 1}` /* repeated id: error */ : i % 37 === 0 ? `  C${i} ` : `C${i}`;
    const nameless = i % 577 === 0; // no name and no email: error
    const first = nameless ? '' : i % 23 === 0 ? `  小明${i} ` : `小明${i}`;
    const last = nameless ? '' : i % 29 === 0 ? ' 林 ' : '林';
    const email = nameless ? '' : i % 41 === 0 ? `not-an-email-${i}` : `c${i}@example.org`;
    const notes = i % 101 === 0 ? `第一行\n第二行, "引號" ${i}` : '';
    lines.push(i % 13 === 0 && !nameless
      ? `${line([id, first, last, email, '臺北市', 'volunteer;newsletter'])},5" disk ${i}` // a stray quote in an unquoted cell
      : line([id, first, last, email, i % 7 === 0 ? ' 新竹市 ' : '臺北市', i % 5 === 0 ? '' : 'volunteer;newsletter', notes]));
  }
  return `${lines.join('\n')}\n`;
}

function recurringCsv(count: number, contacts: number): string {
  const lines = ['recurring_id,contact_id,amount,frequency,start_date,status,campaign'];
  for (let i = 1; i <= count; i++) {
    const status = i % 50 === 0 ? 'bogus' : i % 3 === 0 ? '扣款中' : 'in_progress';
    lines.push(line([`R${i}`, contactRef((i * 7) % contacts + 1, i), i % 11 === 0 ? 'NT$1,000' : '500', 'monthly', i % 9 === 0 ? '114/3/5' : '2025-03-05', status, ` 每月夥伴 `]));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Donations with, every few hundred rows all through the file (so around wherever a cut falls):
 * errors (zero amount, an unknown contact, a repeated id, an unknown recurring id), ROC dates,
 * NT$ amounts, blank lines, quoted cells with commas, line breaks and "" quotes, stray quotes in
 * unquoted cells, Chinese text, spaces around ids and text, and cells over the cell limit.
 */
function donationsCsv(count: number, contacts: number, longAt: number[]): string {
  const lines = ['donation_id,contact_id,date,amount,recurring_id,campaign,payment_method,notes'];
  for (let i = 1; i <= count; i++) {
    const id = i % 499 === 0 ? `D${String(i - 1).padStart(6, '0')}` : `D${String(i).padStart(6, '0')}`;
    const contact = i % 401 === 0 ? 'C99999' : contactRef((i % contacts) + 1, i);
    const date = i % 53 === 0 ? '115/11/2' : i % 59 === 0 ? '2026/2/29' /* no such day: error */ : `2025-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`;
    const amount = i % 389 === 0 ? '0' : i % 7 === 0 ? 'NT$1,000' : i % 67 === 0 ? '一千' /* not a number: error */ : String(100 + (i % 50) * 10);
    const recurring = i % 150 === 0 ? `R${i / 150}` : '';
    const campaign = i % 19 === 0 ? ' 歲末募款 ' : '歲末募款';
    const notes = longAt.includes(i)
      ? LONG
      : i % 97 === 0 ? `謝謝,\n林小姐 "阿明" 的家人\n${i}`
      : i % 17 === 0 ? `他說 "謝謝" ${i}`
      : i % 11 === 0 ? '謝謝, 林小姐'
      : i % 43 === 0 ? `附註：${'捐'.repeat(i % 40)}`
      : '';
    if (i % 13 === 0 && !longAt.includes(i)) lines.push(`${line([id, contact, date, amount, recurring, campaign, '信用卡'])},5" disk ${i}`);
    else lines.push(line([id, contact, date, amount, recurring, campaign, i % 2 ? '信用卡' : '轉帳', notes]));
    if (i % 211 === 0) lines.push('');
    if (i % 307 === 0) lines.push(',,,,,,,');
  }
  return `${lines.join('\n')}\n`;
}

function eventsCsv(): string {
  return 'event_id,title,date,location\nE1,感恩餐會,2025-09-05,"臺北市, 中山區"\nE2,共餐日,115/6/26,社區活動中心\nE3,  志工培訓 ,2026-01-10,\nE4,,2026-02-10,\n';
}

function participantsCsv(count: number, contacts: number): string {
  const lines = ['event_id,contact_id,status'];
  for (let i = 1; i <= count; i++) lines.push(line([`E${(i % 5) + 1}` /* E5: unknown */, contactRef((i * 13) % contacts + 1, i), i % 4 === 0 ? '已出席' : 'registered']));
  return `${lines.join('\n')}\n`;
}

/** Mailings M1–M4; M5's row has no name (an error: not kept), so messages naming it keep the text as read. */
function mailingsCsv(): string {
  return 'mailing_id,name,subject,status\nM1,一月,一月電子報,sent\nM2,二月,二月電子報,sent\n M3 ,三月,三月電子報,sent\nM4,四月,四月電子報,sent\nM5,,五月電子報,sent\n';
}

/**
 * A send log of a mailing's messages after another's, as Resend's ids are written: contacts known,
 * forgotten (C99999, no such contact) or blank; mailings known, not kept (M5) or unknown; repeated
 * message ids (errors); a time that is no time (an error); an event this version does not know
 * (a warning: the row kept without it); blank lines; zh-TW and emoji addresses.
 */
function emailEventsCsv(count: number, contacts: number): string {
  const lines = ['message_id,mailing_id,contact_id,email,sent_at,last_event,opened_at,clicked_at,updated_at,bounce_type'];
  for (let i = 1; i <= count; i++) {
    const id = i % 997 === 0 ? `msg-${String(i - 3).padStart(8, '0')}` : `msg-${String(i).padStart(8, '0')}`;
    const mailing = i % 887 === 0 ? 'M9' : i % 571 === 0 ? 'M5' : `M${Math.ceil((i / count) * 4)}`;
    const contact = i % 401 === 0 ? 'C99999' : i % 353 === 0 ? '' : contactRef((i * 17) % contacts + 1, i);
    const email = i % 113 === 0 ? `林小姐${i}@例子.台灣` : i % 127 === 0 ? `🙂${i}@example.org` : `c${i}@example.org`;
    const sent = i % 719 === 0 ? '下週一' : `2026-0${(i % 9) + 1}-0${(i % 8) + 1}T08:00:00.000Z`;
    const event = i % 661 === 0 ? 'teleported' : i % 5 === 0 ? 'opened' : i % 7 === 0 ? 'bounced' : 'delivered';
    const opened = event === 'opened' ? `2026-0${(i % 9) + 1}-1${i % 10}T09:${String(i % 60).padStart(2, '0')}:00.000Z` : '';
    lines.push(line([id, mailing, contact, email, sent, event, opened, '', opened, event === 'bounced' ? (i % 2 ? 'Permanent' : 'soft') : '']));
    if (i % 1_009 === 0) lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

interface Workbook { [file: string]: string | Buffer }

function workbook({ contacts = 4_000, donations = 40_000, recurring = 300, participants = 60 } = {}): Workbook {
  return {
    'settings.csv': 'key,value\ntimezone,Asia/Taipei\n',
    'contacts.csv': contactsCsv(contacts),
    'recurring.csv': recurringCsv(recurring, contacts),
    'donations.csv': donationsCsv(donations, contacts, [1_234, Math.floor(donations * 0.62), donations - 5]),
    'events.csv': eventsCsv(),
    'participants.csv': participantsCsv(participants, contacts),
  };
}

async function folder(files: Workbook, name = 'tidings-read-ahead-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), name));
  for (const [file, text] of Object.entries(files)) await writeFile(join(dir, file), text);
  return dir;
}

const crlf = (files: Workbook): Workbook => Object.fromEntries(Object.entries(files).map(([f, t]) => [f, typeof t === 'string' ? t.replaceAll('\n', '\r\n') : t]));

interface Seen { key: string; read: boolean }

async function sync(dir: string, readAhead: Record<string, number>): Promise<{ synced: Synced; parts: Seen[] }> {
  const parts: Seen[] = [];
  const synced = await loadDataset(new CsvFolderSource(dir), AS_OF, undefined, (p: TabPart) => parts.push({ key: p.key, read: p.read !== undefined }), readAhead);
  return { synced, parts };
}

function expectSame(synced: Synced, single: Synced): void {
  expect(synced.dataset).toEqual(single.dataset);
  expect(synced.problems).toEqual(single.problems);
  expect(synced.summary).toEqual(single.summary);
  expect([...synced.headers]).toEqual([...single.headers]);
  expect(synced.asOf).toBe(single.asOf);
}

/** What a run rejects with: its class, message and fields. */
async function failure(run: Promise<unknown>): Promise<{ kind: string; message: string; fields: object }> {
  try {
    await run;
  } catch (error) {
    const e = error as Error;
    return { kind: e.constructor.name, message: e.message, fields: { ...e } };
  }
  throw new Error('the run did not fail');
}

/** A smaller workbook, for the cases that change one file. */
const small = () => workbook({ contacts: 500, donations: 15_000 });

let main: string;
let single: Awaited<ReturnType<typeof sync>>;
beforeAll(async () => {
  main = await folder(workbook());
  single = await sync(main, OFF);
});

describe('the send log read ahead: its messages taken in as one thread takes them in', () => {
  let dir: string;
  let whole: Synced;
  beforeAll(async () => {
    dir = await folder({ ...small(), 'mailings.csv': mailingsCsv(), 'email_events.csv': emailEventsCsv(40_000, 500) }, 'tidings-read-ahead-send-log-');
    whole = (await sync(dir, OFF)).synced;
  });

  it('the send log holds what the comparison needs: several parts, errors, warnings, references not kept', () => {
    const problems = whole.problems.filter((p) => p.tab === 'email_events');
    expect(problems.some((p) => p.severity === 'error' && p.column === 'message_id')).toBe(true);
    expect(problems.some((p) => p.severity === 'error' && p.column === 'sent_at')).toBe(true);
    expect(problems.some((p) => p.severity === 'warning' && p.column === 'last_event')).toBe(true);
    const rows = [...whole.dataset.email_events];
    expect(rows.length).toBeGreaterThan(39_000);
    expect(rows.some((r) => r.contact_id === 'C99999') && rows.some((r) => r.mailing_id === 'M5') && rows.some((r) => r.mailing_id === 'M9')).toBe(true);
    expect(rows.some((r) => r.contact_id === undefined)).toBe(true);
  });

  it.each([0.1, 0.3, 0.55, 0.8])('split %s (the last two cut inside the send log): the same dataset, problems, summary and headers', async (split) => {
    const { synced, parts } = await sync(dir, ahead(split));
    expectSame(synced, whole);
    const sendLog = parts.filter((p) => p.key === 'email_events').map((p) => p.read);
    expect(sendLog.length).toBeGreaterThanOrEqual(3);
    expect(sendLog.at(-1)).toBe(true);
    if (split < 0.5) expect(sendLog.every(Boolean)).toBe(true);
    else expect(sendLog[0]).toBe(false);
  });
});

describe('reading ahead on a second thread gives what one thread gives', () => {
  it('the workbook holds what the comparison needs: several parts, problems all through the donations, capped cells', () => {
    expect(single.parts.every((p) => !p.read)).toBe(true);
    expect(single.parts.filter((p) => p.key === 'donations').length).toBeGreaterThanOrEqual(3);
    const problems = single.synced.problems;
    const donationRows = problems.filter((p) => p.tab === 'donations' && p.row).map((p) => p.row!);
    // Problems from near the start to near the end of the file, so a cut anywhere has some on both sides.
    expect(Math.min(...donationRows)).toBeLessThan(500);
    expect(Math.max(...donationRows)).toBeGreaterThan(40_000);
    expect(problems.filter((p) => /more than the 50,000 a Google Sheets cell can hold/.test(p.message))).toHaveLength(3);
    expect(problems.some((p) => p.tab === 'contacts' && p.severity === 'warning' && p.column === 'email')).toBe(true);
    expect(problems.some((p) => p.tab === 'contacts' && p.severity === 'error')).toBe(true);
    expect(problems.some((p) => p.tab === 'participants')).toBe(true);
    expect(single.synced.dataset.donations.length).toBeGreaterThan(35_000);
  });

  it.each([0, 0.03, 0.15, 0.3, 0.5, 0.7, 0.9, 1])('split %s: the same dataset, problems, summary and headers', async (split) => {
    const { synced, parts } = await sync(main, ahead(split));
    expectSame(synced, single.synced);
    // Read ahead it was: the second thread's parts come with their values read.
    if (split < 1) expect(parts.some((p) => p.read)).toBe(true);
    else expect(parts.some((p) => p.read)).toBe(false);
    // A split inside the donations cuts that tab: its first parts read here, the rest there (the
    // split is of the reading, in which a contact's byte weighs more than a gift's).
    const donations = parts.filter((p) => p.key === 'donations').map((p) => p.read);
    if (split >= 0.3 && split <= 0.9) {
      expect(donations[0]).toBe(false);
      expect(donations.at(-1)).toBe(true);
    }
    if (split === 0.03) expect(donations.every(Boolean)).toBe(true); // cut inside contacts
  });

  describe('with CRLF line ends', () => {
    let dir: string;
    let whole: Synced;
    beforeAll(async () => {
      dir = await folder(crlf(workbook()), 'tidings-read-ahead-crlf-');
      whole = (await sync(dir, OFF)).synced;
    });

    it.each([0.2, 0.6])('split %s: the same dataset, problems, summary and headers', async (split) => {
      const { synced, parts } = await sync(dir, ahead(split));
      expectSame(synced, whole);
      const donations = parts.filter((p) => p.key === 'donations').map((p) => p.read);
      expect(donations[0]).toBe(false);
      expect(donations.at(-1)).toBe(true);
    });
  });

  it('the backup snapshot is byte for byte the same', async () => {
    const snapshot = async (readAhead: Record<string, number>) => {
      const backups = await mkdtemp(join(tmpdir(), 'tidings-read-ahead-backup-'));
      const backup = new BackupWriter(backups, new Date('2026-11-22T01:02:03.004Z'));
      let read = 0;
      await loadDataset(new CsvFolderSource(main), AS_OF, undefined, (p) => {
        if (p.read) read++;
        backup.add(p);
      }, readAhead);
      const dir = await backup.finish();
      const files = (await readdir(dir)).sort();
      return { read, files: new Map(await Promise.all(files.map(async (f) => [f, gunzipSync(await readFile(join(dir, f)))] as const))) };
    };
    const one = await snapshot(OFF);
    const two = await snapshot(ahead(0.4));
    expect(one.read).toBe(0);
    expect(two.read).toBeGreaterThan(0);
    expect([...two.files.keys()]).toEqual([...one.files.keys()]);
    expect([...one.files.keys()]).toEqual(expect.arrayContaining(['contacts.csv.gz', 'donations.csv.gz', 'participants.csv.gz']));
    for (const [file, bytes] of one.files) expect({ file, same: Buffer.compare(two.files.get(file)!, bytes) === 0 }).toEqual({ file, same: true });
  });
});

describe('errors come out as when one thread reads', () => {

  it('a quote never closed, far after the cut or before it: the same SourceError', async () => {
    for (const where of [14_000, 300]) {
      const files = small();
      const lines = (files['donations.csv'] as string).split('\n');
      lines.splice(where, 0, 'D999999,C1,2025-01-01,"100,,,,');
      const dir = await folder({ ...files, 'donations.csv': lines.join('\n') });
      const one = await failure(sync(dir, OFF));
      const two = await failure(sync(dir, ahead(0.3)));
      expect(one.message).toMatch(/^donations\.csv, row \d+: a quoted cell is never closed/);
      expect(two).toEqual(one);
    }
  });

  it('a required column missing in a tab the second thread reads: the same error', async () => {
    const dir = await folder({ ...small(), 'participants.csv': 'event_id,status\nE1,registered\nE2,attended\n' });
    const one = await failure(sync(dir, OFF));
    const two = await failure(sync(dir, ahead(0.3)));
    expect(one.message).toMatch(/no column "contact_id", which is required/);
    // A missing column is the tab's, not a damaged file's: not "replace it with a good copy".
    expect(one.message).not.toMatch(/cannot be read|good copy/);
    expect(two).toEqual(one);
  });

  it('a donations file in Big5: read whole on one side, the same dataset and the same Big5 warning', async () => {
    const files = small();
    const dir = await folder({ ...files, 'donations.csv': iconv.encode(files['donations.csv'] as string, 'cp950') });
    const one = await sync(dir, OFF);
    const two = await sync(dir, ahead(0.5));
    expectSame(two.synced, one.synced);
    expect(one.synced.problems.filter((p) => p.tab === 'donations' && /read as Big5/.test(p.message))).toHaveLength(1);
    expect(two.parts.some((p) => p.read)).toBe(true);
    const donations = two.parts.filter((p) => p.key === 'donations');
    expect(donations.length).toBeGreaterThan(0);
    // Not cut: the tab is read on one side only.
    expect(new Set(donations.map((p) => p.read)).size).toBe(1);
  });
});

describe('a file saved again while it is read in pieces', () => {
  const changed = /^donations\.csv changed while Tidings was reading it \(saved again, or replaced\): nothing was used/;
  const pieceOf = async (dir: string) => {
    const tab = (await new CsvFolderSource(dir).tabs()).find((t) => t.key === 'donations')!;
    const cut = (await findCut(tab.path, 0.5))!;
    return { tab, head: { start: 0, end: cut.at, rowsBefore: 0 } };
  };

  it('stops the read when staff saved the file after it was listed (Excel writes it in place)', async () => {
    const dir = await folder(small());
    const { tab, head } = await pieceOf(dir);
    await writeFile(tab.path, `${await readFile(tab.path, 'utf8')}D999998,C1,2025-01-01,100\n`);
    await expect(readCsvTab(tab, () => undefined, head)).rejects.toThrow(changed);
  });

  it('stops the read when the file was replaced by another of the same size (saved through a rename)', async () => {
    const dir = await folder(small());
    const { tab, head } = await pieceOf(dir);
    const copy = join(dir, 'donations.csv.new');
    await writeFile(copy, await readFile(tab.path));
    await rename(copy, tab.path);
    await expect(readCsvTab(tab, () => undefined, head)).rejects.toThrow(changed);
  });

  it('reads a piece of the file as listed', async () => {
    const dir = await folder(small());
    const { tab, head } = await pieceOf(dir);
    let rows = 0;
    await readCsvTab(tab, (part) => (rows += part.rows.length), head);
    expect(rows).toBeGreaterThan(0);
  });
});

describe('the share each thread reads, by default', () => {
  const MB = 1024 * 1024;
  const tab = (key: string, mb: number) => ({ key, name: key, file: `${key}.csv`, path: `/x/${key}.csv`, bytes: mb * MB, stamp: '' });
  // The sizes of workload L: the segments' tabs, then the whole workbook with its send log.
  const segmentTabs = [tab('contacts', 6.1), tab('recurring', 1.6), tab('donations', 46.5), tab('events', 0.002), tab('participants', 0.19)];
  const plan = (tabs: ReturnType<typeof tab>[]) => ReadAhead.plan(tabs, { minBytes: 0, keepRaw: [] })!;

  it('cuts the segments\' tabs in the donations, this thread reading the contacts and plans first', () => {
    const { cut, there } = plan(segmentTabs);
    expect(cut?.tab.key).toBe('donations');
    expect(there.map((t) => t.key)).toEqual(['events', 'participants']);
    expect(cut!.fraction).toBeGreaterThan(0.1);
    expect(cut!.fraction).toBeLessThan(0.5);
  });

  it('gives the second thread more of the donations when a large send log follows (taking a message in costs more than a gift)', () => {
    const whole = plan([...segmentTabs, tab('mailings', 0.02), tab('email_events', 159.5)]);
    expect(whole.cut?.tab.key).toBe('donations');
    expect(whole.there.map((t) => t.key)).toEqual(['events', 'participants', 'mailings', 'email_events']);
    expect(whole.cut!.fraction).toBeGreaterThan(plan(segmentTabs).cut!.fraction);
    // Without the donations, the send log itself is cut.
    expect(plan([tab('contacts', 6.1), tab('email_events', 159.5)]).cut?.tab.key).toBe('email_events');
  });

  it('reads nothing ahead below the threshold, and an explicit split still places the cut', () => {
    expect(ReadAhead.plan(segmentTabs, { minBytes: 100 * MB, keepRaw: [] })).toBeUndefined();
    expect(ReadAhead.plan(segmentTabs, { minBytes: 0, keepRaw: [], split: 1 })!.there).toEqual([]);
    expect(ReadAhead.plan(segmentTabs, { minBytes: 0, keepRaw: [], split: 0 })!.there).toEqual(segmentTabs);
  });
});

describe('TIDINGS_READ_AHEAD_BYTES', () => {
  it('a value that is not a number of bytes is a clear error naming it', async () => {
    const was = process.env.TIDINGS_READ_AHEAD_BYTES;
    process.env.TIDINGS_READ_AHEAD_BYTES = 'lots';
    try {
      await expect(loadDataset(new CsvFolderSource(await folder(small())), AS_OF)).rejects.toThrow(/^TIDINGS_READ_AHEAD_BYTES=lots: give a number of bytes/);
    } finally {
      if (was === undefined) delete process.env.TIDINGS_READ_AHEAD_BYTES;
      else process.env.TIDINGS_READ_AHEAD_BYTES = was;
    }
  });
});

describe('findCut', () => {
  // Rows with quoted cells over several lines, "" quotes, commas, blank lines and Chinese text.
  function csv(rows: number, eol = '\n'): string {
    const lines = ['id,name,notes'];
    for (let i = 1; i <= rows; i++) {
      const notes = i % 3 === 0 ? `"第一行${eol}第二行,${eol}他說 ""好"" ${i}"` : i % 5 === 0 ? `"a, b ${i}"` : `備註${i}`;
      lines.push(`R${i},林${i},${notes}`);
      if (i % 7 === 0) lines.push('');
    }
    return `${lines.join(eol)}${eol}`;
  }

  async function file(content: string | Buffer): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'tidings-cut-'));
    await writeFile(join(dir, 't.csv'), content);
    return join(dir, 't.csv');
  }

  async function expectCutReadsAsWhole(bytes: Buffer, fraction: number): Promise<void> {
    const cut = await findCut(await file(bytes), fraction);
    expect(cut).toBeDefined();
    const { at, rowsBefore, headerEnd } = cut!;
    expect(at).toBeGreaterThan(headerEnd);
    expect(at).toBeLessThan(bytes.length);
    expect(Math.abs(at - bytes.length * fraction)).toBeLessThan(bytes.length * 0.05);
    const whole = parseCsvTab('t', bytes);
    const head = parseCsvTab('t', bytes.subarray(0, at));
    const tail = parseCsvTab('t', Buffer.concat([bytes.subarray(0, headerEnd), bytes.subarray(at)]));
    expect(head.header).toEqual(whole.header);
    expect(tail.header).toEqual(whole.header);
    expect(head.rows.length).toBe(rowsBefore);
    expect([...head.rows, ...tail.rows]).toEqual(whole.rows);
    expect(parseCsvTab('t', bytes.subarray(0, headerEnd))).toEqual({ name: 't', header: whole.header, rows: [] });
  }

  it('cuts at a record start: head and tail (with the header) parse as the whole file', async () => {
    for (const [text, bom] of [[csv(3_000), false], [csv(3_000, '\r\n'), false], [csv(3_000), true]] as const) {
      const bytes = Buffer.from(bom ? `\uFEFF${text}` : text);
      const header = bytes.indexOf('\n') + 1;
      expect((await findCut(await file(bytes), 0.5))?.headerEnd).toBe(header);
      for (const fraction of [0.1, 0.33, 0.5, 0.77, 0.95]) await expectCutReadsAsWhole(bytes, fraction);
      // Targets inside a quoted cell (just after a line break in it) and just after a blank line.
      const inside = bytes.indexOf('第二行', bytes.length / 2);
      const blank = bytes.indexOf(text.includes('\r\n') ? '\r\n\r\n' : '\n\n', bytes.length / 3);
      for (const at of [inside - 1, inside, blank + 1, blank + 2]) await expectCutReadsAsWhole(bytes, at / bytes.length);
    }
  });

  it('gives no cut for Big5, mixed line ends, only quoted line breaks past the target, or a malformed quote', async () => {
    expect(await findCut(await file(iconv.encode(csv(3_000), 'cp950')), 0.5)).toBeUndefined();
    const mixed = csv(3_000).split('\n').map((l, i) => (i % 100 === 99 ? `${l}\r` : l)).join('\n');
    expect(await findCut(await file(mixed), 0.5)).toBeUndefined();
    const oneCell = `id,notes\nR1,"${'一行\n'.repeat(5_000)}end"\n`;
    expect(await findCut(await file(oneCell), 0.5)).toBeUndefined();
    const malformed = `id,name,notes\nR0,"abc"x,1\n${csv(3_000).split('\n').slice(1).join('\n')}`;
    expect(await findCut(await file(malformed), 0.5)).toBeUndefined();
    // Sanity: the same files without what makes them uncuttable are cut.
    expect(await findCut(await file(csv(3_000)), 0.5)).toBeDefined();
  });
});

describe('the CLI (compiled worker)', () => {
  async function files(dir: string): Promise<string[]> {
    const found: string[] = [];
    for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) found.push(relative(dir, join(e.parentPath, e.name)));
    return found.sort();
  }

  it('sync of data/sample writes the same problems and segments read ahead or not', async () => {
    const sample = await mkdtemp(join(tmpdir(), 'tidings-read-ahead-sample-'));
    await cp(join(ROOT, 'data/sample'), sample, { recursive: true });
    const run = async (bytes: string) => {
      const out = await mkdtemp(join(tmpdir(), 'tidings-read-ahead-out-'));
      const before = process.env.TIDINGS_READ_AHEAD_BYTES;
      process.env.TIDINGS_READ_AHEAD_BYTES = bytes;
      try {
        const result = await tidings('sync', '--source', `csv:${sample}`, '--as-of', AS_OF, '--out', out, '--no-backup');
        expect(result.code, result.stderr).toBe(0);
      } finally {
        if (before === undefined) delete process.env.TIDINGS_READ_AHEAD_BYTES;
        else process.env.TIDINGS_READ_AHEAD_BYTES = before;
      }
      return join(out, 'private');
    };
    const one = await run('1000000000000');
    const two = await run('0');
    const segments = (await files(one)).filter((f) => f.startsWith('segments/') && f.endsWith('.csv'));
    expect(segments.length).toBeGreaterThan(0);
    expect((await files(two)).filter((f) => f.startsWith('segments/') && f.endsWith('.csv'))).toEqual(segments);
    for (const f of ['problems.csv', ...segments]) {
      expect({ f, text: await readFile(join(two, f), 'utf8') }).toEqual({ f, text: await readFile(join(one, f), 'utf8') });
    }
    expect((await readFile(join(one, 'problems.csv'), 'utf8')).split('\n').length).toBeGreaterThan(2);
  });
});
