import { execFile } from 'node:child_process';
import { appendFile, readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { tidings } from './support/cli.ts';
import { sampleCopy, tempDir } from './support/sheets.ts';

const run = promisify(execFile);

/**
 * One contact with a marker in every field staff can type (dates and the phone cannot hold a
 * word, so they are values nobody else has), and in the notes of their gifts.
 */
const MARKERS = /zqxmark|987654321|987 654 321|1931-07-13|1932-08-14/i;
const CONTACT = 'ZQXMARKid,ZQXMARKfirst,ZQXMARKlast,ZQXMARKorg,zqxmarkmail@example.org,0987 654 321,1931-07-13,TW,ZQXMARKregion,ZQXMARKcity,ZQXMARKpost,ZQXMARKlang,yes,yes,yes,,"ZQXMARKtag, forget-test",ZQXMARKsource,1932-08-14,ZQXMARKnotes\n'
  + 'C008,Ann,Lee,,ann@example.org,0911 222 333,,TW,,台中,400,,yes,yes,,,forget-test,,,\n';
const GIFTS = 'DZ1,ZQXMARKid,2024-06-20,1200,,,,,,,,,,,,,ZQXMARKgift1\nDZ2,ZQXMARKid,2024-05-20,600,,,,,,,,,,,,,ZQXMARKgift2\nD011,C008,2024-06-21,700,,,,,,,,,,,,,\n';
const MAILING = 'M009,Forget test,Hello,,newsletter,tag:forget-test,,en,,draft,,,\n';
const SETTINGS = 'site_url,https://example.org\nemail_from,Green Hills <news@example.org>\norg_address,1 Example Road\n';

/** Every file under `dir` (but backups/) whose text holds a marker: gzip unpacked, PDFs through pdftotext. */
async function filesWithMarkers(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    if (!entry.isFile() || relative(dir, path).split('/')[0] === 'backups') continue;
    let text: string;
    if (path.endsWith('.pdf')) text = (await run('pdftotext', [path, '-'])).stdout;
    else {
      const bytes = await readFile(path);
      text = (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
    }
    if (MARKERS.test(text)) found.push(relative(dir, path));
  }
  return found.sort();
}

afterEach(() => vi.unstubAllEnvs());

describe('forget, after every stage has run', () => {
  it('leaves no trace of the person under the source folder (but backups/) or out/, and a re-added address is never reached', { timeout: 600_000 }, async () => {
    vi.stubEnv('TIDINGS_UNSUBSCRIBE_SECRET', 'forget-everywhere-secret');
    const data = await sampleCopy();
    const out = await tempDir('forget-out');
    await appendFile(join(data, 'contacts.csv'), CONTACT);
    await appendFile(join(data, 'donations.csv'), GIFTS);
    await appendFile(join(data, 'mailings.csv'), MAILING);
    await appendFile(join(data, 'settings.csv'), SETTINGS);
    const common = ['--source', `csv:${data}`, '--as-of', '2024-07-01', '--out', out];
    const step = async (...args: string[]) => {
      const result = await tidings(...args, ...common);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
      return result.stdout;
    };
    const syncing = ['--write-back', '--assign-receipts', '--backup-dir', join(data, 'backups')];

    await step('sync', ...syncing);
    await step('report', ...syncing);
    expect(await step('send', 'M009')).toMatch(/M009: 2 recipients/);
    await step('receipts', '--since', '2024-01-01', ...syncing);
    await step('receipts', '--year', '2024', ...syncing);
    for (const channel of ['email', 'sms', 'post', 'ads']) await step('export', 'recent_donors?months=12', '--channel', channel);

    // The markers really reached every kind of output the test looks in.
    const before = [...(await filesWithMarkers(data)), ...(await filesWithMarkers(out))];
    for (const where of [
      '_segments.csv', '_problems.csv', 'contacts.csv', 'donations.csv', 'private/problems.csv', 'private/segments/recent_donors.csv',
      'private/exports/recent_donors-email.csv', 'private/exports/recent_donors-sms.csv', 'private/exports/recent_donors-post.csv',
      'private/outbox/M009/0002-ZQXMARKid.html', 'private/outbox/M009/index.html', 'private/outbox/receipts/0004-ZQXMARKid.eml',
      'private/receipts/summary-2024-ZQXMARKid.pdf', 'private/receipts/2024-gifts.csv',
    ]) {
      expect(before).toContain(where);
    }
    // A receipt is written under its gift's id (receipt-<donation_id>.pdf), and its print copy too.
    for (const gift of ['DZ1', 'DZ2']) expect(before).toContain(`private/receipts/receipt-${gift}.pdf`);
    expect(await filesWithMarkers(join(data, 'backups'))).not.toEqual([]);

    const forgot = await tidings('forget', 'ZQXMARKid', '--yes', '--source', `csv:${data}`, '--out', out, '--backup-dir', join(data, 'backups'));
    expect(forgot.code, forgot.stderr).toBe(0);
    expect(forgot.stdout).toMatch(/donation totals unchanged/);
    expect(await filesWithMarkers(data)).toEqual([]);
    expect(await filesWithMarkers(out)).toEqual([]);
    // The ad lists held them only as hashes: those rows went too (one row each is Ann's).
    for (const platform of ['google', 'meta']) {
      expect((await readFile(join(out, 'private', 'exports', `recent_donors-ads-${platform}.csv`), 'utf8')).trim().split('\n')).toHaveLength(3);
    }

    // Staff re-import an old list that has the address: sends and exports leave it out.
    await appendFile(join(data, 'contacts.csv'), 'C010,Returning,,,ZQXMarkMail@example.org,,,TW,,台北,100,,yes,yes,,,forget-test,,,\n');
    await appendFile(join(data, 'donations.csv'), 'D012,C010,2024-06-25,500,,,,,,,,,,,,,\n');
    const send = await step('send', 'M009');
    expect(send).toMatch(/M009: 1 recipients \(segment: 2\)/);
    expect(send).toMatch(/left out, suppressed: 1/);
    expect(await step('export', 'recent_donors?months=12', '--channel', 'email')).toMatch(/left out, suppressed: 1/);
    expect(await step('export', 'recent_donors?months=12', '--channel', 'ads')).toMatch(/left out, suppressed: 1/);
    expect(await filesWithMarkers(out)).toEqual([]);
  });
});
