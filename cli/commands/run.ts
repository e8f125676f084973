import { Command } from 'commander';
import { withDataOptions } from '../options.ts';
import { type SyncOptions, runSync, withSyncOptions } from './sync.ts';

/** Every stage that exists, end to end, each printing where its results are. */
export const runCommand = withSyncOptions(withDataOptions(new Command('run')))
  .description('run every stage end to end: sync (and the stages later added after it)')
  .action(async (options: SyncOptions) => {
    await runSync(options);
  });
