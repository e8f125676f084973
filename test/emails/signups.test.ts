import { type ChildProcess, spawn } from 'node:child_process';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runSend } from '../../cli/commands/send.ts';
import { runSync } from '../../cli/commands/sync.ts';
import { tidings } from '../support/cli.ts';
import { SETTINGS, writeCsvFolder } from '../support/csv-folder.ts';
import { FakeResend } from '../support/fake-resend-server.ts';

const SECRET = 'signup-test-secret';
const ago = (hours: number) => new Date(Date.now() - hours * 3600_000).toISOString();

type Rows = Record<string, string>[];
const readTab = async (dir: string, tab: string): Promise<Rows> => parse(await readFile(join(dir, `${tab}.csv`), 'utf8'), { bom: true, columns: true, relax_column_count: true });
/** What the /confirm/ page posts: a new row of the sign-up form with only confirm filled (and Google's timestamp). */
async function postConfirm(dir: string, token: string, at = new Date().toISOString()) {
  const rows = await readTab(dir, 'signups');
  const header = Object.keys(rows[0]);
  rows.push({ timestamp: at, confirm: token });
  await writeFile(join(dir, 'signups.csv'), stringify([header, ...rows.map((r) => header.map((h) => r[h] ?? ''))]));
}
/** Staff (or the public form) adding sign-up rows below what is there. */
async function addSignups(dir: string, added: Rows) {
  const rows = await readTab(dir, 'signups');
  const header = [...new Set([...Object.keys(rows[0] ?? {}), ...added.flatMap((r) => Object.keys(r))])];
  await writeFile(join(dir, 'signups.csv'), stringify([header, ...[...rows, ...added].map((r) => header.map((h) => r[h] ?? ''))]));
}

const signup = (extra: Record<string, string>) => ({
  timestamp: ago(1), email: '', first_name: '', last_name: '', phone: '', region: '', channels: 'email', topics: '', frequency: '', language: 'zh-TW',
  consent_version: '1', source: '/join/', event_id: '', confirm: '', ...extra,
});

/** `tidings sync`: the real CLI in a child process when `cli`, else its command in this process (the same code, without a Node start each time). */
async function sync(dir: string, cli = false) {
  if (cli) {
    const r = await tidings('sync', '--source', `csv:${dir}`, '--out', join(dir, 'out'), '--no-backup');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    return r.stdout;
  }
  const lines: string[] = [];
  await runSync({ source: `csv:${dir}`, out: join(dir, 'out'), backup: false }, (l) => lines.push(l));
  return lines.join('\n');
}
async function send(dir: string) {
  const lines: string[] = [];
  await runSend('M1', { source: `csv:${dir}`, out: join(dir, 'out') }, (l) => lines.push(l));
  return lines.join('\n');
}
const signupLine = (stdout: string) => stdout.split('\n').find((l) => l.startsWith('sign-ups:')) ?? '';

/** The confirmation emails of the dry run, with the token from each email's confirm link. */
async function outbox(dir: string) {
  const folder = join(dir, 'out', 'private', 'outbox', 'signups');
  const files = (await readdir(folder)).filter((f) => f.endsWith('.html') && f !== 'index.html').sort();
  return Promise.all(files.map(async (f) => {
    const html = await readFile(join(folder, f), 'utf8');
    const eml = await readFile(join(folder, f.replace(/\.html$/, '.eml')), 'utf8');
    const link = /href="(https:\/\/example\.org\/(?:en\/)?confirm\/\?t=[^"]+)"/.exec(html)![1];
    return { html, eml, to: /^To: (.*)$/m.exec(eml)![1].trim(), link, token: new URL(link.replaceAll('&amp;', '&')).searchParams.get('t')! };
  }));
}

const env = { TIDINGS_UNSUBSCRIBE_SECRET: SECRET, RESEND_API_KEY: '', RESEND_BASE_URL: '' };
let saved: NodeJS.ProcessEnv;
beforeEach(() => {
  saved = { ...process.env };
  Object.assign(process.env, env);
  delete process.env.RESEND_API_KEY;
});
afterEach(() => {
  process.env = saved;
  vi.useRealTimers();
});

async function folder(signups: Rows, more: Record<string, Rows> = {}) {
  return writeCsvFolder({
    contacts: [
      { contact_id: 'C1', first_name: '王', email: 'existing@example.org', phone: '0911-111-111', language: 'zh-TW' },
      { contact_id: 'C2', first_name: 'Gone', email: 'forgotten@example.org', do_not_contact: 'yes' },
    ],
    mailings: [{ mailing_id: 'M1', name: '12月', subject: '十二月', template: 'newsletter', segment: 'all', locale: 'zh-TW', status: 'scheduled', scheduled_for: '2026-12-01 11:00' }],
    stories: [{ mailing_id: 'M1', position: '1', title: '近況', body: '大家好' }],
    signups,
    ...more,
  }, SETTINGS);
}

describe('double opt-in through the real CLI (CSV source, dry run into the outbox)', () => {
  it('sign-up → sync → confirmation email → the confirm page posts the token → sync → consent recorded → in the next newsletter, in zh-TW and en', async () => {
    const dir = await folder([
      signup({ email: 'Mei@Example.org ', first_name: '美', last_name: '林', phone: '0912 345 678', channels: 'email,sms', topics: 'newsletter, events, bingo', frequency: 'monthly' }),
      signup({ email: 'john@example.org', first_name: 'John', language: 'en', source: '/en/join/' }),
      signup({ email: 'EXISTING@example.org', first_name: 'Someone else', phone: '0922-222-222', topics: 'appeals' }),
      signup({ email: 'mei@example.org', first_name: '美美' }),
    ]);
    let out = await sync(dir, true);
    expect(signupLine(out)).toMatch(/^sign-ups: 4 new, 3 pending, 0 confirmed, 0 expired, 0 junk \(1 repeated\); confirmation emails: 3 written to the outbox/);
    expect(out).toContain('"bingo" is not one of the topics');

    let contacts = await readTab(dir, 'contacts');
    const pending = contacts.filter((c) => c.source === 'signup');
    expect(pending.map((c) => c.email).sort()).toEqual(['john@example.org', 'mei@example.org']);
    for (const c of pending) expect(c.email_opt_in ?? '').toBe('');
    const rows = await readTab(dir, 'signups');
    expect(rows.map((r) => r.status)).toEqual(['pending', 'pending', 'pending', 'duplicate']);
    expect(rows[2].contact_id).toBe('C1');
    expect(rows[3].contact_id).toBe(rows[0].contact_id);

    const mails = await outbox(dir);
    expect(mails.map((m) => m.to).sort()).toEqual(['existing@example.org', 'john@example.org', 'mei@example.org']);
    const mei = mails.find((m) => m.to === 'mei@example.org')!;
    const john = mails.find((m) => m.to === 'john@example.org')!;
    const existing = mails.find((m) => m.to === 'existing@example.org')!;
    expect(mei.link).toMatch(/^https:\/\/example\.org\/confirm\/\?t=/);
    expect(mei.html).toContain('確認訂閱');
    expect(john.link).toMatch(/^https:\/\/example\.org\/en\/confirm\/\?t=/);
    expect(john.html).toContain('Confirm my subscription');
    // The purpose statement, summarised, with its version; the preference centre for a known contact only.
    expect(john.html).toContain('statement version 1');
    expect(existing.html).toContain('https://example.org/preferences/?t=');
    expect(mei.html).not.toContain('/preferences/');
    // Transactional: no unsubscribe header; the token names nothing personal.
    expect(mei.eml).not.toMatch(/List-Unsubscribe/i);
    expect(mei.token).not.toContain(rows[0].contact_id);

    // Nobody confirmed yet: the newsletter does not reach the pending contacts.
    expect(await send(dir)).toMatch(/M1: 0 recipients/);

    // The confirm page posts each token back through the form (one forged as well); the next sync applies them.
    const confirmedAt = '2026-12-03T09:30:00.000Z';
    for (const m of [mei, john, existing]) await postConfirm(dir, m.token, confirmedAt);
    await postConfirm(dir, `${mei.token.slice(0, 21)}.AAAAAAAAAAAAAAAAAAAAAA`);
    out = await sync(dir);
    expect(signupLine(out)).toMatch(/^sign-ups: 0 new, 0 pending, 3 confirmed, 0 expired, 0 junk \(1 invalid confirmations\); confirmation emails: none to send/);

    contacts = await readTab(dir, 'contacts');
    const byEmail = (e: string) => contacts.find((c) => c.email === e)!;
    expect(byEmail('mei@example.org')).toMatchObject({
      email_opt_in: 'yes', sms_opt_in: 'yes', consent_source: '/join/', consent_version: '1', topics: 'newsletter, events', email_frequency: 'monthly',
      phone: '+886912345678', first_name: '美', last_name: '林',
    });
    expect(Date.parse(byEmail('mei@example.org').consent_at)).toBe(Date.parse(confirmedAt));
    expect(byEmail('john@example.org')).toMatchObject({ email_opt_in: 'yes', sms_opt_in: 'no', consent_source: '/en/join/', language: 'en' });
    // The existing contact is updated, not duplicated, and what staff typed stays.
    expect(contacts.filter((c) => c.email.toLowerCase() === 'existing@example.org')).toHaveLength(1);
    expect(byEmail('existing@example.org')).toMatchObject({ contact_id: 'C1', email_opt_in: 'yes', first_name: '王', phone: '0911-111-111', topics: 'appeals' });
    expect((await readTab(dir, 'signups')).map((r) => r.status)).toEqual(['pending', 'pending', 'pending', 'duplicate', 'confirmation', 'confirmation', 'confirmation', 'invalid'].map((s, i) => (i < 3 ? 'confirmed' : s)));

    // A second confirmation (the person clicks again) changes nothing.
    const before = await readFile(join(dir, 'contacts.csv'), 'utf8');
    await postConfirm(dir, mei.token);
    out = await sync(dir);
    expect(signupLine(out)).toMatch(/0 confirmed/);
    expect(await readFile(join(dir, 'contacts.csv'), 'utf8')).toBe(before);

    // The newsletter (topic blank: newsletter) reaches both new people; C1 chose appeals only when signing up, so it is left out.
    const sent = await send(dir);
    expect(sent).toMatch(/M1: 2 recipients/);
    expect(sent).toMatch(/left out, topic off: 1/);
    const newsletter = await readdir(join(dir, 'out', 'private', 'outbox', 'M1'));
    for (const id of [byEmail('mei@example.org').contact_id, byEmail('john@example.org').contact_id]) expect(newsletter.some((f) => f.includes(id))).toBe(true);
    expect(newsletter.some((f) => f.includes('C1'))).toBe(false);
  }, 120_000);

  it('without the secret nothing is processed, and the log says why', async () => {
    delete process.env.TIDINGS_UNSUBSCRIBE_SECRET;
    const dir = await folder([signup({ email: 'mei@example.org' })]);
    const out = await sync(dir, true);
    expect(out).toContain('sign-ups: TIDINGS_UNSUBSCRIBE_SECRET is not set');
    expect((await readTab(dir, 'contacts')).some((c) => c.email === 'mei@example.org')).toBe(false);
  }, 60_000);
});

describe('junk and addresses that must not be mailed', () => {
  it('junk by the thousand is counted, listed 20 at a time, never fatal and never mailed', async () => {
    const junk: Rows = [];
    for (let i = 0; i < 3000; i++) {
      const kind = i % 4;
      junk.push(signup({
        email: kind === 0 ? `not-an-address-${i}` : kind === 1 ? `bot${i}@example.org` : kind === 2 ? '' : `x${i}@example.org`,
        first_name: kind === 1 ? 'Cheap pills http://spam.example' : 'x',
        last_name: kind === 3 ? 'A'.repeat(5000) : '',
        ...(kind === 2 && { consent_version: '' }),
      }));
    }
    const dir = await folder([...junk, signup({ email: 'real@example.org' }), signup({ email: 'forgotten@example.org' })]);
    const out = await sync(dir);
    expect(signupLine(out)).toMatch(/^sign-ups: 3,002 new, 1 pending, 0 confirmed, 0 expired, 3,000 junk \(1 suppressed \(not mailed\)\); confirmation emails: 1 written/);
    const problems: Rows = parse(await readFile(join(dir, 'out', 'private', 'problems.csv'), 'utf8'), { bom: true, columns: true });
    const mine = problems.filter((p) => p.tab === 'signups');
    expect(mine).toHaveLength(21);
    expect(mine[0]).toMatchObject({ row: '2', column: 'email', column_letter: 'B' });
    expect(mine[20].message).toMatch(/^[\d,]+ more problems in sign-ups beyond the 20 listed/);
    expect((await outbox(dir)).map((m) => m.to)).toEqual(['real@example.org']);
    const statuses = (await readTab(dir, 'signups')).map((r) => r.status);
    expect(statuses.filter((s) => s === 'junk')).toHaveLength(3000);
    expect(statuses.at(-1)).toBe('suppressed');
    // Junk makes no contacts.
    expect(await readTab(dir, 'contacts')).toHaveLength(3);
  }, 120_000);
});

describe('expiry, events and paper sheets', () => {
  it('an unconfirmed sign-up expires after signup_expiry_days and its pending contact is removed; the existing contact stays', async () => {
    const dir = await folder([signup({ email: 'late@example.org' }), signup({ email: 'existing@example.org' })]);
    await runSync({ source: `csv:${dir}`, out: join(dir, 'out'), backup: false }, () => {});
    expect((await readTab(dir, 'contacts')).map((c) => c.email)).toContain('late@example.org');
    const lines: string[] = [];
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 6 * 86_400_000);
    await runSync({ source: `csv:${dir}`, out: join(dir, 'out'), backup: false }, (l) => lines.push(l));
    expect(lines.find((l) => l.startsWith('sign-ups:'))).toMatch(/0 new, 2 pending, 0 confirmed, 0 expired/);
    vi.setSystemTime(Date.now() + 2 * 86_400_000);
    lines.length = 0;
    await runSync({ source: `csv:${dir}`, out: join(dir, 'out'), backup: false }, (l) => lines.push(l));
    expect(lines.find((l) => l.startsWith('sign-ups:'))).toMatch(/0 new, 0 pending, 0 confirmed, 2 expired/);
    expect((await readTab(dir, 'contacts')).map((c) => c.contact_id)).toEqual(['C1', 'C2']);
    expect((await readTab(dir, 'signups')).map((r) => r.status)).toEqual(['expired', 'expired']);
  }, 60_000);

  it('an event sign-up (online or typed from a paper sheet) becomes a participant once confirmed, once; an unknown event is a warning', async () => {
    const dir = await folder([
      signup({ email: 'fair@example.org', event_id: 'E1', source: '/join/' }),
      signup({ timestamp: '', email: 'paper@example.org', first_name: '陳', event_id: 'E1', source: 'paper' }),
      signup({ email: 'lost@example.org', event_id: 'E404' }),
    ], { events: [{ event_id: 'E1', title: '年末市集', date: '2026-11-28' }], participants: [{ event_id: 'E0', contact_id: 'C1' }] });
    await sync(dir);
    for (const m of await outbox(dir)) await postConfirm(dir, m.token);
    let out = await sync(dir);
    expect(signupLine(out)).toMatch(/3 confirmed/);
    expect(out).toContain('no event E404 in the events tab');
    const contacts = await readTab(dir, 'contacts');
    const id = (e: string) => contacts.find((c) => c.email === e)!.contact_id;
    expect(contacts.find((c) => c.email === 'paper@example.org')!.consent_source).toBe('event:E1');
    const participants = await readTab(dir, 'participants');
    expect(participants.filter((p) => p.event_id === 'E1').map((p) => [p.contact_id, p.status]).sort()).toEqual([[id('fair@example.org'), 'attended'], [id('paper@example.org'), 'attended']].sort());
    for (const m of await outbox(dir).catch(() => [])) await postConfirm(dir, m.token);
    out = await sync(dir);
    expect((await readTab(dir, 'participants'))).toHaveLength(3);
  }, 90_000);
});

describe('through Resend (the fake server), exactly once', () => {
  const live = (server: FakeResend) => ({ ...process.env, RESEND_API_KEY: 're_test', RESEND_BASE_URL: server.url, TIDINGS_UNSUBSCRIBE_SECRET: SECRET });

  it('sends one confirmation per sign-up, repeated submissions and re-runs included, and the link in the received email confirms', async () => {
    const server = await new FakeResend({ limit: 1000, windowMs: 1000, strict: true }).start();
    try {
      Object.assign(process.env, live(server));
      const dir = await folder([signup({ email: 'mei@example.org', language: 'en', source: '/en/join/' }), signup({ email: 'MEI@example.org' })]);
      let out = await sync(dir);
      expect(signupLine(out)).toMatch(/2 new, 1 pending.*\(1 repeated\); confirmation emails: 1 sent/);
      await addSignups(dir, [signup({ email: 'mei@example.org', timestamp: ago(0.5) })]);
      out = await sync(dir);
      expect(signupLine(out)).toMatch(/1 new, 1 pending.*\(1 repeated\); confirmation emails: none to send/);
      expect(server.deliveries.get('mei@example.org')).toBe(1);
      const [email] = server.emails.values();
      expect(email.subject).toContain('Please confirm');
      const link = /href="(https:\/\/example\.org\/en\/confirm\/\?t=[^"]+)"/.exec(email.html)![1];
      await postConfirm(dir, new URL(link).searchParams.get('t')!);
      out = await sync(dir);
      expect(signupLine(out)).toMatch(/1 confirmed/);
      expect((await readTab(dir, 'contacts')).find((c) => c.email === 'mei@example.org')!.email_opt_in).toBe('yes');
      expect((await readTab(dir, 'email_events')).filter((e) => e.mailing_id.startsWith('signup:'))).toHaveLength(1);
    } finally {
      await server.close();
    }
  }, 120_000);

  it("stops cleanly at Resend's daily quota and sends the rest on the next day's sync, none twice", async () => {
    const server = await new FakeResend({ limit: 1000, windowMs: 1000, strict: true, plan: 'free' }).start();
    try {
      Object.assign(process.env, live(server));
      const people: Rows = [];
      for (let i = 0; i < 103; i++) people.push(signup({ email: `p${i}@example.org` }));
      const dir = await folder(people);
      let out = await sync(dir);
      expect(signupLine(out)).toMatch(/103 new, 103 pending.*confirmation emails: 100 sent; 3 wait for Resend's daily quota/);
      expect(server.deliveries.size).toBe(100);
      server.advanceDays(1);
      out = await sync(dir);
      expect(signupLine(out)).toMatch(/0 new, 103 pending.*confirmation emails: 3 sent$/);
      expect(server.deliveries.size).toBe(103);
      expect([...server.deliveries.values()].every((n) => n === 1)).toBe(true);
    } finally {
      await server.close();
    }
  }, 180_000);

  it('a sync killed after Resend accepted the email, before it was recorded, does not mail twice on the next run', async () => {
    const server = await new FakeResend({ limit: 1000, windowMs: 1000 }).start();
    try {
      const dir = await folder([signup({ email: 'a@example.org' }), signup({ email: 'b@example.org' })]);
      let child: ChildProcess | undefined;
      const exited = new Promise<number | null>((resolve) => {
        server.onAccept = async (n) => {
          if (n !== 2 || !child) return;
          child.kill('SIGKILL');
          await new Promise((r) => child!.once('exit', r));
        };
        child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../../cli/tidings.ts'), 'sync', '--source', `csv:${dir}`, '--out', join(dir, 'out'), '--no-backup'], { env: live(server), stdio: 'ignore' });
        child.once('exit', (code) => resolve(code));
      });
      expect(await exited).toBeNull();
      expect(server.deliveries.size).toBe(2);
      server.onAccept = undefined;
      Object.assign(process.env, live(server));
      const out = await sync(dir);
      expect(signupLine(out)).toMatch(/confirmation emails: 2 sent \(2 of them resumed/);
      expect([...server.deliveries.values()]).toEqual([1, 1]);
      const ledger = (await readTab(dir, 'email_events')).filter((e) => e.mailing_id.startsWith('signup:'));
      expect(ledger.every((e) => !e.message_id.startsWith('pending:'))).toBe(true);
      expect(ledger).toHaveLength(2);
    } finally {
      await server.close();
    }
  }, 120_000);
});
