import { randomBytes } from 'node:crypto';
import { chmodSync, createWriteStream, mkdirSync } from 'node:fs';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { type Gzip, createGzip } from 'node:zlib';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './private-files.ts';
import { csvRecords } from './sources/csv.ts';
import { type RawWorkbook, type TabPart, isToolTab, visitWorkbook } from './sources/source.ts';
import { SUPPRESSIONS_TAB } from './suppressions.ts';

export const DEFAULT_BACKUP_DIR = 'backups';
export const KEEP_BACKUPS = 30;

// 2024-06-30T10-15-30.123Z: an ISO instant with the colons a file name cannot hold; sorts by time.
const SNAPSHOT = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}Z$/;

/** A tab's file name: its normalized name with anything a file system dislikes replaced. */
const fileName = (key: string) => `${key.replace(/[^\p{L}\p{N}_.-]/gu, '_')}.csv.gz`;

/**
 * A snapshot of every tab as read (cells untouched, before validation), written as gzipped CSV
 * into `<dir>/<timestamp>/` while sync reads, a part at a time, so a large tab is never held
 * whole for it. The tool's own tabs (_problems, _segments) are left out: each sync rebuilds them.
 * Written under a temporary name of its own and renamed by finish(), so a snapshot folder is
 * always complete, and two syncs started in the same millisecond (the Action and a staff run on
 * one machine) each keep theirs; then only the newest `keep` snapshots are kept. A snapshot
 * reads back with `--source csv:<dir>/<timestamp>`.
 */
export class BackupWriter {
  private readonly temp: string;
  private readonly tabs = new Map<string, { gzip: Gzip; written: Promise<void> }>();

  constructor(private readonly dir: string, private readonly now = new Date(), private readonly keep = KEEP_BACKUPS) {
    this.temp = join(dir, `.${snapshotName(now)}.${randomBytes(4).toString('hex')}.partial`);
    // Every donor's details: the snapshots are owner-only, like out/private/ (private-files.ts).
    mkdirSync(this.temp, { recursive: true, mode: PRIVATE_DIR_MODE });
    chmodSync(dir, PRIVATE_DIR_MODE);
  }

  add(part: TabPart): void {
    // The suppression list is kept (only hashes; losing it would let a forgotten address be mailed again).
    if (isToolTab(part.key) && part.key !== SUPPRESSIONS_TAB) return;
    let tab = this.tabs.get(part.key);
    if (!tab) {
      const gzip = createGzip();
      tab = { gzip, written: pipeline(gzip, createWriteStream(join(this.temp, fileName(part.key)), { mode: PRIVATE_FILE_MODE })) };
      tab.written.catch(() => undefined); // awaited by finish() or abandon(); a failure until then is not unhandled
      this.tabs.set(part.key, tab);
      gzip.write(csvRecords([part.header]));
    }
    // A part read on another thread comes with its rows as CSV lines already (TabPart.csv).
    if (part.read) {
      if (part.csv) tab.gzip.write(part.csv);
    } else if (part.rows.length > 0) tab.gzip.write(csvRecords(part.rows));
  }

  /** Completes the snapshot; returns its folder. */
  async finish(): Promise<string> {
    await Promise.all([...this.tabs.values()].map(({ gzip, written }) => {
      gzip.end();
      return written;
    }));
    const final = await renameToFreeName(this.temp, this.dir, this.now);
    await pruneBackups(this.dir, this.keep);
    return final;
  }

  /** Leaves no half snapshot behind when the read fails. */
  async abandon(): Promise<void> {
    const stopped = [...this.tabs.values()].map(({ gzip, written }) => {
      gzip.destroy();
      return written.catch(() => undefined);
    });
    await Promise.all(stopped);
    await rm(this.temp, { recursive: true, force: true });
  }
}

const snapshotName = (at: Date) => at.toISOString().replace(/:/g, '-');

/** Renames the finished folder to its instant's name, or to the next free millisecond's if taken. */
async function renameToFreeName(temp: string, dir: string, at: Date): Promise<string> {
  for (let ms = at.getTime(); ; ms++) {
    const final = join(dir, snapshotName(new Date(ms)));
    try {
      await rename(temp, final);
      return final;
    } catch (error) {
      // Renaming a folder onto a non-empty one fails with ENOTEMPTY (EEXIST on some systems).
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
    }
  }
}

/** Writes a whole workbook as one snapshot (see BackupWriter). */
export async function writeBackup(workbook: RawWorkbook, dir: string, now = new Date(), keep = KEEP_BACKUPS): Promise<string> {
  const backup = new BackupWriter(dir, now, keep);
  visitWorkbook(workbook, [], (part) => backup.add(part));
  return backup.finish();
}

/**
 * Removes all but the newest `keep` snapshots, and the half-written ones of syncs stopped mid-way
 * (killed, out of memory, the runner gone) once they are a day old: they hold every donor's details
 * and nothing reads them. A sync still writing one changes it within minutes. Nothing else in the
 * folder is touched. Gives the names removed.
 */
export async function pruneBackups(dir: string, keep = KEEP_BACKUPS): Promise<string[]> {
  const now = Date.now();
  const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory());
  const snapshots = entries.filter((e) => SNAPSHOT.test(e.name)).map((e) => e.name).sort();
  const old = snapshots.slice(0, Math.max(0, snapshots.length - keep));
  for (const e of entries.filter((e) => PARTIAL.test(e.name))) {
    // Gone since the listing (another sync finished it, or removed it): nothing to do.
    const modified = (await stat(join(dir, e.name)).catch(() => undefined))?.mtimeMs;
    if (modified !== undefined && now - modified >= STALE_PARTIAL_MS) old.push(e.name);
  }
  for (const name of old) await rm(join(dir, name), { recursive: true, force: true });
  return old;
}

// A snapshot being written: `.<snapshot>.<8 hex>.partial` (without the hex from versions before 2026-12).
const PARTIAL = /^\.\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}Z(\.[0-9a-f]{8})?\.partial$/;
const STALE_PARTIAL_MS = 24 * 3600 * 1000;
