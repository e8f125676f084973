import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { HtmlValidate } from 'html-validate';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEventSignup } from '../../cli/commands/event-signup.ts';
import { UsageError } from '../../sync/errors.ts';
import { tidings } from '../support/cli.ts';
import { SETTINGS, writeCsvFolder } from '../support/csv-folder.ts';
import { launchChromium } from '../support/site.ts';

const run = promisify(execFile);
const quiet = () => undefined;
const AS_OF = '2026-11-20';

// An id sync accepts (letters of any script, - and .) whose Chinese letters must be escaped in a URL.
const MOON = '中秋-晚會.2026';
const MOON_ESCAPED = '%E4%B8%AD%E7%A7%8B-%E6%99%9A%E6%9C%83.2026';
// The exact addresses the QR codes must hold, written out by hand: zh-TW is the default locale (at
// the root), English under /en/; the site lives in a sub-folder, as on GitHub Pages.
const URLS = {
  'zh-TW': `https://example.org/tidings/join/?event=${MOON_ESCAPED}`,
  en: `https://example.org/tidings/en/join/?event=${MOON_ESCAPED}`,
} as const;

const EVENTS = [
  { event_id: MOON, title: '中秋節社區晚會', date: '2026-09-25', location: '臺北市大安區 和平活動中心' },
  { event_id: 'E2026-walk', title: 'Charity walk 2026', date: '2026-10-10', location: 'Riverside Park' },
  { event_id: 'E2026-bazaar', title: '義賣市集', date: '2026-12-12' },
];

let out: string;
let data: string;

async function source(settings: Record<string, string>): Promise<string> {
  return writeCsvFolder({ contacts: [{ contact_id: 'C1', first_name: '美玲', email: 'meiling@example.org' }], events: EVENTS }, settings);
}

/** pdftotext's reading of a PDF (poppler-utils) laid out as printed, and its page sizes from pdfinfo. */
async function readPdf(path: string): Promise<{ text: string; info: string }> {
  const [text, info] = await Promise.all([run('pdftotext', ['-layout', path, '-']), run('pdfinfo', ['-f', '1', '-l', '9', path])]);
  return { text: text.stdout, info: info.stdout };
}

const lines = (text: string) => text.split('\n').map((line) => line.trim());

/** What an independent decoder (jsQR) reads from a PNG's pixels. */
function decodeQr(png: Buffer): string | undefined {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height)?.data;
}

/** Page 1 of the PDF printed to pixels by poppler's pdftoppm, as a phone's camera would see the paper. */
async function pdfPagePng(pdf: string): Promise<Buffer> {
  const prefix = join(await mkdtemp(join(tmpdir(), 'tidings-qr-')), 'page');
  await run('pdftoppm', ['-r', '100', '-f', '1', '-l', '1', '-singlefile', '-png', pdf, prefix]);
  return readFile(`${prefix}.png`);
}

beforeAll(async () => {
  data = await source({ ...SETTINGS, site_url: 'https://example.org/tidings/', default_locale: 'zh-TW', brand_color: '#c0392b' });
  out = await mkdtemp(join(tmpdir(), 'tidings-events-'));
});

describe('tidings event-signup: the printable sheet', () => {
  for (const locale of ['zh-TW', 'en'] as const) {
    it(`${locale}: the PDF has the event, the statement and its version, the join URL as text, and a paper sheet in the signups tab's columns`, async () => {
      const written = await runEventSignup(MOON, { source: `csv:${data}`, out, asOf: AS_OF, locale }, quiet);
      expect(written.pdf).toBe(join(out, 'private/events', MOON, `signup-sheet-${locale}.pdf`));
      // With the other staff documents: owner-only, like everything under out/private.
      const mode = async (path: string) => ((await stat(path)).mode & 0o777).toString(8);
      expect([await mode(join(out, 'private/events', MOON)), await mode(written.pdf), await mode(written.html)]).toEqual(['700', '600', '600']);
      const { text, info } = await readPdf(written.pdf);
      const flat = text.replace(/\s+/g, ' ');
      expect(info).toMatch(/Pages:\s+2/);
      expect(info).toMatch(/Page\s+1 size:\s+595\.28 x 841\.89 pts \(A4\)/);
      expect(info).toMatch(/Page\s+2 size:\s+841\.89 x 595\.28 pts \(A4\)/);
      expect(text).toContain('小小基金會');
      expect(text).toContain('中秋節社區晚會');
      expect(text).toContain('臺北市大安區 和平活動中心');
      // The URL on one line, exactly, so staff can read it out or type it.
      expect(lines(text)).toContain(URLS[locale]);
      if (locale === 'zh-TW') {
        expect(text).toContain('2026年9月25日');
        for (const part of ['收集目的：小小基金會 會寄送您選擇的內容：電子報、緊急募款、活動與志工招募消息。', '誰會看到：您的資料只由本會工作人員用於聯繫您，不會出售、出租或提供給任何第三方。', '告知事項版本 1']) {
          expect(flat.match(new RegExp(part, 'g'))?.length, part).toBe(2); // on both pages
        }
        expect(text).toContain('紙本訂閱登記表：中秋節社區晚會');
      } else {
        expect(text).toContain('September 25, 2026');
        expect(flat).toContain('What we send: 小小基金會 will send what you choose: the newsletter, urgent appeals, events and volunteering news.');
        expect(flat).toContain('How to leave: Every email has a one-click unsubscribe link');
        expect(flat.match(/Statement version 1/g)).toHaveLength(2);
      }
      // The paper sheet: the signups tab's own column names, in its order, and what to type with them.
      expect(flat).toMatch(/first_name last_name email phone region channels topics frequency/);
      expect(flat).toContain('channels email, sms');
      expect(flat).toContain('topics newsletter, appeals, events, volunteering');
      expect(flat).toContain('frequency every, monthly, quarterly');
      expect(flat).toMatch(new RegExp(`source (填 )?paper.*event_id (填 )?${MOON.replace('.', '\\.')}.*consent_version (填 )?1`));
    });

    it(`${locale}: the QR code printed on page 1 decodes to exactly the join URL`, async () => {
      const { pdf } = await runEventSignup(MOON, { source: `csv:${data}`, out, asOf: AS_OF, locale }, quiet);
      expect(decodeQr(await pdfPagePng(pdf))).toBe(URLS[locale]);
    });
  }

  it('the statement and version come from settings when staff word them; a long one still leaves the paper sheet rows', async () => {
    const long = `我們會寄送活動消息。${'我們重視您的隱私，'.repeat(60)}`;
    const custom = await source({ ...SETTINGS, consent_what: long, consent_version: '2026-09', default_locale: 'en' });
    const { pdf } = await runEventSignup('E2026-walk', { source: `csv:${custom}`, out, asOf: AS_OF }, quiet);
    expect(pdf.endsWith('signup-sheet-en.pdf')).toBe(true);
    const { text } = await readPdf(pdf);
    const flat = text.replace(/\s+/g, '');
    expect(flat).toContain(`Whatwesend:${long}`);
    expect(text).toContain('Statement version 2026-09');
    expect(lines(text)).toContain('https://example.org/join/?event=E2026-walk');
    // The statement runs over onto a second portrait page; the paper sheet, rows and all, is the last page.
    const pages = Number(/Pages:\s+(\d+)/.exec((await readPdf(pdf)).info)![1]);
    expect(pages).toBe(3);
    expect((await readPdf(pdf)).info).toMatch(/Page\s+3 size:\s+841\.89 x 595\.28 pts \(A4\)/);
    const last = (await run('pdftotext', ['-layout', '-f', '3', '-l', '3', pdf, '-'])).stdout;
    expect(last).toContain('Paper sign-up sheet: Charity walk 2026');
    expect(last.replace(/\s+/g, ' ')).toContain('first_name last_name email phone region channels topics frequency');
    expect(last.replace(/\s+/g, '')).toContain('consent_version2026-09');
    expect(decodeQr(await pdfPagePng(pdf))).toBe('https://example.org/join/?event=E2026-walk');
  });
});

describe('the printable HTML page', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const locale of ['zh-TW', 'en'] as const) {
    it(`${locale}: valid HTML, A4 print CSS, no script, and its QR code as a browser shows it decodes to the join URL`, async () => {
      const { html: path } = await runEventSignup(MOON, { source: `csv:${data}`, out, asOf: AS_OF, locale }, quiet);
      const html = await readFile(path, 'utf8');
      // Every rule of the recommended set but three about spelling that HTML itself leaves free (and React writes otherwise).
      const rules = { 'doctype-style': 'off', 'attr-case': 'off', 'void-style': 'off' } as const;
      const report = await new HtmlValidate({ extends: ['html-validate:recommended'], rules }).validateString(html);
      expect(report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId}: ${m.message}`))).toEqual([]);
      expect(html).not.toMatch(/<script|javascript:|\son[a-z]+=/i);
      expect(html).toContain('@page { size: A4 portrait;');
      expect(html).toContain('@page paper { size: A4 landscape;');
      expect(html).toContain(`lang="${locale}"`);
      expect(html).toContain('border-top: 6pt solid #c0392b');
      // The fonts the page names are there, next to it.
      expect((await stat(join(out, 'private/events/fonts/NotoSansTC-Regular.ttf'))).size).toBeGreaterThan(1_000_000);

      const page = await browser.newPage();
      try {
        await page.goto(pathToFileURL(path).href);
        expect(await page.locator('.url').textContent()).toBe(URLS[locale]);
        expect(await page.locator('tbody tr').count()).toBe(10);
        expect(await page.locator('thead th small').allTextContents()).toEqual(['first_name', 'last_name', 'email', 'phone', 'region', 'channels', 'topics', 'frequency']);
        expect(decodeQr(await page.locator('.qr').screenshot())).toBe(URLS[locale]);
        // Printed as the page's own CSS asks: two A4 pages, the QR code portrait, the paper sheet landscape.
        const printed = join(await mkdtemp(join(tmpdir(), 'tidings-print-')), 'printed.pdf');
        await page.pdf({ path: printed, preferCSSPageSize: true });
        const { info } = await readPdf(printed);
        expect(info).toMatch(/Pages:\s+2\n/);
        expect(info).toMatch(/Page\s+1 size:\s+594\.96 x 841\.92 pts \(A4\)/);
        expect(info).toMatch(/Page\s+2 size:\s+841\.92 x 594\.96 pts \(A4\)/);
      } finally {
        await page.close();
      }
    });
  }
});

describe('tidings event-signup: errors', () => {
  it('an unknown event id is a usage error (exit 2) listing the closest ids, and nothing is written', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'tidings-events-'));
    const result = await tidings('event-signup', 'E2026-wlak', '--source', `csv:${data}`, '--out', empty, '--as-of', AS_OF);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^tidings: event-signup: no event E2026-wlak in the events tab .*; the closest event ids are E2026-walk, E2026-bazaar/);
    expect(await readdir(empty)).toEqual([]);
  });

  it('an id unsafe in a path or URL is refused before anything is read or written', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'tidings-events-'));
    const result = await tidings('event-signup', '../../x', '--source', 'csv:/nonexistent', '--out', empty);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^tidings: event-signup \.\.\/\.\.\/x: not an event id \(it holds a character other than letters, digits/);
    for (const id of ['..', '.hidden', 'a b', 'x'.repeat(65), 'a?b=c', 'a#b', 'a%2Fb']) {
      await expect(runEventSignup(id, { source: 'csv:/nonexistent', out: empty }, quiet), id).rejects.toThrow(/not an event id/);
    }
    expect(await readdir(empty)).toEqual([]);
  });

  it('site_url blank: says what to set', async () => {
    const { site_url: _, ...withoutSite } = SETTINGS;
    const noSite = await source(withoutSite);
    const empty = await mkdtemp(join(tmpdir(), 'tidings-events-'));
    const attempt = runEventSignup(MOON, { source: `csv:${noSite}`, out: empty, asOf: AS_OF }, quiet);
    await expect(attempt).rejects.toThrow(UsageError);
    await expect(attempt).rejects.toThrow(/site_url is blank in the settings tab: set it to the public site's address \(e\.g\. https:\/\/example\.org\)/);
    expect(await readdir(empty)).toEqual([]);
  });

  it('an unknown --locale is refused by the command line', async () => {
    const result = await tidings('event-signup', MOON, '--locale', 'fr', '--source', `csv:${data}`);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/option '--locale <locale>' argument 'fr' is invalid\. Allowed choices are zh-TW, en/);
  });
});
