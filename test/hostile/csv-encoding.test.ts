import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { unsubscribeToken } from '../../emails/unsubscribe.ts';
import { CsvFolderSource } from '../../sync/sources/csv.ts';
import { loadDataset } from '../../sync/load.ts';
import { tidings } from '../support/cli.ts';
import { SETTINGS, writeCsvFolder } from '../support/csv-folder.ts';

// What Excel's plain "CSV" writes on Windows in Traditional Chinese: code page 950 (iconv-lite's
// cp950 table), with the characters only cp950 has (碁銹裏墻恒粧嫺, €), full-width digits and NT$.
const cp950 = (text: string) => iconv.encode(text, 'cp950');
const CONTACTS = [
  'contact_id,first_name,last_name,email,phone,email_opt_in,notes',
  'C1,美玲,陳,meiling@example.org,０９１２３４５６７８,是,碁銹裏墻恒粧嫺',
  'C2,志明,林,chiming@example.org,0912000222,yes,捐款 €20 歐元',
].join('\r\n');
const DONATIONS = [
  'donation_id,contact_id,date,amount,status,notes',
  'D1,C1,2024-03-01,"NT$1,200",已完成,年終捐款',
  'D2,C2,2024-03-02,１５００,completed,',
].join('\r\n');

async function big5Folder(): Promise<string> {
  const dir = await writeCsvFolder({ contacts: [], donations: [] }, SETTINGS);
  await writeFile(join(dir, 'contacts.csv'), cp950(`${CONTACTS}\r\n`));
  await writeFile(join(dir, 'donations.csv'), cp950(`${DONATIONS}\r\n`));
  return dir;
}

describe('a CSV saved by Excel on zh-TW Windows (Big5)', () => {
  it('is read as Big5: every character right, nothing replaced by U+FFFD, and a warning says how to save it as UTF-8', async () => {
    const dir = await big5Folder();
    const synced = await loadDataset(new CsvFolderSource(dir), '2024-12-31');
    const [c1, c2] = synced.dataset.contacts;
    expect([c1.last_name, c1.first_name, c1.phone, c1.notes]).toEqual(['陳', '美玲', '０９１２３４５６７８', '碁銹裏墻恒粧嫺']);
    expect(c2.notes).toBe('捐款 €20 歐元');
    expect(synced.dataset.donations.map((d) => [d.amount, d.notes])).toEqual([[120_000, '年終捐款'], [150_000, undefined]]);
    expect(JSON.stringify(synced.dataset)).not.toContain('\uFFFD');
    const warnings = synced.problems.filter((p) => /Big5/.test(p.message));
    expect(warnings.map((p) => p.tab)).toEqual(['contacts', 'donations']);
    expect(warnings[0].message).toMatch(/^contacts\.csv is not saved as UTF-8: it was read as Big5 .*File > Save As > "CSV UTF-8 \(Comma delimited\)/);
  });

  it('sync keeps the right text in its backup and problems, and never writes to the Big5 file (an unsubscribe is an error, the file unchanged)', async () => {
    const dir = await big5Folder();
    const out = join(dir, 'out');
    const backups = join(dir, 'backups');
    const plain = await tidings('sync', '--source', `csv:${dir}`, '--as-of', '2024-12-31', '--out', out, '--backup-dir', backups);
    expect(plain.code).toBe(0);
    const problems = parse(await readFile(join(out, 'private/problems.csv'), 'utf8'), { columns: true, bom: true }) as Record<string, string>[];
    expect(problems.filter((p) => /read as Big5/.test(p.message)).map((p) => p.tab)).toEqual(['contacts', 'donations']);
    const [snapshot] = await readdir(backups);
    const backup = gunzipSync(await readFile(join(backups, snapshot, 'contacts.csv.gz'))).toString('utf8');
    expect(backup).toContain('碁銹裏墻恒粧嫺');
    expect(backup).toContain('捐款 €20 歐元');
    expect(backup).not.toContain('\uFFFD');

    const before = await readFile(join(dir, 'contacts.csv'));
    const secret = 'encoding-test-secret';
    await writeFile(join(dir, 'unsubscribes.csv'), `timestamp,token\n2024-12-30 10:00,${unsubscribeToken(secret, 'C1')}\n`);
    process.env.TIDINGS_UNSUBSCRIBE_SECRET = secret;
    try {
      const unsubscribe = await tidings('sync', '--source', `csv:${dir}`, '--as-of', '2024-12-31', '--out', out, '--no-backup');
      expect(unsubscribe.code).toBe(2);
      expect(unsubscribe.stderr).toMatch(/contacts\.csv is not saved as UTF-8 .*so Tidings did not write to it: 1 cell updates \(email_opt_in\) not written, the file is unchanged\. Open it in Excel, File > Save As > "CSV UTF-8/);
    } finally {
      delete process.env.TIDINGS_UNSUBSCRIBE_SECRET;
    }
    expect(await readFile(join(dir, 'contacts.csv'))).toEqual(before);
  });

  it('is detected while streaming: Big5 first seen after more than a megabyte of ASCII rows, and spanning several megabytes', async () => {
    const dir = await writeCsvFolder({ contacts: [], donations: [] }, SETTINGS);
    const ascii = Array.from({ length: 30_000 }, (_, i) => `A${i},Amy,Lin,amy${i}@example.org,,yes,plain note`);
    const chinese = Array.from({ length: 60_000 }, (_, i) => `B${i},美玲,陳,mei${i}@example.org,,是,碁銹裏墻恒粧嫺 € ${i}`);
    const text = [CONTACTS.split('\r\n')[0], ...ascii, ...chinese].join('\n');
    expect(text.indexOf('美')).toBeGreaterThan(1024 * 1024);
    await writeFile(join(dir, 'contacts.csv'), cp950(text));
    const rows = (await new CsvFolderSource(dir).read()).get('contacts')!.rows;
    expect(rows).toHaveLength(90_000);
    expect(rows[29_999]).toEqual(['A29999', 'Amy', 'Lin', 'amy29999@example.org', '', 'yes', 'plain note']);
    expect(rows[30_000]).toEqual(['B0', '美玲', '陳', 'mei0@example.org', '', '是', '碁銹裏墻恒粧嫺 € 0']);
    expect(rows[89_999][6]).toBe('碁銹裏墻恒粧嫺 € 59999');
  });
});

describe('a CSV in neither UTF-8 nor Big5', () => {
  it('stops with an error naming the file, the byte and the line of the first bad byte', async () => {
    const dir = await writeCsvFolder({ contacts: [], donations: [] }, SETTINGS);
    // Latin-1 (Excel on a Western Windows): é is the single byte E9, not UTF-8 and not Big5.
    await writeFile(join(dir, 'contacts.csv'), Buffer.concat([Buffer.from('contact_id,first_name\nC1,Amy\nC2,Ren'), Buffer.from([0xe9]), Buffer.from(',x\n')]));
    await expect(new CsvFolderSource(dir).read()).rejects.toThrow(/^contacts\.csv is neither UTF-8 nor Big5: the first byte that is not text is at around byte 36 \(line 3\)\. Nothing was read: open it in Excel and save it .*"CSV UTF-8/);
    const run = await tidings('sync', '--source', `csv:${dir}`, '--as-of', '2024-12-31', '--out', join(dir, 'out'), '--no-backup');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('contacts.csv is neither UTF-8 nor Big5');
  });

  it('a UTF-8 file with Big5 joined on further down stops at the first Big5 line', async () => {
    const dir = await writeCsvFolder({ contacts: [], donations: [] }, SETTINGS);
    const utf8 = Buffer.from(['contact_id,first_name', ...Array.from({ length: 20_000 }, (_, i) => `U${i},美玲`)].join('\n') + '\n');
    await writeFile(join(dir, 'contacts.csv'), Buffer.concat([utf8, cp950('B1,陳志明\n')]));
    await expect(new CsvFolderSource(dir).read()).rejects.toThrow(
      new RegExp(`^contacts\\.csv began as UTF-8 text but is not UTF-8 from around byte ${(utf8.length + 3).toLocaleString('en-US')} \\(line 20,002\\) on`),
    );
  });
});
