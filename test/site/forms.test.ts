import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublicSite } from '../../reports/public/types.ts';
import { type FakeGoogleForm, startFakeGoogleForm } from '../support/fake-google-form.ts';
import { FIXTURE_ASSETS, buildSite, copyFixtures, launchChromium } from '../support/site.ts';
import { type StaticServer, serveStatic } from '../support/static-server.ts';

/**
 * The sign-up, confirmation and preference pages in real Chromium, posting to a stand-in for
 * Google Forms on another origin (as docs.google.com is): what the form receives is checked field
 * by field against the contract (the entry ids from the pre-filled links in settings).
 */
const SIGNUP = 'signup-form';
const PREFS = 'prefs-form';
const TOKEN = 'q2H4c7mT0bX9yJ1kLp3sVw.Zr8nE5aG2dK6fH0jM4tQ1u';

let dir: string;
let browser: Browser;
let google: FakeGoogleForm;
let site: StaticServer;
let bare: StaticServer;
let fixture: PublicSite;

/** Builds the site from the fixture's public JSON, changed by `edit`. */
async function build(name: string, edit: (site: PublicSite) => void): Promise<string> {
  const out = join(dir, name, 'out');
  await copyFixtures(out);
  const sitePath = join(out, 'public', 'site.json');
  const json = JSON.parse(await readFile(sitePath, 'utf8')) as PublicSite;
  edit(json);
  await writeFile(sitePath, JSON.stringify(json));
  const dist = join(dir, name, 'dist');
  await buildSite(out, dist);
  return dist;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tidings-forms-'));
  google = await startFakeGoogleForm([SIGNUP, PREFS]);
  fixture = JSON.parse(await readFile('test/fixtures/public/site.json', 'utf8')) as PublicSite;
  // One build at a time: Astro builds share a cache folder.
  const full = await build('full', (s) => {
    s.signup_form!.action = google.action(SIGNUP);
    s.preferences_form!.action = google.action(PREFS);
  });
  // The settings before staff set the forms up (and a site.json from before there were forms).
  const none = await build('bare', (s) => {
    delete s.signup_form;
    delete s.preferences_form;
    delete s.topics;
    delete s.purpose;
  });
  site = await serveStatic(full, { mounts: { '/fixture-assets/': FIXTURE_ASSETS } });
  bare = await serveStatic(none, { mounts: { '/fixture-assets/': FIXTURE_ASSETS } });
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([site?.close(), bare?.close(), google?.close()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Opens a page; collects console errors, page errors and dialogs (an injected alert() would be one). */
async function open(url: string, options: { javaScript?: boolean } = {}) {
  const context = await browser.newContext({ javaScriptEnabled: options.javaScript ?? true });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, problems, close: () => context.close() };
}

/** The last submission to a form, as field name → answer through the form's entry ids in site.json. */
function lastPost(formId: string, fields: Readonly<Record<string, string>>) {
  const posts = google.posts(formId);
  const post = posts[posts.length - 1];
  if (!post) return undefined;
  const names = new Map(Object.entries(fields).map(([name, entry]) => [entry, name]));
  const answers: Record<string, string> = {};
  for (const [key, value] of post.answers) {
    expect(names.has(key), `${key} is not one of the form's entries`).toBe(true);
    expect(answers[names.get(key)!], `${key} posted twice`).toBeUndefined();
    answers[names.get(key)!] = value;
  }
  return { contentType: post.contentType, answers };
}

/** Presses Tab until the element matching `selector` has focus, as a keyboard user gets there. */
async function tabTo(page: Page, selector: string) {
  for (let i = 0; i < 80; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

const signupFields = () => fixture.signup_form!.fields;
const prefFields = () => fixture.preferences_form!.fields;

describe('/join/', () => {
  it('posts exactly the contract\'s fields to the sign-up form and says to check the inbox (zh-TW)', async () => {
    const before = google.posts(SIGNUP).length;
    const { page, problems, close } = await open(`${site.url}/join/`);
    // The purpose statement, with its version, comes before the button.
    const statement = page.locator('.purpose');
    expect(await statement.innerText()).toContain('只有本會工作人員會看到您的資料。');
    expect(await statement.innerText()).toContain('說明版本：2026-11');
    expect(await page.evaluate(() => document.querySelector('.purpose')!.compareDocumentPosition(document.querySelector('form button')!) & Node.DOCUMENT_POSITION_FOLLOWING)).toBeTruthy();
    // Topic labels: the site's zh-TW names, the org's own label, else the id.
    expect(await page.locator('fieldset', { hasText: '想收到哪些內容' }).locator('label').allInnerTexts()).toEqual(['電子報', '緊急募款', '聚會 Gatherings', '志工招募', 'youth-camp']);

    await page.getByLabel('姓氏').fill('林');
    await page.getByLabel('名字').fill('美玲');
    await page.getByRole('textbox', { name: '電子郵件' }).fill('meiling@example.org');
    await page.getByLabel('居住地區（選填）').selectOption('臺北市');
    await page.getByLabel('簡訊').check();
    // Choosing SMS makes the mobile number required.
    expect(await page.getByLabel('手機號碼（選填）').evaluate((e: HTMLInputElement) => e.required)).toBe(true);
    await page.getByLabel('手機號碼（選填）').fill('0912-345-678');
    await page.getByLabel('緊急募款').uncheck();
    await page.getByLabel('志工招募').uncheck();
    await page.getByLabel('每月摘要').check();
    await page.getByLabel('我已閱讀以上說明').check();
    await page.getByRole('button', { name: '訂閱' }).click();

    await page.locator('#done').waitFor();
    expect(await page.locator('#done h2').innerText()).toBe('請到信箱收確認信');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('done');
    expect(page.url()).toBe(`${site.url}/join/`);
    expect(google.posts(SIGNUP)).toHaveLength(before + 1);
    expect(lastPost(SIGNUP, signupFields())).toEqual({
      contentType: 'application/x-www-form-urlencoded;charset=UTF-8',
      answers: {
        last_name: '林', first_name: '美玲', email: 'meiling@example.org', phone: '0912-345-678', region: '臺北市',
        channels: 'email,sms', topics: 'newsletter,events,youth-camp', frequency: 'monthly',
        language: 'zh-TW', consent_version: '2026-11', source: '/join/', event_id: '',
      },
    });
    expect(problems).toEqual([]);
    await close();
  });

  it('works by keyboard alone, and records the event from ?event= (en), an id in any script as sync allows it', async () => {
    const before = google.posts(SIGNUP).length;
    const { page, problems, close } = await open(`${site.url}/en/join/?event=${encodeURIComponent('中秋-晚會.2026')}`);
    expect(await page.locator('#event-note').innerText()).toBe('You are signing up at the event “中秋-晚會.2026”.');
    await tabTo(page, '#first_name');
    await page.keyboard.type('Ben');
    await tabTo(page, '#last_name');
    await page.keyboard.type('Wu');
    await tabTo(page, '#email');
    await page.keyboard.type('ben@example.org');
    await tabTo(page, 'input[data-choice="topics"][value="appeals"]');
    await page.keyboard.press('Space');
    await tabTo(page, 'input[data-choice="frequency"][value="every"]');
    await page.keyboard.press('ArrowDown'); // radio group: the next choice, monthly
    await page.keyboard.press('ArrowDown'); // quarterly
    await tabTo(page, '#consent');
    await page.keyboard.press('Space');
    await tabTo(page, 'form button[type="submit"]');
    await page.keyboard.press('Enter');
    await page.locator('#done').waitFor();
    expect(await page.locator('#done h2').innerText()).toBe('Check your inbox to confirm');
    expect(google.posts(SIGNUP)).toHaveLength(before + 1);
    expect(lastPost(SIGNUP, signupFields())?.answers).toEqual({
      first_name: 'Ben', last_name: 'Wu', email: 'ben@example.org', phone: '', region: '',
      channels: 'email', topics: 'newsletter,events,volunteering,youth-camp', frequency: 'quarterly',
      language: 'en', consent_version: '2026-11', source: '/en/join/', event_id: '中秋-晚會.2026',
    });
    expect(problems).toEqual([]);
    await close();
  });

  it('sends nothing without consent, an email address, a channel or a topic, and says what is missing', async () => {
    const before = google.posts(SIGNUP).length;
    const { page, problems, close } = await open(`${site.url}/en/join/`);
    await page.getByLabel('First name').fill('Ann');
    await page.getByRole('button', { name: 'Sign up' }).click();
    expect(await page.locator('#email').evaluate((e: HTMLInputElement) => e.validationMessage)).not.toBe('');
    await page.getByRole('textbox', { name: 'Email' }).fill('ann@example.org');
    await page.getByRole('button', { name: 'Sign up' }).click();
    expect(await page.locator('#consent').evaluate((e: HTMLInputElement) => e.validationMessage)).not.toBe('');
    await page.getByLabel('I have read').check();
    for (const id of ['newsletter', 'appeals', 'events', 'volunteering', 'youth-camp']) await page.locator(`input[data-choice="topics"][value="${id}"]`).uncheck();
    await page.getByRole('button', { name: 'Sign up' }).click();
    expect(await page.getByRole('alert').innerText()).toBe('Choose at least one thing to receive.');
    await page.locator('input[data-choice="channels"][value="email"]').uncheck();
    await page.locator('input[data-choice="topics"][value="events"]').check();
    await page.getByRole('button', { name: 'Sign up' }).click();
    expect(await page.getByRole('alert').innerText()).toBe('Choose at least one way to reach you.');
    expect(await page.locator('#done').isHidden()).toBe(true);
    expect(google.posts(SIGNUP)).toHaveLength(before);
    expect(problems).toEqual([]);
    await close();
  });

  it('ignores a hostile or malformed ?event= (never shown, never posted) and injects nothing', async () => {
    for (const junk of ['<img src=x onerror=alert(1)>', '"><script>alert(1)</script>', '../../etc/passwd', 'a'.repeat(65), 'gala 2026', '.hidden', 'gala..2026']) {
      const before = google.posts(SIGNUP).length;
      const { page, problems, close } = await open(`${site.url}/join/?event=${encodeURIComponent(junk)}&t=${encodeURIComponent(junk)}`);
      expect(await page.locator('#event-note').isHidden(), junk).toBe(true);
      expect(await page.locator('img[src="x"], main script').count(), junk).toBe(0);
      await page.getByRole('textbox', { name: '電子郵件' }).fill('x@example.org');
      await page.getByLabel('名字').fill('X');
      await page.getByLabel('我已閱讀以上說明').check();
      await page.getByRole('button', { name: '訂閱' }).click();
      await page.locator('#done').waitFor();
      expect(google.posts(SIGNUP)).toHaveLength(before + 1);
      expect(lastPost(SIGNUP, signupFields())?.answers.event_id, junk).toBe('');
      expect(problems, junk).toEqual([]);
      await close();
    }
  });

  it('without JavaScript posts straight to the form: every field but event_id, email and every topic', async () => {
    const before = google.posts(SIGNUP).length;
    const { page, close } = await open(`${site.url}/en/join/?event=gala-2026`, { javaScript: false });
    expect(await page.locator('noscript').first().textContent()).toContain('Without JavaScript');
    expect(await page.locator('fieldset.needs-js').first().isHidden()).toBe(true);
    await page.getByLabel('First name').fill('Ann');
    await page.getByRole('textbox', { name: 'Email' }).fill('ann@example.org');
    await page.getByLabel('A monthly digest').check();
    await page.getByLabel('I have read').check();
    await Promise.all([page.waitForURL(/formResponse/), page.getByRole('button', { name: 'Sign up' }).click()]);
    expect(await page.locator('body').innerText()).toContain('Your response has been recorded');
    expect(google.posts(SIGNUP)).toHaveLength(before + 1);
    expect(lastPost(SIGNUP, signupFields())?.answers).toEqual({
      first_name: 'Ann', last_name: '', email: 'ann@example.org', phone: '', region: '',
      channels: 'email', topics: 'newsletter,appeals,events,volunteering,youth-camp', frequency: 'monthly',
      language: 'en', consent_version: '2026-11', source: '/en/join/', event_id: '',
    });
    await close();
  });
});

describe('/confirm/', () => {
  it.each([['zh-TW', '/confirm/', '確認訂閱', '謝謝，已確認！'], ['en', '/en/confirm/', 'Confirm my sign-up', 'Thank you, you are confirmed!']])('posts only confirm=<token> to the sign-up form (%s)', async (_locale, path, button, done) => {
    const before = google.posts(SIGNUP).length;
    const { page, problems, close } = await open(`${site.url}${path}?t=${TOKEN}`);
    // Nothing is posted until the person presses the button (mail scanners open links too).
    await page.waitForTimeout(300);
    expect(google.posts(SIGNUP)).toHaveLength(before);
    await page.getByRole('button', { name: button }).click();
    await page.locator('#done').waitFor();
    expect(await page.locator('#done h2').innerText()).toBe(done);
    expect(google.posts(SIGNUP)).toHaveLength(before + 1);
    expect(lastPost(SIGNUP, signupFields())?.answers).toEqual({ confirm: TOKEN });
    expect(problems).toEqual([]);
    await close();
  });

  it('with a missing or malformed token says the link is incomplete and offers no button', async () => {
    for (const query of ['', '?t=', '?t=short', `?t=${encodeURIComponent('<b>x</b>'.repeat(4))}`, `?t=${TOKEN}%20or%201=1`, `?t=${'a'.repeat(600)}`]) {
      const { page, problems, close } = await open(`${site.url}/en/confirm/${query}`);
      expect(await page.locator('#bad-link').isVisible(), query).toBe(true);
      expect(await page.getByRole('button', { name: 'Confirm my sign-up' }).isVisible(), query).toBe(false);
      expect(problems, query).toEqual([]);
      await close();
    }
  });
});

describe('/preferences/', () => {
  it('shows the choices from the link, ignoring junk, and posts the changed ones with the token (en)', async () => {
    const before = google.posts(PREFS).length;
    const query = `t=${TOKEN}&channels=sms,fax,%3Cscript%3E&topics=events,bogus,youth-camp&frequency=quarterly`;
    const { page, problems, close } = await open(`${site.url}/en/preferences/?${query}`);
    const checked = (name: string) => page.locator(`input[data-choice="${name}"]:checked`).evaluateAll((boxes) => boxes.map((b) => (b as HTMLInputElement).value));
    expect(await checked('channels')).toEqual(['sms']);
    expect(await checked('topics')).toEqual(['events', 'youth-camp']);
    expect(await checked('frequency')).toEqual(['quarterly']);
    await page.getByLabel('Email').check();
    await page.getByLabel('Newsletter').check();
    await page.getByLabel('youth-camp').uncheck();
    await page.getByLabel('A monthly digest').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('#done').waitFor();
    expect(google.posts(PREFS)).toHaveLength(before + 1);
    expect(lastPost(PREFS, prefFields())?.answers).toEqual({ token: TOKEN, channels: 'email,sms', topics: 'newsletter,events', frequency: 'monthly' });
    expect(problems).toEqual([]);
    await close();
  });

  it('keeps the defaults when every choice in the link is junk, and links to one-click unsubscribe (zh-TW, keyboard)', async () => {
    const before = google.posts(PREFS).length;
    const unsubscribe = 'Ab3dEf6hIj9kLm2nOp5qRs.Tu8vWx1yZa4bCd7eFg0hIj';
    const { page, problems, close } = await open(`${site.url}/preferences/?t=${TOKEN}&u=${unsubscribe}&channels=fax&topics=%22%3E%3Cimg%20src=x%3E&frequency=daily`);
    expect(await page.getByRole('link', { name: '一鍵取消所有訂閱' }).getAttribute('href')).toBe(`${site.url}/unsubscribe/?t=${unsubscribe}`);
    await tabTo(page, 'input[data-choice="topics"][value="appeals"]');
    await page.keyboard.press('Space');
    await tabTo(page, 'form button[type="submit"]');
    await page.keyboard.press('Enter');
    await page.locator('#done').waitFor();
    expect(lastPost(PREFS, prefFields())?.answers).toEqual({ token: TOKEN, channels: 'email', topics: 'newsletter,events,volunteering,youth-camp', frequency: 'every' });
    expect(google.posts(PREFS)).toHaveLength(before + 1);
    expect(problems).toEqual([]);
    await close();
  });

  it('with a hostile token shows the incomplete-link notice, no form, and injects nothing', async () => {
    const { page, problems, close } = await open(`${site.url}/preferences/?t=${encodeURIComponent('"><img src=x onerror=alert(1)>')}&u=${encodeURIComponent('javascript:alert(1)')}`);
    expect(await page.locator('#bad-link').isVisible()).toBe(true);
    expect(await page.locator('form.signup').isVisible()).toBe(false);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.getByRole('link', { name: '一鍵取消所有訂閱' }).getAttribute('href')).toBe('/unsubscribe/');
    expect(problems).toEqual([]);
    await close();
  });
});

describe('before the forms are set up', () => {
  it.each([
    ['/join/', '線上訂閱尚未開放'], ['/en/join/', 'Online sign-up is not open yet'],
    ['/confirm/?t=' + TOKEN, '線上訂閱尚未開放'], ['/en/preferences/?t=' + TOKEN, 'Changing your choices online is not open yet'],
  ])('%s says so, with no form', async (path, message) => {
    const { page, problems, close } = await open(`${bare.url}${path}`);
    expect(await page.locator('main .notice').first().innerText()).toContain(message);
    expect(await page.locator('main form').count()).toBe(0);
    expect(problems).toEqual([]);
    await close();
  });

  it('every page links to /join/ from its footer, and each donate page after its give buttons', async () => {
    const { page, close } = await open(`${site.url}/en/impact/`);
    expect(await page.locator('footer a', { hasText: 'Join our mailing list' }).getAttribute('href')).toBe('/en/join/');
    await page.goto(`${site.url}/donate/winter-meals-2026/`);
    expect(await page.locator('.give .after-giving a').getAttribute('href')).toBe('/join/');
    await close();
  });
});
