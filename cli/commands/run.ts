import { Command } from 'commander';
import { writeRegions } from '../../reports/public/regions.ts';
import { withDataOptions } from '../options.ts';
import { buildSite, hasSiteData } from './build.ts';
import { emailStage } from './send.ts';
import { type SyncOptions, runSync, withSyncOptions } from './sync.ts';

/** Every stage that exists, end to end, each printing where its results are. */
export const runCommand = withSyncOptions(withDataOptions(new Command('run')))
  .description('run every stage end to end: sync, a dry run of the next scheduled mailing, the supporter map counts, the public site')
  .action(async (options: SyncOptions) => {
    const synced = await runSync(options);
    await emailStage(synced, options.out);
    console.log(`regions: ${await writeRegions(options.out, synced.dataset)}`);
    if (hasSiteData(options.out)) await buildSite({ out: options.out, dist: 'dist' });
    else console.log(`site: skipped until the reports stage writes ${options.out}/public/site.json`);
  });
