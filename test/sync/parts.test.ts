import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BackupWriter } from '../../sync/backup.ts';
import { CsvFolderSource } from '../../sync/sources/csv.ts';
import { loadDataset } from '../../sync/load.ts';
import { validateWorkbook } from '../../sync/validate.ts';
import { tidings } from '../support/cli.ts';

// Tabs large enough to be read in several parts (a part is about a megabyte), with bad rows planted
// near the start and far past the first part.
const CONTACTS = 20_000;
const DONATIONS = 60_000;
const BAD = { zeroAmount: 7, unknownContact: 41_000, duplicateId: 59_990 };

function donationsCsv(): string {
  const lines = ['donation_id,contact_id,date,amount,campaign,notes'];
  for (let i = 1; i <= DONATIONS; i++) {
    const row = i + 1;
    const id = row === BAD.duplicateId ? 'D000001' : `D${String(i).padStart(6, '0')}`;
    const contact = row === BAD.unknownContact ? 'C99999' : `C${(i % CONTACTS) + 1}`;
    const amount = row === BAD.zeroAmount ? '0' : String(100 + (i % 50) * 10);
    lines.push(`${id},${contact},2025-${String((i % 12) + 1).padStart(2, '0')}-15,${amount},歲末募款,"謝謝, 林小姐"`);
  }
  return lines.join('\n');
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tidings-parts-'));
  await writeFile(join(dir, 'settings.csv'), 'key,value\ntimezone,Asia/Taipei\n');
  await writeFile(join(dir, 'contacts.csv'), ['contact_id,first_name', ...Array.from({ length: CONTACTS }, (_, i) => `C${i + 1},小明${i}`)].join('\n'));
  await writeFile(join(dir, 'donations.csv'), donationsCsv());
  await writeFile(join(dir, '_receipts.csv'), 'receipt_no,donation_id\n2025-00001,D000001\n');
  await writeFile(join(dir, '_segments.csv'), ['segment,contact_id', ...Array.from({ length: 5_000 }, (_, i) => `lybunt,C${i + 1}`)].join('\n'));
});

describe('sync reads a large tab in parts', () => {
  it('validates part by part into the same dataset and problems as the whole read, rows numbered as the sheet shows them', async () => {
    const source = new CsvFolderSource(dir);
    const parts = new Map<string, number>();
    const synced = await loadDataset(source, '2025-12-31', undefined, (part) => parts.set(part.key, (parts.get(part.key) ?? 0) + 1));
    expect(parts.get('donations')).toBeGreaterThan(2);
    const whole = validateWorkbook(await source.read());
    expect(synced.dataset).toEqual(whole.dataset);
    expect(synced.problems).toEqual(whole.problems);
    expect(synced.problems.map((p) => [p.row, p.column])).toEqual([
      [BAD.zeroAmount, 'amount'], [BAD.unknownContact, 'contact_id'], [BAD.duplicateId, 'donation_id'],
    ]);
    expect(synced.dataset.donations).toHaveLength(DONATIONS - 3);
    expect(synced.dataset.donations.at(-1)?.row).toBe(DONATIONS + 1);
    // Of the tool's own tabs only the receipts ledger is kept for the steps after reading; _segments is rewritten by sync.
    expect([...synced.toolTabs.keys()]).toEqual(['_receipts']);
    expect(synced.toolTabs.get('_receipts')?.rows).toEqual([['2025-00001', 'D000001']]);
  });

  it('writes the backup while reading; the snapshot reads back as the same dataset', async () => {
    const backups = await mkdtemp(join(tmpdir(), 'tidings-backups-'));
    const backup = new BackupWriter(backups, new Date('2025-12-31T01:02:03.004Z'));
    const synced = await loadDataset(new CsvFolderSource(dir), '2025-12-31', undefined, (part) => backup.add(part));
    const snapshot = await backup.finish();
    expect((await readdir(snapshot)).sort()).toEqual(['contacts.csv.gz', 'donations.csv.gz', 'settings.csv.gz']);
    const restored = await loadDataset(new CsvFolderSource(snapshot), '2025-12-31');
    expect(restored.dataset).toEqual(synced.dataset);
    expect(restored.problems).toEqual(synced.problems);
  });

  it('a read that fails part way exits 2 naming the file and row, and leaves no half snapshot', async () => {
    const broken = await mkdtemp(join(tmpdir(), 'tidings-broken-'));
    await writeFile(join(broken, 'contacts.csv'), 'contact_id,first_name\nC1,Amy\n');
    await writeFile(join(broken, 'donations.csv'), `${donationsCsv()}\nD999999,C1,2025-01-01,"100\nD999998,C1,2025-01-02,100\n`);
    const backups = await mkdtemp(join(tmpdir(), 'tidings-backups-'));
    const out = await mkdtemp(join(tmpdir(), 'tidings-out-'));
    const run = await tidings('sync', '--source', `csv:${broken}`, '--as-of', '2025-12-31', '--out', out, '--backup-dir', backups);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`donations.csv, row ${DONATIONS + 2}: a quoted cell is never closed`);
    expect(await readdir(backups)).toEqual([]);
  });
});
