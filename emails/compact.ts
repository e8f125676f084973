import { open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { type MailingTally, NO_MESSAGES, mailingPerformance, mailingTallies } from '../reports/newsletter.ts';
import { plusMonths } from '../sync/periods.ts';
import type { RawCell } from '../sync/cells/result.ts';
import { csvText } from '../sync/csv-text.ts';
import type { Dataset } from '../sync/dataset.ts';
import { MAILING_STATS_COLUMNS, MAILING_STATS_TAB } from '../sync/mailing-stats.ts';
import { PRIVATE_FILE_MODE, makePrivateDir } from '../sync/private-files.ts';
import { rawText } from '../sync/problems.ts';
import { type WritableSource, normalizeName, readTabs } from '../sync/sources/source.ts';
import { SUPPRESSIONS_TAB, SUPPRESSION_COLUMNS, type SuppressionReason, emailHash } from '../sync/suppressions.ts';
import { EmailError } from './errors.ts';
import { SEND_LOG_TAB, isPending } from './send/send-log.ts';

/**
 * Keeps the rows of mailings started in the last 13 months: the tracking pull only looks 60 days
 * back, so rows that old never change again, and a year of who-opened-what stays in the sheet for
 * staff to look at. The report needs none of the rows once the mailing's _mailing_stats row exists.
 */
export const DEFAULT_KEEP_MONTHS = 13;
export const DEFAULT_ARCHIVE_DIR = 'archive';

export interface CompactOptions {
  asOf: string;
  keepMonths?: number;
  archiveDir?: string;
  /** When the run happens (compacted_at, added_at, the archive's name); default now. */
  now?: Date;
}

export interface Compacted {
  /** The mailings whose rows were moved out, oldest first. */
  mailings: string[];
  /** Mailings left alone because they still have pending rows or are not `sent`. */
  skipped: { mailing_id: string; reason: string }[];
  archive?: string;
  archivedRows: number;
  statsRows: number;
  suppressions: number;
  deletedRows: number;
}

/** Which mailings may be compacted: sent, started before the cut, with rows left and no pending row. */
export function compactableMailings(dataset: Dataset, asOf: string, keepMonths = DEFAULT_KEEP_MONTHS) {
  const cut = plusMonths(asOf, -keepMonths);
  const pending = new Set<string>();
  const withRows = new Set<string>();
  for (const e of dataset.email_events) {
    if (!e.mailing_id) continue;
    withRows.add(e.mailing_id);
    if (isPending(e.message_id)) pending.add(e.mailing_id);
  }
  const mailings: string[] = [];
  const skipped: Compacted['skipped'] = [];
  for (const m of mailingPerformance(dataset, asOf).reverse()) {
    if (!m.date || m.date >= cut || !withRows.has(m.mailing_id)) continue;
    if (m.status !== 'sent') skipped.push({ mailing_id: m.mailing_id, reason: `its status is ${m.status}, not sent` });
    else if (pending.has(m.mailing_id)) skipped.push({ mailing_id: m.mailing_id, reason: 'it still has pending rows (a send that never finished): run send --due first' });
    else mailings.push(m.mailing_id);
  }
  return { mailings, skipped };
}

/**
 * Moves the email_events rows of old mailings out of the sheet, in an order that loses nothing
 * if the process dies at any point (a re-run carries on):
 *   1. the rows, exactly as read, go to a gzipped CSV under the archive folder, which is read
 *      back and compared before anything else happens (a re-run archives what is left again);
 *   2. each mailing's counts go to _mailing_stats, unless it has a row there already (the report
 *      then uses that row and ignores the mailing's remaining rows, so nothing counts twice);
 *   3. hard-bounced and complained addresses go to _suppressions, unless already there;
 *   4. the rows are deleted by message_id, so rows staff moved meanwhile are still found.
 */
export async function compactEmailEvents(source: WritableSource, dataset: Dataset, options: CompactOptions): Promise<Compacted> {
  const now = options.now ?? new Date();
  const { mailings, skipped } = compactableMailings(dataset, options.asOf, options.keepMonths);
  const result: Compacted = { mailings, skipped, archivedRows: 0, statsRows: 0, suppressions: 0, deletedRows: 0 };
  if (mailings.length === 0) return result;
  const chosen = new Set(mailings);

  // The rows as the source holds them now (every column, staff's extra ones too) are what is archived.
  const tabs = await readTabs(source, [SEND_LOG_TAB, SUPPRESSIONS_TAB]);
  const sendLog = tabs.get(SEND_LOG_TAB)!;
  const column = (name: string) => sendLog.header.findIndex((h) => normaliseHeader(h) === name);
  const [idAt, mailingAt] = [column('message_id'), column('mailing_id')];
  const rows = sendLog.rows.filter((cells) => chosen.has(rawText(cells[mailingAt]).trim()) && rawText(cells[idAt]).trim() !== '');
  const ids = rows.map((cells) => rawText(cells[idAt]).trim());
  if (rows.length === 0) return result;

  result.archive = await writeArchive(options.archiveDir ?? DEFAULT_ARCHIVE_DIR, now, sendLog.header, rows);
  result.archivedRows = rows.length;

  const tallies = mailingTallies(dataset);
  const stats = mailings
    .filter((id) => !dataset.mailing_stats?.some((s) => s.mailing_id === id))
    // A mailing whose every row was canceled has no tally: its statistics are zeros, as the report shows.
    .map((id) => statsRow(id, tallies.get(id) ?? NO_MESSAGES, now));
  await source.appendRows(MAILING_STATS_TAB, [...MAILING_STATS_COLUMNS], stats);
  result.statsRows = stats.length;

  const suppressions = newSuppressions(dataset, chosen, tabs.get(SUPPRESSIONS_TAB), now);
  await source.appendRows(SUPPRESSIONS_TAB, [...SUPPRESSION_COLUMNS], suppressions);
  result.suppressions = suppressions.length;

  result.deletedRows = await source.deleteRows(SEND_LOG_TAB, 'message_id', ids);
  return result;
}

function statsRow(mailingId: string, t: MailingTally, now: Date): Record<string, RawCell> {
  return {
    mailing_id: mailingId, recipients: t.recipients, delivered: t.delivered, opens: t.opens, clicks: t.clicks,
    bounces: t.bounces, complaints: t.complaints, unsubscribes: t.unsubscribes,
    first_sent_at: t.first ?? '', last_sent_at: t.last ?? '', compacted_at: now.toISOString(),
  };
}

/** Hard bounces and complaints among the compacted rows, one row per address not yet on the list. */
function newSuppressions(dataset: Dataset, chosen: Set<string>, existing: { header: RawCell[]; rows: RawCell[][] } | undefined, now: Date) {
  const hashAt = existing ? existing.header.findIndex((h) => normaliseHeader(h) === 'email_sha256') : -1;
  const listed = new Set(hashAt < 0 ? [] : existing!.rows.map((cells) => rawText(cells[hashAt]).trim()));
  const emailOf = new Map(dataset.contacts.map((c) => [c.contact_id, c.email]));
  const out: Record<string, RawCell>[] = [];
  for (const e of dataset.email_events) {
    if (!e.mailing_id || !chosen.has(e.mailing_id)) continue;
    const reason: SuppressionReason | undefined = e.last_event === 'bounced' ? 'hard_bounce' : e.last_event === 'complained' ? 'complaint' : undefined;
    const email = e.email ?? (e.contact_id ? emailOf.get(e.contact_id) : undefined);
    if (!reason || !email) continue;
    const hash = emailHash(email);
    if (listed.has(hash)) continue;
    listed.add(hash);
    out.push({ email_sha256: hash, reason, added_at: now.toISOString() });
  }
  return out;
}

const normaliseHeader = (h: RawCell) => normalizeName(rawText(h));

/**
 * Writes the rows as a gzipped CSV (synced to disk under a temporary name, then renamed), reads it
 * back and checks it holds exactly the text written; only then may rows be deleted.
 */
async function writeArchive(dir: string, now: Date, header: RawCell[], rows: RawCell[][]): Promise<string> {
  // The archive holds every recipient's address: owner-only, like backups (sync/private-files.ts).
  await makePrivateDir(dir);
  const path = join(dir, `email_events-${now.toISOString().replace(/[:.]/g, '-')}.csv.gz`);
  const temp = `${path}.partial`;
  const text = csvText([header, ...rows], true);
  const file = await open(temp, 'w', PRIVATE_FILE_MODE);
  try {
    await file.writeFile(gzipSync(text));
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temp, path);
  let back: string;
  try {
    back = gunzipSync(await readFile(path)).toString('utf8');
  } catch {
    back = '';
  }
  if (back !== text) {
    await rm(path, { force: true });
    throw new EmailError(`the archive ${path} did not read back as written (a full or failing disk?): nothing was removed from email_events; free some space or choose another --archive-dir and run again`);
  }
  return path;
}

