import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PublicSite } from '../../reports/public/types.ts';
import { type StaticServer, serveStatic } from '../support/static-server.ts';
import { FIXTURE_ASSETS, buildSite, copyFixtures, launchChromium, pagePaths } from '../support/site.ts';

/** A GitHub Pages project site lives under /<repo>/: settings.site_url says so, and every link follows. */
let dir: string;
let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tidings-base-'));
  await copyFixtures(join(dir, 'out'));
  const sitePath = join(dir, 'out', 'public', 'site.json');
  const site = JSON.parse(await readFile(sitePath, 'utf8')) as PublicSite;
  await writeFile(sitePath, JSON.stringify({ ...site, site_url: 'https://example.github.io/warm-corner' }));
  await buildSite(join(dir, 'out'), join(dir, 'dist'));
  await mkdir(join(dir, 'root'));
  server = await serveStatic(join(dir, 'root'), { mounts: { '/warm-corner/': join(dir, 'dist'), '/fixture-assets/': FIXTURE_ASSETS } });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('serves every page and asset from the site_url folder', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('response', (r) => r.status() >= 400 && problems.push(`${r.status()} ${r.url()}`));
  for (const path of await pagePaths(join(dir, 'dist'))) {
    await page.goto(`${server.url}/warm-corner${path}`);
    const links = await page.locator('a[href^="/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
    expect(links.length, path).toBeGreaterThan(4);
    for (const link of links) expect(link, path).toMatch(/^\/warm-corner\//);
    expect(await page.getAttribute('link[rel=canonical]', 'href')).toBe(`https://example.github.io/warm-corner${path}`);
  }
  // The impact page's chart script comes from the folder too.
  await page.goto(`${server.url}/warm-corner/en/impact/`);
  await page.locator('canvas[data-drawn="yes"]').first().waitFor();
  await page.getByRole('link', { name: 'Supporter map' }).click();
  expect(new URL(page.url()).pathname).toBe('/warm-corner/en/map/');
  expect(problems).toEqual([]);
  await context.close();
}, 180_000);
