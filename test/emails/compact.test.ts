import { createHash } from 'node:crypto';
import { appendFile, cp, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCompact } from '../../cli/commands/compact.ts';
import { initSheet } from '../../cli/commands/init-sheet.ts';
import { compactEmailEvents } from '../../emails/compact.ts';
import { CsvFolderSource } from '../../sync/sources/csv.ts';
import type { WritableSource } from '../../sync/sources/source.ts';
import { bestAndWorst, mailingPerformance, openRateByMonth } from '../../reports/newsletter.ts';
import { loadDataset } from '../../sync/load.ts';
import { ROOT, tidings } from '../support/cli.ts';
import { tempDir, withFakeSheets } from '../support/sheets.ts';

const sheets = withFakeSheets();
afterEach(() => vi.unstubAllEnvs());

const AS_OF = '2026-11-22';
// Six months kept: the sample's mailings up to May 2026 (and the thank-you of November 2025) go.
const OLD = ['thanks-2025-11-24', 'nl-2025-12', 'nl-2026-01', 'nl-2026-02', 'nl-2026-03', 'nl-2026-04', 'nl-2026-05'];

type Rows = string[][];
const csv = (text: string): Rows => parse(text, { bom: true, relax_column_count: true });
const readCsv = async (path: string) => csv(await readFile(path, 'utf8'));
/** The hash the suppression list must hold, computed here from its documented definition. */
const sha = (email: string) => createHash('sha256').update(email.normalize('NFKC').trim().toLowerCase()).digest('hex');

/** The sample as a folder a test may change, with one unsubscribe that counts for a mailing about to be compacted. */
async function sampleWithUnsubscribe(): Promise<{ dir: string; events: Rows }> {
  const dir = await tempDir('compact');
  await cp(join(ROOT, 'data', 'sample'), dir, { recursive: true });
  const events = await readCsv(join(dir, 'email_events.csv'));
  const february = events.find((r) => r[1] === 'nl-2026-02' && r[5] === 'delivered')!;
  await appendFile(join(dir, 'unsubscribes.csv'), `2026-02-20T10:00:00Z,,${february[3]},too many emails\n`);
  return { dir, events };
}

/** The newsletter figures the dashboard is made of, computed in this process (quicker than a report). */
async function figures(dir: string) {
  const { dataset } = await loadDataset(new CsvFolderSource(dir), AS_OF);
  const mailings = mailingPerformance(dataset, AS_OF);
  return JSON.stringify({ mailings, months: openRateByMonth(mailings, AS_OF), ranked: bestAndWorst(mailings) });
}

async function reportFiles(dir: string, out: string): Promise<Map<string, Buffer>> {
  const run = await tidings('report', '--source', `csv:${dir}`, '--as-of', AS_OF, '--out', out, '--no-backup');
  expect(run.code, run.stderr).toBe(0);
  const reports = join(out, 'private', 'reports');
  const files = new Map<string, Buffer>();
  for (const name of await readdir(reports)) files.set(name, await readFile(join(reports, name)));
  return files;
}

describe('tidings compact', () => {
  it('moves old mailings out of email_events and every newsletter figure stays byte for byte the same', async () => {
    const { dir, events } = await sampleWithUnsubscribe();
    const archiveDir = await tempDir('archive');
    const before = await reportFiles(dir, await tempDir('out'));

    const run = await tidings('compact', '--source', `csv:${dir}`, '--as-of', AS_OF, '--keep-months', '6', '--archive-dir', archiveDir);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`compact: 7 mailings (thanks-2025-11-24 … nl-2026-05), started more than 6 months before ${AS_OF}`);

    const after = await reportFiles(dir, await tempDir('out'));
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [name, bytes] of before) expect(after.get(name)!.equals(bytes), name).toBe(true);
    // The unsubscribe still counts for February, whose rows are gone.
    const mailings = csv(before.get('mailings.csv')!.toString('utf8'));
    const february = mailings.find((r) => r[0] === 'nl-2026-02')!;
    expect(february[mailings[0].indexOf('退訂')]).toBe('1');

    // email_events keeps exactly the other rows, in order.
    const [header, ...rows] = events;
    const old = rows.filter((r) => OLD.includes(r[1]));
    expect(old.length).toBeGreaterThan(900);
    expect(await readCsv(join(dir, 'email_events.csv'))).toEqual([header, ...rows.filter((r) => !OLD.includes(r[1]))]);
    // The archive holds the removed rows exactly as they were.
    const [archive] = await readdir(archiveDir);
    expect(archive).toMatch(/^email_events-.+\.csv\.gz$/);
    // It holds every recipient's address: owner-only, like backups.
    expect((await stat(join(archiveDir, archive))).mode & 0o777).toBe(0o600);
    expect((await stat(archiveDir)).mode & 0o777).toBe(0o700);
    expect(csv(gunzipSync(await readFile(join(archiveDir, archive))).toString('utf8'))).toEqual([header, ...old]);
    // One stats row per compacted mailing.
    expect((await readCsv(join(dir, '_mailing_stats.csv'))).slice(1).map((r) => r[0])).toEqual(OLD);
    // Every hard-bounced or complained address among them, hashed, once.
    const expected = new Map<string, string>();
    for (const r of old) {
      if (r[5] === 'bounced' && !expected.has(sha(r[3]))) expected.set(sha(r[3]), 'hard_bounce');
      if (r[5] === 'complained' && !expected.has(sha(r[3]))) expected.set(sha(r[3]), 'complaint');
    }
    expect(expected.size).toBeGreaterThan(2);
    const suppressions = await readCsv(join(dir, '_suppressions.csv'));
    expect(suppressions[0]).toEqual(['email_sha256', 'reason', 'added_at']);
    expect(new Map(suppressions.slice(1).map((r) => [r[0], r[1]]))).toEqual(expected);

    // Again: nothing left to do, nothing changes.
    const again = await tidings('compact', '--source', `csv:${dir}`, '--as-of', AS_OF, '--keep-months', '6', '--archive-dir', archiveDir);
    expect(again.stdout).toContain('nothing to do');
    expect(await readdir(archiveDir)).toHaveLength(1);
    expect(await readCsv(join(dir, '_suppressions.csv'))).toEqual(suppressions);
  }, 300_000); // four CLI runs, two of them full reports

  it('a run that dies after the statistics, before any row is deleted, is finished by the next run: nothing lost, nothing counted twice', async () => {
    const { dir, events } = await sampleWithUnsubscribe();
    const archiveDir = await tempDir('archive');
    const before = await figures(dir);
    expect(before).toContain('"mailing_id":"nl-2025-12"');
    const real = new CsvFolderSource(dir);
    const dying: WritableSource = Object.assign(Object.create(real) as WritableSource, {
      deleteRows: () => Promise.reject(new Error('killed')),
    });
    const { dataset } = await loadDataset(real, AS_OF);
    await expect(compactEmailEvents(dying, dataset, { asOf: AS_OF, keepMonths: 6, archiveDir })).rejects.toThrow('killed');
    expect(await readCsv(join(dir, 'email_events.csv'))).toEqual(events);
    // Stats written, rows still there: the report counts each mailing once.
    expect(await figures(dir)).toBe(before);

    await runCompact({ source: `csv:${dir}`, asOf: AS_OF, out: await tempDir('out'), keepMonths: '6', archiveDir }, () => {});
    expect(await figures(dir)).toBe(before);
    expect((await readCsv(join(dir, '_mailing_stats.csv'))).slice(1).map((r) => r[0])).toEqual(OLD);
    const suppressions = (await readCsv(join(dir, '_suppressions.csv'))).slice(1).map((r) => r[0]);
    expect(new Set(suppressions).size).toBe(suppressions.length);
    expect((await readCsv(join(dir, 'email_events.csv'))).some((r) => OLD.includes(r[1]))).toBe(false);
    // Both archives hold every removed row (the second one again, since none had been removed).
    for (const name of await readdir(archiveDir)) {
      const archived = csv(gunzipSync(await readFile(join(archiveDir, name))).toString('utf8'));
      expect(archived.slice(1)).toEqual(events.slice(1).filter((r) => OLD.includes(r[1])));
    }
  });

  it('removes nothing when the archive cannot be written', async () => {
    const { dir, events } = await sampleWithUnsubscribe();
    const blocked = join(dir, 'settings.csv'); // a file where the archive folder should be
    const source = new CsvFolderSource(dir);
    const { dataset } = await loadDataset(source, AS_OF);
    await expect(compactEmailEvents(source, dataset, { asOf: AS_OF, keepMonths: 6, archiveDir: join(blocked, 'archive') })).rejects.toThrow();
    expect(await readCsv(join(dir, 'email_events.csv'))).toEqual(events);
    expect((await readdir(dir)).filter((f) => f.startsWith('_'))).toEqual([]);
  });

  it('never compacts a mailing that is still sending or has pending rows', async () => {
    const { dir, events } = await sampleWithUnsubscribe();
    const mailingsCsv = join(dir, 'mailings.csv');
    const text = await readFile(mailingsCsv, 'utf8');
    await writeFile(mailingsCsv, text.replace(/^(nl-2026-02,.*?),已寄出,/m, '$1,sending,'));
    await appendFile(join(dir, 'email_events.csv'), 'pending:nl-2026-03:9:1,nl-2026-03,C00001,a@example.org,,,,,2026-03-15T03:00:00.000Z\n');
    const lines: string[] = [];
    await runCompact({ source: `csv:${dir}`, asOf: AS_OF, out: await tempDir('out'), keepMonths: '6', archiveDir: await tempDir('archive') }, (l) => lines.push(l));
    expect(lines).toContain('compact: nl-2026-02 left as it is: its status is sending, not sent');
    expect(lines).toContain('compact: nl-2026-03 left as it is: it still has pending rows (a send that never finished): run send --due first');
    const left = await readCsv(join(dir, 'email_events.csv'));
    expect(left.filter((r) => r[1] === 'nl-2026-02')).toEqual(events.filter((r) => r[1] === 'nl-2026-02'));
    expect(left.filter((r) => r[1] === 'nl-2026-03')).toHaveLength(events.filter((r) => r[1] === 'nl-2026-03').length + 1);
    expect((await readCsv(join(dir, '_mailing_stats.csv'))).slice(1).map((r) => r[0])).toEqual(OLD.filter((m) => m !== 'nl-2026-02' && m !== 'nl-2026-03'));
  });

  it('works on a Google Sheet: rows deleted by id, tool tabs appended, the grid shrinks', async () => {
    vi.stubEnv('GOOGLE_SERVICE_ACCOUNT_JSON', sheets.env.GOOGLE_SERVICE_ACCOUNT_JSON);
    vi.stubEnv('TIDINGS_SHEETS_ROOT_URL', sheets.env.TIDINGS_SHEETS_ROOT_URL);
    const id = await initSheet(sheets.client(), { title: 'Donors', sample: await new CsvFolderSource(join(ROOT, 'data', 'sample')).read() });
    const rowsBefore = sheets.fake.values(id, 'email_events');
    const lines: string[] = [];
    await runCompact({ source: `sheets:${id}`, asOf: AS_OF, out: await tempDir('out'), keepMonths: '6', archiveDir: await tempDir('archive') }, (l) => lines.push(l));
    const left = sheets.fake.values(id, 'email_events');
    expect(left).toEqual(rowsBefore.filter((r) => !OLD.includes(String(r[1]))));
    expect(sheets.fake.values(id, '_mailing_stats').slice(1).map((r) => r[0])).toEqual(OLD);
    expect(sheets.fake.values(id, '_suppressions').length).toBeGreaterThan(3);
    const [was, now] = ['before: cells: ', 'after:  cells: '].map((p) => Number(lines.find((l) => l.startsWith(p))!.slice(p.length).split(' ')[0].replaceAll(',', '')));
    // Each removed row frees the tab's width; the new tool tabs' rows take theirs, and each new tab
    // keeps the blank row it is made with below its rows (appends insert above it).
    const width = (tab: string) => sheets.fake.tab(id, tab).columnCount;
    expect(was - now).toBe((rowsBefore.length - left.length) * width('email_events') - (2 + OLD.length) * width('_mailing_stats') - width('_suppressions') * (sheets.fake.values(id, '_suppressions').length + 1));
  });
});
