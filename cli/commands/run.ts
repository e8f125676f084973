import { Command } from 'commander';
import { type DataOptions, withDataOptions } from '../options.ts';
import { writeRegions } from '../../reports/public/regions.ts';
import { buildSite } from './build.ts';
import { runSync } from './sync.ts';

/** Every stage that exists, end to end, each printing where its results are. */
export const runCommand = withDataOptions(new Command('run'))
  .description('run every stage end to end: sync, the supporter map counts, the public site')
  .option('--strict', 'exit 1 when any row has an error')
  .action(async (options: DataOptions) => {
    const synced = await runSync(options);
    console.log(`regions: ${await writeRegions(options.out, synced.dataset)}`);
    await buildSite({ out: options.out, dist: 'dist' });
  });
