import { Command } from 'commander';
import { type DataOptions, withDataOptions } from '../options.ts';
import { runReport } from './report.ts';
import { runSync } from './sync.ts';

/** Every stage that exists, end to end, each printing where its results are. */
export const runCommand = withDataOptions(new Command('run'))
  .description('run every stage end to end: sync, report (and the stages later added after them)')
  .option('--strict', 'exit 1 when any row has an error')
  .action(async (options: DataOptions) => {
    const synced = await runSync(options);
    await runReport(options, synced);
  });
