import { Command, Option } from 'commander';
import { syncEmails } from '../../emails/inbound.ts';
import { goalMetrics } from '../../sync/schema/goal-metrics.ts';
import { segmentCatalog } from '../../reports/segments/catalog.ts';
import { segmentsDir, writeSegments } from '../../reports/segments/write.ts';
import { BackupWriter, DEFAULT_BACKUP_DIR } from '../../sync/backup.ts';
import { budgetLine, budgetProblem } from '../../sync/cell-budget.ts';
import { describeProblem } from '../../sync/problems.ts';
import { type Numbered, numberReceipts } from '../../sync/number-receipts.ts';
import { openSource } from '../../sync/sources/open.ts';
import { type Synced, loadDataset } from '../../sync/load.ts';
import { writeProblems } from '../../sync/problems-csv.ts';
import { formatSummary } from '../../sync/summary.ts';
import { printableLines } from '../../sync/terminal.ts';
import { type SegmentRow, wantsWriteBack, writeBackTabs } from '../../sync/write-back.ts';
import { type DataOptions, withDataOptions } from '../options.ts';

const SHOWN_PROBLEMS = 20;

export interface SyncOptions extends DataOptions {
  /** undefined: on for Google Sheets, off for a CSV folder. */
  writeBack?: boolean;
  backup?: boolean;
  backupDir?: string;
  /** Write a receipt number to every gift that has none; undefined: as write-back (README, Receipts). */
  assignReceipts?: boolean;
}

/** The options of every command that syncs (sync, run). */
export function withSyncOptions(command: Command): Command {
  return command
    .option('--strict', 'exit 1 when any row has an error')
    .addOption(new Option('--write-back', 'write the _problems and _segments tabs back to the source (default: on for Google Sheets, off for a CSV folder)'))
    .addOption(new Option('--no-write-back', 'do not write anything back to the source'))
    .option('--backup-dir <dir>', 'where each sync keeps a snapshot of every tab (the last 30)', DEFAULT_BACKUP_DIR)
    .option('--no-backup', 'do not write a snapshot of the tabs')
    .addOption(new Option('--assign-receipts', 'write a receipt number to donations.receipt_no for every gift that has none (default: as --write-back)'))
    .addOption(new Option('--no-assign-receipts', 'do not assign receipt numbers'));
}

/** Reads, validates, reports problems and writes the private outputs; returns the dataset. */
export async function runSync(options: SyncOptions, log: (line: string) => void = console.log): Promise<Synced> {
  log = printableLines(log);
  const source = await openSource(options.source);
  const assign = options.assignReceipts ?? wantsWriteBack(source, options.writeBack);
  // The snapshot is written as the tabs are read: cells as they were before this run wrote anything.
  const backup = options.backup === false ? undefined : new BackupWriter(options.backupDir ?? DEFAULT_BACKUP_DIR);
  let loaded: Synced;
  try {
    loaded = await loadDataset(source, options.asOf, goalMetrics(segmentCatalog.definitions), backup && ((part) => backup.add(part)));
  } catch (error) {
    await backup?.abandon();
    throw error;
  }
  const snapshot = await backup?.finish();
  let synced = await numberReceipts(loaded, assign);
  log(`sync: ${source.label}, as of ${synced.asOf}`);
  log(receiptNumbersLine(synced));
  log(formatSummary(synced.summary));
  if (snapshot) log(`backup: ${snapshot}`);
  const cells = source.gridCells?.();
  if (cells !== undefined) {
    log(budgetLine(cells));
    const warning = budgetProblem(cells);
    if (warning) synced.problems.push(warning);
  }
  // What came back from email (opt-outs, events) is in the dataset the later steps use.
  const inbound = await syncEmails(synced, log, process.env, new Date(), options.out);
  synced = { ...synced, dataset: inbound.dataset };
  for (const p of inbound.problems) synced.problems.push(p);
  const problemsPath = await writeProblems(options.out, synced.problems);
  const errors = synced.problems.filter((p) => p.severity === 'error').length;
  const warnings = synced.problems.length - errors;
  for (const p of synced.problems.slice(0, SHOWN_PROBLEMS)) log(`  ${describeProblem(p)}`);
  if (synced.problems.length > SHOWN_PROBLEMS) log(`  … and ${synced.problems.length - SHOWN_PROBLEMS} more`);
  log(`problems: ${errors} errors, ${warnings} warnings → ${problemsPath}`);
  const segments = await writeSegments(options.out, synced.dataset, synced.asOf);
  log(`segments: ${segments.length} segments, rfm.csv and summary.json → ${segmentsDir(options.out)}`);
  const segmentRows = segments.flatMap((s) => s.rows.map((r) => ({ segment: s.id, contact_id: r.contact_id, name: r.display_name, email: r.email, reason: r.reason })));
  await syncWriteBack(synced, options, log, segmentRows);
  if (source.usage) log(`used: ${source.usage()}`);
  if (options.strict && errors > 0) process.exitCode = 1;
  return synced;
}

const receiptNumbersLine = ({ written, waiting }: Numbered) =>
  written.length > 0
    ? `receipt numbers: ${written.length} assigned (${written[0].receipt_no} … ${written[written.length - 1].receipt_no})`
    : `receipt numbers: ${waiting === 0 ? 'every gift has one' : `${waiting} gifts have none yet (--assign-receipts writes them)`}`;

/** Writes the tool's tabs (_problems, _segments) back to the source when it is writable and write-back is on. */
export async function syncWriteBack(synced: Synced, options: Pick<SyncOptions, 'writeBack'>, log: (line: string) => void, segments?: SegmentRow[]): Promise<void> {
  if (!wantsWriteBack(synced.source, options.writeBack)) return;
  for (const line of await writeBackTabs(synced.source, synced.problems, segments)) log(`write-back: ${line}`);
}

export const syncCommand = withSyncOptions(withDataOptions(new Command('sync')))
  .action(async (options: SyncOptions) => {
    await runSync(options);
  });
