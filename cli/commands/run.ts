import { Command } from 'commander';
import { withDataOptions } from '../options.ts';
import { ASSIGN_RECEIPTS_HELP, type SyncOptions, runSync } from './sync.ts';

/** Every stage that exists, end to end, each printing where its results are. */
export const runCommand = withDataOptions(new Command('run'))
  .description('run every stage end to end: sync (and the stages later added after it)')
  .option('--strict', 'exit 1 when any row has an error')
  .option('--assign-receipts', ASSIGN_RECEIPTS_HELP)
  .action(async (options: SyncOptions) => {
    await runSync(options);
  });
