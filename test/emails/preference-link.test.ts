import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runSend } from '../../cli/commands/send.ts';
import { outboxDir } from '../../emails/send/outbox.ts';
import { tokenVerifier, unsubscribeToken } from '../../emails/unsubscribe.ts';
import { SETTINGS, writeCsvFolder } from '../support/csv-folder.ts';

const SECRET = 'preference-link-secret';
afterEach(() => vi.unstubAllEnvs());

const CONTACTS = [
  // Blank language: the default locale's page; blank topics and frequency: every topic, every mailing.
  { contact_id: 'C1', first_name: '小明', last_name: '王', email: 'ming@example.org', email_opt_in: 'yes' },
  { contact_id: 'C2', first_name: 'Amy', email: 'amy@example.org', email_opt_in: 'yes', sms_opt_in: 'yes', phone: '0912345678', language: 'en', topics: 'events, newsletter', email_frequency: 'monthly' },
];

async function outbox(locale: string) {
  const dir = await writeCsvFolder(
    {
      contacts: CONTACTS,
      mailings: [{ mailing_id: 'M1', name: 'News', subject: locale === 'en' ? 'News' : '消息', template: 'newsletter', segment: 'all', locale, topic: 'newsletter' }],
      stories: [{ mailing_id: 'M1', position: '1', title: 'Story', body: 'Hello' }],
    },
    SETTINGS,
  );
  vi.stubEnv('TIDINGS_UNSUBSCRIBE_SECRET', SECRET);
  const out = join(dir, 'out');
  await runSend('M1', { source: `csv:${dir}`, out, asOf: '2026-11-15' }, () => {});
  const mails = [];
  for (const file of ['0001-C1.eml', '0002-C2.eml']) mails.push(await simpleParser(await readFile(join(outboxDir(out, 'M1'), file))));
  return mails;
}

/** The link whose path ends in /preferences/, from the HTML as a mail client would follow it. */
function preferenceLink(html: string): URL {
  const hrefs = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
  const links = hrefs.filter((h) => new URL(h).pathname.endsWith('/preferences/'));
  expect(links).toHaveLength(1);
  return new URL(links[0]);
}

describe('every newsletter carries the preference centre link', () => {
  it.each([
    ['zh-TW', '選擇您想收到的內容', '取消訂閱'],
    ['en', 'Choose what you receive', 'Unsubscribe'],
  ])('%s template: the link is next to unsubscribe, in the contact\'s language, and round-trips', async (locale, label, unsubscribe) => {
    const [ming, amy] = await outbox(locale);
    const verify = tokenVerifier(SECRET, CONTACTS, 'preferences');

    const m = preferenceLink(ming.html as string);
    expect(m.origin + m.pathname).toBe('https://example.org/preferences/');
    expect(verify(m.searchParams.get('t')!)).toEqual({ ok: true, contact_id: 'C1' });
    expect([m.searchParams.get('channels'), m.searchParams.get('topics'), m.searchParams.get('frequency')]).toEqual(['email', 'newsletter,appeals,events,volunteering', 'every']);

    const a = preferenceLink(amy.html as string);
    expect(a.origin + a.pathname).toBe('https://example.org/en/preferences/');
    expect(verify(a.searchParams.get('t')!)).toEqual({ ok: true, contact_id: 'C2' });
    // Topics in the org's order, as the page lists them.
    expect([a.searchParams.get('channels'), a.searchParams.get('topics'), a.searchParams.get('frequency')]).toEqual(['email,sms', 'newsletter,events', 'monthly']);
    // It is not an unsubscribe token: posted to the unsubscribe form it would not verify.
    expect(tokenVerifier(SECRET, CONTACTS, 'unsubscribe')(a.searchParams.get('t')!).ok).toBe(false);
    // The page's "unsubscribe from everything" is one click too: the link carries the unsubscribe token as u.
    expect(tokenVerifier(SECRET, CONTACTS, 'unsubscribe')(a.searchParams.get('u')!)).toEqual({ ok: true, contact_id: 'C2' });

    // The footer says both, the preference link first; the plain-text part carries the link too.
    const html = amy.html as string;
    expect(html.indexOf(label)).toBeGreaterThan(0);
    expect(html.indexOf(label)).toBeLessThan(html.lastIndexOf(unsubscribe));
    expect(amy.text).toContain(label);
    expect(amy.text).toContain(a.searchParams.get('t'));

    // Unsubscribing stays one click and total: List-Unsubscribe still posts the unsubscribe token.
    const list = amy.headers.get('list') as { unsubscribe: { url: string }; 'unsubscribe-post': { name: string } };
    expect(list['unsubscribe-post'].name).toBe('List-Unsubscribe=One-Click');
    const oneClick = new URL(list.unsubscribe.url);
    expect(oneClick.origin + oneClick.pathname).toBe('https://docs.google.com/forms/d/e/FORMID/formResponse');
    expect(oneClick.searchParams.get('entry.1234')).toBe(unsubscribeToken(SECRET, 'C2'));
  });
});
