import { Command, Option } from 'commander';
import { DEFAULT_ARCHIVE_DIR, DEFAULT_KEEP_MONTHS, compactEmailEvents } from '../../emails/compact.ts';
import { budgetLine } from '../../sync/cell-budget.ts';
import { openSource } from '../../sync/sources/open.ts';
import { isWritable } from '../../sync/sources/source.ts';
import { UsageError } from '../../sync/errors.ts';
import { loadDataset } from '../../sync/load.ts';
import { printableLines } from '../../sync/terminal.ts';
import { type DataOptions, withDataOptions } from '../options.ts';

interface CompactOptions extends DataOptions {
  keepMonths: string;
  archiveDir: string;
}

/** Moves old mailings' tracking rows out of email_events (README, The cell budget). */
export async function runCompact(options: CompactOptions, log: (line: string) => void = console.log): Promise<void> {
  log = printableLines(log);
  const keepMonths = Number(options.keepMonths);
  if (!Number.isInteger(keepMonths) || keepMonths < 1) throw new UsageError(`--keep-months ${options.keepMonths}: give a whole number of months, at least 1 (default ${DEFAULT_KEEP_MONTHS})`);
  const source = await openSource(options.source);
  if (!isWritable(source)) throw new UsageError(`${source.label} cannot be written: compact needs a CSV folder or a Google Sheet`);
  const { dataset, asOf } = await loadDataset(source, options.asOf);
  const before = source.gridCells?.();
  const done = await compactEmailEvents(source, dataset, { asOf, keepMonths, archiveDir: options.archiveDir });
  for (const s of done.skipped) log(`compact: ${s.mailing_id} left as it is: ${s.reason}`);
  if (done.mailings.length === 0) {
    log(`compact: no sent mailing started more than ${keepMonths} months before ${asOf} has rows left in email_events; nothing to do`);
  } else {
    log(`compact: ${done.mailings.length} mailings (${done.mailings[0]} … ${done.mailings.at(-1)}), started more than ${keepMonths} months before ${asOf}`);
    log(`archive: ${done.archivedRows} rows → ${done.archive} (read back and checked; personal data: keep it off shared drives)`);
    log(`_mailing_stats: ${done.statsRows} rows added; _suppressions: ${done.suppressions} addresses added (hard bounces, complaints)`);
    log(`email_events: ${done.deletedRows} rows removed`);
  }
  if (before !== undefined) {
    await source.read(); // the tab list again, for the grid's size now
    log(`before: ${budgetLine(before)}`);
    log(`after:  ${budgetLine(source.gridCells?.() ?? before)}`);
  }
  if (source.usage) log(`used: ${source.usage()}`);
}

export const compactCommand = withDataOptions(new Command('compact'))
  .addOption(new Option('--keep-months <n>', 'keep the rows of mailings started in the last n months').default(String(DEFAULT_KEEP_MONTHS)))
  .addOption(new Option('--archive-dir <dir>', 'where the archived rows go (personal data: never commit it)').default(DEFAULT_ARCHIVE_DIR))
  .action(async (options: CompactOptions) => {
    await runCompact(options);
  });
