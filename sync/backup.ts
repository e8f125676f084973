import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { tabCsv } from './sources/csv.ts';
import type { RawWorkbook } from './sources/source.ts';

export const DEFAULT_BACKUP_DIR = 'backups';
export const KEEP_BACKUPS = 30;

// 2024-06-30T10-15-30.123Z: an ISO instant with the colons a file name cannot hold; sorts by time.
const SNAPSHOT = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}Z$/;

/** A tab's file name: its normalized name with anything a file system dislikes replaced. */
const fileName = (key: string) => `${key.replace(/[^\p{L}\p{N}_.-]/gu, '_')}.csv.gz`;

/**
 * Writes every tab as read (cells untouched, before validation) as gzipped CSV into
 * `<dir>/<timestamp>/`, then keeps only the newest `keep` snapshots. The tool's own tabs
 * (_problems, _segments) are left out: each sync rebuilds them. A snapshot reads back with
 * `--source csv:<dir>/<timestamp>`.
 */
export async function writeBackup(workbook: RawWorkbook, dir: string, now = new Date(), keep = KEEP_BACKUPS): Promise<string> {
  const name = now.toISOString().replace(/:/g, '-');
  const final = join(dir, name);
  // Written under a temporary name and renamed, so a snapshot folder is always complete.
  const temp = join(dir, `.${name}.partial`);
  await mkdir(temp, { recursive: true });
  for (const [key, tab] of workbook) {
    if (key.startsWith('_')) continue;
    await writeFile(join(temp, fileName(key)), gzipSync(tabCsv(tab)));
  }
  await rename(temp, final);
  await pruneBackups(dir, keep);
  return final;
}

/** Removes all but the newest `keep` snapshots (only folders named like a snapshot are touched). */
export async function pruneBackups(dir: string, keep = KEEP_BACKUPS): Promise<string[]> {
  const snapshots = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isDirectory() && SNAPSHOT.test(e.name))
    .map((e) => e.name)
    .sort();
  const old = snapshots.slice(0, Math.max(0, snapshots.length - keep));
  for (const name of old) await rm(join(dir, name), { recursive: true, force: true });
  return old;
}
