import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { PublicCampaign, PublicNewsletter } from '../../reports/public/types.ts';
import { buildSite, copyFixtures, filesUnder, pagePaths } from '../support/site.ts';

let dir: string;
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('a newsletter or campaign whose id is not a safe page name (.., ../../x, 301 characters) is skipped; the site still builds', async () => {
  dir = await mkdtemp(join(tmpdir(), 'tidings-unsafe-'));
  const out = join(dir, 'out');
  await copyFixtures(out);
  // public/*.json as an older run or a hand edit could have left them: sync lets no such id through.
  const newslettersPath = join(out, 'public/newsletters.json');
  const [good] = JSON.parse(await readFile(newslettersPath, 'utf8')) as PublicNewsletter[];
  const bad = ['..', '../../x', 'x'.repeat(301)].map((mailing_id) => ({ ...good, mailing_id }));
  await writeFile(newslettersPath, JSON.stringify([good, ...bad]));
  const campaignsPath = join(out, 'public/campaigns.json');
  const campaigns = JSON.parse(await readFile(campaignsPath, 'utf8')) as PublicCampaign[];
  await writeFile(campaignsPath, JSON.stringify([...campaigns, { ...campaigns[0], slug: '../../escape' }]));

  await buildSite(out, join(dir, 'dist'));
  const pages = await pagePaths(join(dir, 'dist'));
  expect(pages).toContain(`/newsletters/${good.mailing_id}/`);
  expect(pages).toContain(`/donate/${campaigns[0].slug}/`);
  expect(pages.filter((p) => p.includes('xxxxx') || p.includes('escape'))).toEqual([]);
  // Nothing was written beside dist/.
  expect((await filesUnder(dir)).filter((f) => !f.startsWith('out/') && !f.startsWith('dist/'))).toEqual([]);
});
