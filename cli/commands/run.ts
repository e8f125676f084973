import { Command } from 'commander';
import { withDataOptions } from '../options.ts';
import { buildSite } from './build.ts';
import { runReport } from './report.ts';
import { emailStage } from './send.ts';
import { type SyncOptions, runSync, withSyncOptions } from './sync.ts';

/** Every stage that exists, end to end, each printing where its results are. */
export const runCommand = withSyncOptions(withDataOptions(new Command('run')))
  .option('--dist <dir>', 'where the static site goes', 'dist')
  .action(async (options: SyncOptions & { dist: string }) => {
    const synced = await runSync(options);
    await runReport(options, synced);
    await emailStage(synced, options.out);
    await buildSite({ out: options.out, dist: options.dist });
  });
