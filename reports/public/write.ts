import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Dataset } from '../../sync/dataset.ts';
import { publicDir } from '../../sync/output.ts';
import { publicCampaigns } from './campaigns.ts';
import { publicImpact } from './impact.ts';
import { publicRegions } from './regions.ts';
import { publicSite } from './site.ts';
import { publicTotals } from './totals.ts';

/** Writes site.json, totals.json, campaigns.json, impact.json and regions.json under <out>/public/; returns their paths. */
export async function writePublicAggregates(out: string, dataset: Dataset, asOf: string, now: Date): Promise<string[]> {
  const dir = publicDir(out);
  await mkdir(dir, { recursive: true });
  const files = {
    'site.json': publicSite(dataset, asOf, now),
    'totals.json': publicTotals(dataset, asOf),
    'campaigns.json': publicCampaigns(dataset, asOf),
    'impact.json': publicImpact(dataset),
    'regions.json': publicRegions(dataset),
  };
  return Promise.all(
    Object.entries(files).map(async ([name, data]) => {
      const path = join(dir, name);
      await writeFile(path, `${JSON.stringify(data, null, 2)}\n`);
      return path;
    }),
  );
}
