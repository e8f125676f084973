/**
 * Lighthouse on every page type of the public site (mobile, simulated slow 4G, as Lighthouse
 * scores by default), with Debian chromium (CHROME_PATH, default /usr/bin/chromium). Builds the site
 * from test/fixtures/public (or from --out <dir>, which holds public/), serves it on 127.0.0.1 with
 * gzip as static hosts do, prints the scores and exits 1 if any is below --min (95).
 *
 *   npm run lighthouse [-- --out out] [-- --min 95] [-- --only /join/ --only /en/join/]
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import type { PublicCampaign, PublicNewsletter } from '../reports/public/types.ts';
import { FIXTURE_ASSETS, buildSite, copyFixtures } from '../test/support/site.ts';
import { serveStatic } from '../test/support/static-server.ts';

const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
const REPORTS = 'test-artifacts/lighthouse';
/** A token of the shape the confirmation and preference links carry (the pages check the shape). */
const EXAMPLE_TOKEN = 'q2H4c7mT0bX9yJ1kLp3sVw.Zr8nE5aG2dK6fH0jM4tQ1u';

const { values } = parseArgs({ options: { out: { type: 'string' }, min: { type: 'string', default: '95' }, only: { type: 'string', multiple: true } } });
const min = Number(values.min);
const dir = await mkdtemp(join(tmpdir(), 'tidings-lighthouse-'));
const out = values.out ?? join(dir, 'out');
if (!values.out) await copyFixtures(out);
const dist = join(dir, 'dist');
await buildSite(out, dist);

const json = async <T>(file: string, fallback: T): Promise<T> => JSON.parse(await readFile(join(out, 'public', file), 'utf8').catch(() => JSON.stringify(fallback))) as T;
const campaign = (await json<PublicCampaign[]>('campaigns.json', [])).find((c) => c.days_left === null || c.days_left >= 0);
const newsletter = (await json<PublicNewsletter[]>('newsletters.json', []))[0];
const allPages = [
  '/', '/en/', '/impact/', '/map/', '/newsletters/', '/unsubscribe/?t=example-token',
  // Sign-up, its confirmation and the preference centre, as their links open them.
  '/join/?event=example-event', '/en/join/', `/confirm/?t=${EXAMPLE_TOKEN}`,
  `/preferences/?t=${EXAMPLE_TOKEN}&channels=email&topics=newsletter,events&frequency=monthly`,
  ...(campaign ? [`/donate/${campaign.slug}/`] : []),
  ...(newsletter ? [`/newsletters/${newsletter.mailing_id}/`] : []),
];
// --only /join/ (repeatable): just the pages whose path starts so, to measure one page again.
const pages = values.only ? allPages.filter((p) => values.only!.some((o) => p.startsWith(o))) : allPages;

const server = await serveStatic(dist, { mounts: { '/fixture-assets/': FIXTURE_ASSETS } });
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
await mkdir(REPORTS, { recursive: true });
const rows: Record<string, string | number>[] = [];
let failed = false;
try {
  for (const path of pages) {
    const result = await lighthouse(server.url + path, { port: chrome.port, output: 'html', onlyCategories: [...CATEGORIES], logLevel: 'error' });
    if (!result) throw new Error(`lighthouse returned nothing for ${path}`);
    const row: Record<string, string | number> = { page: path };
    for (const c of CATEGORIES) {
      const score = Math.round((result.lhr.categories[c]?.score ?? 0) * 100);
      row[c] = score;
      if (score < min) failed = true;
    }
    rows.push(row);
    const name = path.replace(/\?.*$/, '').replace(/^\/|\/$/g, '').replace(/\//g, '_') || 'home';
    await writeFile(join(REPORTS, `${name}.html`), result.report as string);
    // Say what cost points, so a low score can be acted on.
    for (const c of CATEGORIES) {
      for (const ref of result.lhr.categories[c].auditRefs) {
        const audit = result.lhr.audits[ref.id];
        if (ref.weight > 0 && audit.score !== null && audit.score < 0.9) console.log(`  ${path} ${c}: ${audit.title} (${audit.displayValue ?? audit.score})`);
      }
    }
  }
} finally {
  chrome.kill();
  await server.close();
  await rm(dir, { recursive: true, force: true });
}
console.table(rows);
console.log(`reports: ${REPORTS}/`);
if (failed) {
  console.error(`lighthouse: a score is below ${min}`);
  process.exitCode = 1;
}
