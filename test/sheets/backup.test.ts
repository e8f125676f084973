import { mkdir, readFile, readdir, utimes } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BackupWriter, pruneBackups, writeBackup } from '../../sync/backup.ts';
import { CsvFolderSource } from '../../sync/sources/csv.ts';
import { emailHash } from '../../sync/suppressions.ts';
import { loadDataset } from '../../sync/load.ts';
import { withFakeSheets, tempDir } from '../support/sheets.ts';

const sheets = withFakeSheets();

describe('backups', () => {
  it('a snapshot of a Google Sheet reads back with --source csv:<snapshot> as the same dataset and problems', async () => {
    const { source } = await sheets.sampleSheet();
    await source.replaceTab('_problems', ['severity'], [['error']]);
    await source.appendRows('_suppressions', ['email_sha256', 'reason', 'added_at'], [{ email_sha256: emailHash('gone@example.org'), reason: 'forgotten', added_at: '2024-06-30' }]);
    const dir = await tempDir('backups');
    const backup = new BackupWriter(dir, new Date('2024-07-01T02:03:04.005Z'));
    const synced = await loadDataset(source, '2024-07-01', undefined, (part) => backup.add(part));
    const snapshot = await backup.finish();
    expect(snapshot).toBe(join(dir, '2024-07-01T02-03-04.005Z'));
    // Gzipped CSV per tab; the tool's own tabs are rebuilt by each sync and left out, but for the
    // suppression list, which nothing could rebuild.
    expect(synced.dataset.suppressed.size).toBe(1);
    expect((await readdir(snapshot)).sort()).toEqual([
      '_suppressions', 'campaigns', 'contacts', 'donations', 'email_events', 'events', 'goals', 'impact', 'mailings', 'participants', 'preferences', 'recurring', 'settings', 'signups', 'stories', 'unsubscribes',
    ].map((t) => `${t}.csv.gz`));

    const restored = await loadDataset(new CsvFolderSource(snapshot), '2024-07-01');
    expect(restored.dataset).toEqual(synced.dataset);
    expect(restored.problems).toEqual(synced.problems.map(({ link, ...p }) => p));
  });

  it('two syncs started in the same millisecond each keep a whole snapshot of their own', async () => {
    const dir = await tempDir('backups');
    const at = new Date('2024-07-01T02:03:04.005Z');
    const part = (id: string) => ({ key: 'contacts', name: 'contacts', header: ['contact_id'], rows: [[id]], first: 2 });
    const first = new BackupWriter(dir, at);
    const second = new BackupWriter(dir, at);
    first.add(part('C1'));
    second.add(part('C2'));
    const [a, b] = await Promise.all([first.finish(), second.finish()]);
    expect([a, b].sort()).toEqual([join(dir, '2024-07-01T02-03-04.005Z'), join(dir, '2024-07-01T02-03-04.006Z')]);
    const contacts = async (snapshot: string) => gunzipSync(await readFile(join(snapshot, 'contacts.csv.gz'))).toString();
    expect([await contacts(a), await contacts(b)].sort()).toEqual(['contact_id\nC1\n', 'contact_id\nC2\n']);
    expect(await readdir(dir)).toHaveLength(2); // no half snapshot left behind
  });

  it('keeps the newest 30 snapshots and touches nothing else in the folder', async () => {
    const dir = await tempDir('backups');
    await mkdir(join(dir, 'keep-me'));
    const workbook = new Map([['contacts', { name: 'contacts', header: ['contact_id'], rows: [['C1']] }]]);
    const days = Array.from({ length: 32 }, (_, i) => new Date(Date.UTC(2024, 0, 1 + i, 8)));
    for (const day of days) await writeBackup(workbook, dir, day);
    const left = (await readdir(dir)).sort();
    expect(left).toHaveLength(31);
    expect(left).toContain('keep-me');
    expect(left).not.toContain('2024-01-01T08-00-00.000Z');
    expect(left).not.toContain('2024-01-02T08-00-00.000Z');
    expect(left).toContain('2024-01-03T08-00-00.000Z');
    expect(left).toContain('2024-02-01T08-00-00.000Z');
    expect(await pruneBackups(dir, 29)).toEqual(['2024-01-03T08-00-00.000Z']);
  });

  it('removes the half-written snapshot of a sync stopped mid-way once it is a day old, not one being written', async () => {
    const dir = await tempDir('backups');
    const stopped = new BackupWriter(dir, new Date('2024-07-01T02:03:04.005Z'));
    stopped.add({ key: 'contacts', name: 'contacts', header: ['contact_id'], rows: [['C1']], first: 0 });
    const writing = new BackupWriter(dir, new Date('2024-07-02T02:03:04.005Z'));
    const [old, fresh] = (await readdir(dir)).sort();
    expect(old).toMatch(/^\.2024-07-01T02-03-04\.005Z\.[0-9a-f]{8}\.partial$/);
    const dayAgo = new Date(Date.now() - 25 * 3600 * 1000);
    await utimes(join(dir, old), dayAgo, dayAgo);
    await mkdir(join(dir, '.2024-06-30T00-00-00.000Z.partial')); // as versions before 2026-12 named it
    await utimes(join(dir, '.2024-06-30T00-00-00.000Z.partial'), dayAgo, dayAgo);
    await mkdir(join(dir, '.keep-me.partial'));
    await utimes(join(dir, '.keep-me.partial'), dayAgo, dayAgo);
    expect((await pruneBackups(dir)).sort()).toEqual(['.2024-06-30T00-00-00.000Z.partial', old]);
    expect((await readdir(dir)).sort()).toEqual([fresh, '.keep-me.partial']);
    await writing.finish();
    expect((await readdir(dir)).sort()).toEqual(['.keep-me.partial', '2024-07-02T02-03-04.005Z']);
  });
});
