import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublicCampaign, PublicNewsletter, PublicRegions, PublicSite, PublicTotals } from '../../reports/public/types.ts';
import { type StaticServer, serveStatic } from '../support/static-server.ts';
import { FIXTURE_ASSETS, FIXTURE_PUBLIC, buildSite, copyFixtures, launchChromium, pagePaths } from '../support/site.ts';

const fixture = async <T>(name: string): Promise<T> => JSON.parse(await readFile(join(FIXTURE_PUBLIC, name), 'utf8')) as T;
const totals = await fixture<PublicTotals>('totals.json');
const campaigns = await fixture<PublicCampaign[]>('campaigns.json');
const regions = await fixture<PublicRegions>('regions.json');
const newsletters = await fixture<PublicNewsletter[]>('newsletters.json');
const ARTIFACTS = 'test-artifacts/site';
const PHONE = { width: 360, height: 740 };

let dir: string;
let dist: string;
let server: StaticServer;
let browser: Browser;
/** What the stand-in for the Google Form received. */
const formPosts: URLSearchParams[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tidings-site-'));
  dist = join(dir, 'dist');
  server = await serveStatic(dist, {
    mounts: { '/fixture-assets/': FIXTURE_ASSETS },
    handle: (req, res) => {
      if (req.method !== 'POST' || !req.url?.startsWith('/forms/d/e/fixture/formResponse')) return false;
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        formPosts.push(new URLSearchParams(body));
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>ok</title><p>Response recorded</p>');
      });
      return true;
    },
  });
  await copyFixtures(join(dir, 'out'));
  // The unsubscribe form goes to a stand-in on this server instead of Google.
  const sitePath = join(dir, 'out', 'public', 'site.json');
  const site = JSON.parse(await readFile(sitePath, 'utf8')) as PublicSite;
  site.unsubscribe_form_url = `${server.url}/forms/d/e/fixture/formResponse`;
  await writeFile(sitePath, JSON.stringify(site));
  await buildSite(join(dir, 'out'), dist);
  browser = await launchChromium();
  await rm(ARTIFACTS, { recursive: true, force: true });
  await mkdir(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Opens a page, failing on any console error, page error, failed or outside request. */
async function open(path: string, options: { javaScript?: boolean; viewport?: { width: number; height: number } } = {}) {
  const context = await browser.newContext({ javaScriptEnabled: options.javaScript ?? true, viewport: options.viewport ?? { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`failed: ${r.url()}`));
  page.on('response', (r) => r.status() >= 400 && problems.push(`${r.status()}: ${r.url()}`));
  const outside: string[] = [];
  await context.route((url) => !url.href.startsWith(server.url), async (route) => {
    outside.push(route.request().url());
    await route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>payment</title>' });
  });
  await page.goto(server.url + path, { waitUntil: 'load' });
  return { page, problems, outside, close: () => context.close() };
}

const digits = (text: string | null) => Number((text ?? '').replace(/[^\d.]/g, ''));

describe('the built site', () => {
  it('has every page in zh-TW at / and in English at /en/', async () => {
    const pages = await pagePaths(dist);
    const zh = pages.filter((p) => !p.startsWith('/en/'));
    const expected = ['/', '/impact/', '/map/', '/newsletters/', '/unsubscribe/', '/join/', '/confirm/', '/preferences/', ...campaigns.map((c) => `/donate/${c.slug}/`), ...newsletters.map((n) => `/newsletters/${n.mailing_id}/`)];
    expect(zh.sort()).toEqual(expected.sort());
    expect(pages.filter((p) => p.startsWith('/en/')).sort()).toEqual(expected.map((p) => `/en${p}`).sort());
  });

  it('loads every page without console errors, usable at 360 px, with Open Graph tags, and screenshots it', async () => {
    for (const path of await pagePaths(dist)) {
      const { page, problems, outside, close } = await open(path, { viewport: PHONE });
      expect(problems, path).toEqual([]);
      expect(outside, path).toEqual([]);
      expect(await page.getAttribute('html', 'lang'), path).toBe(path.startsWith('/en/') ? 'en' : 'zh-TW');
      expect(await page.locator('h1').count(), path).toBe(1);
      expect(await page.getAttribute('meta[property="og:title"]', 'content'), path).toBeTruthy();
      expect(await page.getAttribute('meta[name="description"]', 'content'), path).toBeTruthy();
      // No sideways scrolling on a small phone.
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(PHONE.width);
      expect(await page.locator('img:not([alt])').count(), path).toBe(0);
      for (const canvas of await page.locator('canvas[data-chart]').all()) {
        await canvas.scrollIntoViewIfNeeded();
        await page.locator(`#${await canvas.getAttribute('id')}[data-drawn="yes"]`).waitFor();
      }
      const name = path === '/' ? 'home' : path.replace(/^\/|\/$/g, '').replace(/\//g, '_');
      await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
      await close();
    }
  }, 300_000);

  it('ships JavaScript files only with the impact page (charts) and the form pages (posting to Google Forms)', async () => {
    for (const path of await pagePaths(dist)) {
      const html = await readFile(join(dist, path, 'index.html'), 'utf8');
      const scripts = html.match(/<script[^>]+src=/g) ?? [];
      expect(scripts.length, path).toBe(/\/(impact|join|confirm|preferences)\/$/.test(path) ? 1 : 0);
    }
  });
});

describe('donate page', () => {
  const winter = campaigns.find((c) => c.slug === 'winter-meals-2026')!;

  it('shows the campaign: goal, raised, donors, progress, days left, story', async () => {
    const { page, close } = await open('/en/donate/winter-meals-2026/');
    const text = await page.locator('main').innerText();
    expect(text).toContain('NT$312,450');
    expect(text).toContain('NT$500,000');
    expect(text).toContain('187 donors');
    expect(text).toContain('45 days left');
    expect(await page.getAttribute('[role=progressbar]', 'aria-valuenow')).toBe(String(Math.round((winter.raised_minor / winter.goal_minor!) * 100)));
    // The story is Markdown rendered to HTML.
    expect(await page.locator('.story h2').innerText()).toBe('為什麼是冬天');
    expect(await page.locator('.story strong').first().innerText()).toBe('獨居長者');
    await close();
  });

  it('carries the chosen amount, the frequency and the landing URL’s utm_* onto the payment page', async () => {
    const { page, problems, outside, close } = await open('/donate/winter-meals-2026/?utm_source=line&utm_medium=social&utm_campaign=winter26&ref=x');
    const monthly1000 = page.locator('a[data-donate][data-frequency="monthly"][data-amount="100000"]');
    await expect.poll(() => monthly1000.isVisible()).toBe(false);
    await page.getByLabel(/每月定期捐款/).check();
    expect(await monthly1000.isVisible()).toBe(true);
    await Promise.all([page.waitForURL(/pay\.example\.org/), monthly1000.click()]);
    const landed = new URL(page.url());
    expect(landed.origin + landed.pathname).toBe('https://pay.example.org/donate');
    expect(Object.fromEntries(landed.searchParams)).toEqual({ form: 'winter', amount: '1000', frequency: 'monthly', utm_source: 'line', utm_medium: 'social', utm_campaign: 'winter26' });
    expect(outside).toHaveLength(1);
    expect(problems).toEqual([]);
    await close();
  });

  it('remembers utm_* from a visitor who landed on another page first', async () => {
    const { page, close } = await open('/en/?utm_source=newsletter&utm_content=hero');
    await page.getByRole('link', { name: /Support “偏鄉學童文具”/ }).click();
    await page.waitForURL(/school-supplies/);
    const href = new URL((await page.locator('a[data-donate][data-amount="60000"]').getAttribute('href'))!);
    expect(Object.fromEntries(href.searchParams)).toEqual({ form: 'school', amount: '600', utm_source: 'newsletter', utm_content: 'hero' });
    await close();
  });

  it('works with JavaScript off: plain links with the amount', async () => {
    const { page, close } = await open('/donate/winter-meals-2026/?utm_source=fb', { javaScript: false });
    const links = page.locator('a[data-donate][data-frequency="once"][data-amount]');
    const hrefs = await links.evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    expect(hrefs).toEqual(winter.suggested_amounts_minor.map((a) => `https://pay.example.org/donate?form=winter&amount=${a / 100}&frequency=once`));
    await close();
  });

  it('offers no donate link once a campaign has ended', async () => {
    const { page, close } = await open('/donate/clinic-2025/');
    expect(await page.locator('a[data-donate]').count()).toBe(0);
    expect(await page.locator('.give').innerText()).toContain('已結束');
    await close();
  });
});

describe('impact page', () => {
  it('draws every chart (canvas not blank) and its table holds the same numbers as totals.json', async () => {
    const { page, problems, close } = await open('/impact/');
    // Charts are drawn as they come near the screen.
    for (const canvas of await page.locator('canvas[data-chart]').all()) {
      await canvas.scrollIntoViewIfNeeded();
      await page.waitForFunction((el) => (el as HTMLCanvasElement).dataset.drawn === 'yes', await canvas.elementHandle());
    }
    const canvases = await page.locator('canvas[data-chart]').evaluateAll((cs) =>
      cs.map((c) => {
        const canvas = c as HTMLCanvasElement;
        const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
        return { id: canvas.id, painted, width: canvas.width };
      }),
    );
    expect(canvases.map((c) => c.id)).toEqual(['by-month', 'by-year', 'donors-per-year', 'retention', 'recurring']);
    for (const c of canvases) expect(c.painted, c.id).toBeGreaterThan(1000);

    const column = (id: string, n: number) => page.locator(`table[data-table-for="${id}"] tbody tr td:nth-of-type(${n})`).allTextContents();
    expect((await column('by-month', 1)).map(digits)).toEqual(totals.by_month.map((m) => m.raised_minor / 100));
    expect((await column('by-year', 1)).map(digits)).toEqual(totals.by_year.map((y) => y.raised_minor / 100));
    expect((await column('donors-per-year', 1)).map(digits)).toEqual(totals.by_year.map((y) => y.donors));
    expect((await column('donors-per-year', 2)).map(digits)).toEqual(totals.by_year.map((y) => y.new_donors));
    expect((await column('retention', 1)).map((t) => (t === '—' ? null : digits(t)))).toEqual(
      totals.by_year.map((y) => (y.donor_retention === null ? null : Math.round(y.donor_retention * 1000) / 10)),
    );
    expect((await column('recurring', 1)).map(digits)).toEqual(totals.by_year.map((y) => y.recurring_donors));
    const campaignRaised = await page.locator('#campaign-table tbody tr td:nth-of-type(2)').allInnerTexts();
    expect(campaignRaised.map(digits)).toEqual(campaigns.map((c) => c.raised_minor / 100));
    expect(await page.locator('#impact-table tbody tr').count()).toBe(4);
    expect(await page.locator('main').innerText()).toMatch(/資料截至 2026年10月31日/);
    expect(problems).toEqual([]);
    await close();
  });
});

describe('supporter map', () => {
  it('draws one shape per region, with counts, and never a count for a small region', async () => {
    for (const lang of ['', '/en']) {
      const { page, close } = await open(`${lang}/map/`);
      expect(await page.locator('#taiwan-map path[data-key]').count()).toBe(22);
      const fewer = lang ? 'fewer than 5' : '少於 5 位';
      for (const r of regions.regions) {
        const shape = page.locator(`svg path[data-key="${r.key}"]`);
        expect(await shape.count(), r.key).toBe(1);
        expect((await shape.getAttribute('d'))!.length, r.key).toBeGreaterThan(10);
        expect(await shape.getAttribute('data-count'), r.key).toBe(r.count === null ? 'few' : String(r.count));
        const row = await page.locator(`tr[data-key="${r.key}"] td`).innerText();
        expect(row, r.key).toBe(r.count === null ? fewer : String(r.count));
        expect(await shape.locator('title').textContent(), r.key).toBe(`${lang ? r.name_en : r.name_zh}: ${r.count === null ? fewer : r.count}`);
      }
      // Regions with no supporters are drawn but not listed.
      expect(await page.locator('table[data-regions] tbody tr').count()).toBe(regions.regions.length);
      await close();
    }
  });
});

describe('newsletter archive and unsubscribe', () => {
  it('lists the public newsletters, newest first, each with its web version', async () => {
    const { page, close } = await open('/newsletters/');
    expect(await page.locator('.newsletter-list a').allInnerTexts()).toEqual(['十月：冬季送餐開跑', 'September: back to school']);
    await page.getByRole('link', { name: 'September: back to school' }).click();
    await page.waitForURL(/M2026-09-en/);
    expect(await page.locator('article.newsletter-body').innerText()).toContain('418 school kits');
    expect(await page.getAttribute('article.newsletter-body', 'lang')).toBe('en');
    await close();
  });

  it('posts the token from ?t= to the configured form', async () => {
    const { page, problems, close } = await open('/unsubscribe/?t=tok_8f3a1c');
    expect(await page.inputValue('#token')).toBe('tok_8f3a1c');
    await Promise.all([page.waitForURL(/formResponse/), page.getByRole('button', { name: '取消訂閱' }).click()]);
    expect(formPosts).toHaveLength(1);
    expect(Object.fromEntries(formPosts[0])).toEqual({ 'entry.1111111111': 'tok_8f3a1c' });
    expect(problems).toEqual([]);
    await close();
  });

  it('says what to do when the link has no token', async () => {
    const { page, close } = await open('/en/unsubscribe/');
    expect(await page.locator('#no-token').isVisible()).toBe(true);
    await close();
  });
});
