import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { Resend } from 'resend';
import { afterEach, describe, expect, it } from 'vitest';
import { audienceOf } from '../../emails/audience.ts';
import { sendReceipts } from '../../emails/receipts/send.ts';
import { idempotencyKey, sendLogState, makePlan } from '../../emails/send/send-log.ts';
import { formatLiveSummary, sendLive } from '../../emails/send/live.ts';
import type { OutgoingMessage } from '../../emails/send/message.ts';
import { BatchSender, Pacer } from '../../emails/send/provider.ts';
import { syncEmails } from '../../emails/inbound.ts';
import type { EmailEvent } from '../../sync/dataset.ts';
import { CsvFolderSource } from '../../sync/sources/csv.ts';
import { loadDataset } from '../../sync/load.ts';
import { SETTINGS, writeCsvFolder } from '../support/csv-folder.ts';
import { FakeResend } from '../support/fake-resend-server.ts';

/**
 * Tidings against a Resend that behaves as documented (the strict fake): a sending-only key, the
 * free plan's quotas, retention, a mailing named in Chinese, and last_event values Tidings does not know.
 */
const SECRET = 'limits-secret';
const AS_OF = '2026-11-15';
const DAY = 86_400_000;
const FAST = { maxRetries: 4, baseDelayMs: 5, maxDelayMs: 20, maxRateLimitWaits: 50 };
const quiet = () => ({ advance: () => {} });
const noSegments = () => {
  throw new Error('only all is used here');
};
const cli = join(import.meta.dirname, '../../bin/tidings.js');

const servers: FakeResend[] = [];
async function fake(options: ConstructorParameters<typeof FakeResend>[0]) {
  const server = await new FakeResend({ limit: 1000, ...options }).start();
  servers.push(server);
  return server;
}
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function folder(n: number, mailingId = 'M1', extra: Record<string, Record<string, string>[]> = {}) {
  const contacts = Array.from({ length: n }, (_, i) => ({ contact_id: `C${String(i + 1).padStart(4, '0')}`, first_name: `Donor ${i + 1}`, email: `d${i + 1}@example.org`, email_opt_in: 'yes' }));
  return writeCsvFolder(
    {
      contacts,
      mailings: [{ mailing_id: mailingId, name: 'Jun', subject: 'June news', template: 'newsletter', segment: 'all', status: 'scheduled', scheduled_for: '2026-11-15 11:00', public: 'yes' }],
      stories: [{ mailing_id: mailingId, position: '1', title: 'Tutoring', body: 'Hello **all**' }],
      ...extra,
    },
    SETTINGS,
  );
}
const csv = async (dir: string, tab: string) => parse(await readFile(join(dir, `${tab}.csv`), 'utf8'), { bom: true, columns: true }) as Record<string, string>[];
const sender = (server: FakeResend, key = 're_test') => new BatchSender(new Resend(key, { baseUrl: server.url }), new Pacer(FAST));

function run(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.once('exit', (code) => resolve({ code, out }));
  });
}

describe('the free plan: 100 emails a day', () => {
  // With the Usage API Tidings plans only what fits; without it (private beta) it stops at the first quota 429.
  it.each([true, false])('a 250-person mailing goes out over three days, each recipient exactly once (Usage API: %s)', async (usageApi) => {
    const server = await fake({ plan: 'free', strict: true, usageApi });
    const dir = await folder(250);
    const source = new CsvFolderSource(dir);
    const lines: string[] = [];
    for (let day = 0; day < 3; day++) {
      // The Action's daily run: a fresh sync, then the send, a day (and a minute) after the last.
      const offset = day * (DAY + 60_000);
      if (day > 0) server.advance(DAY + 60_000);
      const synced = await loadDataset(source, AS_OF);
      const mailing = synced.dataset.mailings[0];
      const summary = await sendLive(synced.dataset, synced.asOf, mailing, {
        evaluateSegment: noSegments, secret: SECRET, source, sender: sender(server), progress: quiet, now: () => new Date(Date.now() + offset),
      });
      lines.push(formatLiveSummary(summary));
      expect(summary.sentNow).toBe(day < 2 ? 100 : 50);
      expect(summary.left).toBe([150, 50, 0][day]);
      expect(summary.quotaStop?.quota).toBe(day < 2 ? 'daily' : undefined);
      // Nobody left pending: a refused batch is unplanned, so nothing can go stale after 23 hours.
      const rows = await csv(dir, 'email_events');
      expect(rows.filter((r) => r.message_id.startsWith('pending:'))).toEqual([]);
      expect(rows).toHaveLength([100, 200, 250][day]);
      expect((await csv(dir, 'mailings'))[0].status).toBe(day < 2 ? 'sending' : 'sent');
    }
    expect(server.deliveries.size).toBe(250);
    expect([...server.deliveries.values()].every((n) => n === 1)).toBe(true);
    expect(lines[0]).toContain(`stopped at Resend's daily quota: 150 recipients left, none sent twice; the mailing stays "sending" and the next run after`);
    expect(server.batchLog.filter((b) => b.outcome === 'quota')).toHaveLength(usageApi ? 0 : 2);
  });

  it('`send --due --live` at the quota exits 0 and says what is left and when it goes on', async () => {
    const server = await fake({ plan: 'free', strict: true, usageApi: false });
    const dir = await folder(150);
    const env = { RESEND_API_KEY: 're_test', RESEND_BASE_URL: server.url, TIDINGS_UNSUBSCRIBE_SECRET: SECRET };
    const { code, out } = await run(['send', '--due', '--live', '--source', `csv:${dir}`, '--as-of', AS_OF, '--out', join(dir, 'out')], env);
    expect(out).toMatch(/M1: sent 100 now in 1 batches/);
    expect(out).toMatch(/stopped at Resend's daily quota: 50 recipients left, none sent twice; the mailing stays "sending" and the next run after \d{4}-\d\d-\d\dT/);
    expect(code).toBe(0);
    expect(server.deliveries.size).toBe(100);
    expect((await csv(dir, 'email_events')).every((r) => !r.message_id.startsWith('pending:'))).toBe(true);
  }, 60_000);

  it('receipts stop at the quota too, and the next day sends the rest, none twice', async () => {
    const server = await fake({ plan: 'free', strict: true, usageApi: false });
    // 98 of today's 100 are used already (other sends of the team).
    const resend = new Resend('re_test', { baseUrl: server.url });
    const other = Array.from({ length: 98 }, (_, i) => ({ from: 'a@example.org', to: [`x${i}@example.org`], subject: 's', text: 't' }));
    expect((await resend.batch.send(other)).error).toBeNull();
    const dir = await folder(1);
    const source = new CsvFolderSource(dir);
    const message = (i: number): OutgoingMessage => ({ contact_id: `C${i}`, from: 'r@example.org', to: `r${i}@example.org`, subject: 'Receipt', html: '<p>r</p>', text: 'r', headers: {}, tags: [] });
    const messages = [1, 2, 3, 4].map((i) => ({ id: `receipt:2026-0000${i}`, message: message(i) }));

    const first = await sendReceipts((await loadDataset(source, AS_OF)).dataset.email_events, messages, { source, sender: sender(server) });
    expect(first).toMatchObject({ sentNow: 2, left: 2, quotaStop: { quota: 'daily' } });
    expect((await csv(dir, 'email_events')).map((r) => r.mailing_id)).toEqual(['receipt:2026-00001', 'receipt:2026-00002']);

    server.advanceDays(1.01);
    const later = () => new Date(Date.now() + 1.01 * DAY);
    const second = await sendReceipts((await loadDataset(source, AS_OF)).dataset.email_events, messages, { source, sender: sender(server), now: later });
    expect(second).toMatchObject({ sentNow: 2, alreadySent: 2, left: 0 });
    expect(second.quotaStop).toBeUndefined();
    expect([1, 2, 3, 4].map((i) => server.deliveries.get(`r${i}@example.org`))).toEqual([1, 1, 1, 1]);
  });
});

describe('a mailing named in Chinese, or very long', () => {
  const long = `newsletter-${'x'.repeat(289)}`;

  it.each(['2026年6月電子報', long])('%s: idempotency keys are ASCII, at most 256 characters, and the same on every run', async (id) => {
    const recipients = [{ contact_id: 'C1', email: 'a@example.org' }];
    const key = idempotencyKey(id, 1, recipients);
    expect(key).toMatch(/^[\x21-\x7e]{1,256}$/);
    expect(idempotencyKey(id, 1, recipients)).toBe(key);
    expect(idempotencyKey(id, 2, recipients)).not.toBe(key);
    expect(idempotencyKey(`${id}b`, 1, recipients)).not.toBe(key);
    // A re-run rebuilds the same key from the pending rows the plan wrote.
    const plan = makePlan(id, recipients, 100, '2026-06-01T00:00:00.000Z');
    const events = plan[0].recipients.map((r) => ({ message_id: r.pendingId, mailing_id: id, contact_id: r.contact_id, email: r.email, updated_at: plan[0].plannedAt, row: 2 }) as EmailEvent);
    expect(sendLogState(events, id).pending[0].key).toBe(plan[0].key);
  });

  it('2026年6月電子報 goes out through Resend, and a lost answer is replayed under the same key, nobody twice', async () => {
    const server = await fake({ plan: 'pro', strict: true });
    server.faults.set(1, 'drop-after-accept');
    const dir = await folder(150, '2026年6月電子報');
    const source = new CsvFolderSource(dir);
    const synced = await loadDataset(source, AS_OF);
    const summary = await sendLive(synced.dataset, synced.asOf, synced.dataset.mailings[0], { evaluateSegment: noSegments, secret: SECRET, source, sender: sender(server), progress: quiet });
    expect(summary.sentNow).toBe(150);
    expect(server.batchLog.map((b) => b.outcome)).toEqual(['drop-after-accept', 'replayed', 'accepted']);
    expect(server.batchLog[0].key).toMatch(/^tidings\/2026%E5%B9%B46%E6%9C%88%E9%9B%BB%E5%AD%90%E5%A0%B1\/1\//);
    expect(server.deliveries.size).toBe(150);
    expect([...server.deliveries.values()].every((n) => n === 1)).toBe(true);
    expect((await csv(dir, 'mailings'))[0].status).toBe('sent');
  });
});

describe('tracking with the keys and plans people have', () => {
  it('a sending-only key sends, and `sync` says once what it cannot see and goes on (exit 0)', async () => {
    const server = await fake({ plan: 'free', strict: true });
    const key = server.sendingKey();
    const dir = await folder(3);
    const source = new CsvFolderSource(dir);
    const synced = await loadDataset(source, AS_OF);
    await sendLive(synced.dataset, synced.asOf, synced.dataset.mailings[0], { evaluateSegment: noSegments, secret: SECRET, source, sender: sender(server, key), progress: quiet });
    expect(server.deliveries.size).toBe(3);

    const { code, out } = await run(['sync', '--source', `csv:${dir}`, '--as-of', AS_OF, '--out', join(dir, 'out')], { RESEND_API_KEY: key, RESEND_BASE_URL: server.url });
    expect(code).toBe(0);
    const tracking = out.split('\n').filter((l) => l.startsWith('tracking:'));
    expect(tracking).toHaveLength(1);
    expect(tracking[0]).toContain('sending access only');
    expect(tracking[0]).toContain('restricted_api_key');
    expect(tracking[0]).toContain('Full access key');
    expect(tracking[0]).toContain('the webhook receiver (see README Tracking)');
    expect(out).not.toContain(key);
  }, 60_000);

  it('a sending-only key is named at the first sync, before anything was sent', async () => {
    const server = await fake({ plan: 'free', strict: true });
    const dir = await folder(2);
    const log: string[] = [];
    await syncEmails(await loadDataset(new CsvFolderSource(dir), AS_OF), (l) => log.push(l), { RESEND_API_KEY: server.sendingKey(), RESEND_BASE_URL: server.url } as NodeJS.ProcessEnv);
    expect(log).toEqual([expect.stringContaining('RESEND_API_KEY has sending access only')]);
  });

  it('any other Resend refusal during tracking is a warning, not a crash', async () => {
    const server = await fake({ plan: 'free', strict: true });
    const dir = await folder(2);
    const source = new CsvFolderSource(dir);
    const synced = await loadDataset(source, AS_OF);
    await sendLive(synced.dataset, synced.asOf, synced.dataset.mailings[0], { evaluateSegment: noSegments, secret: SECRET, source, sender: sender(server), progress: quiet });
    const log: string[] = [];
    // "Bearer nonsense" is not a key at all: Resend answers 401 missing_api_key.
    await syncEmails(await loadDataset(source, AS_OF), (l) => log.push(l), { RESEND_API_KEY: 'nonsense', RESEND_BASE_URL: server.url } as NodeJS.ProcessEnv);
    expect(log).toEqual([expect.stringMatching(/^tracking: warning: not pulled this time \(Resend refused emails.list: 401 missing_api_key/)]);
  });

  it('polls only within the retention window of resend_plan, and never asks for what Resend has dropped', async () => {
    const server = await fake({ plan: 'pro', strict: true });
    const dir = await writeCsvFolder(
      {
        contacts: [{ contact_id: 'C1', email: 'a@example.org', email_opt_in: 'yes' }],
        mailings: [{ mailing_id: 'M1', name: 'n', subject: 's', segment: 'all', status: 'scheduled' }],
      },
      { ...SETTINGS, resend_plan: 'pro' },
    );
    const source = new CsvFolderSource(dir);
    const synced = await loadDataset(source, AS_OF);
    await sendLive(synced.dataset, synced.asOf, synced.dataset.mailings[0], { evaluateSegment: noSegments, secret: SECRET, source, sender: sender(server), progress: quiet });
    const [row] = await csv(dir, 'email_events');
    server.setEvent(row.message_id, 'delivered');
    const env = { RESEND_API_KEY: 're_test', RESEND_BASE_URL: server.url } as NodeJS.ProcessEnv;

    const day2: string[] = [];
    server.advanceDays(2);
    await syncEmails(await loadDataset(source, AS_OF), (l) => day2.push(l), env, new Date(Date.now() + 2 * DAY));
    expect(day2).toEqual(['tracking: 1 messages of the last 3 days checked (Resend keeps email data that long on the pro plan), 1 updated']);

    const day4: string[] = [];
    server.advanceDays(2);
    const before = server.batchLog.length + server.perWindow.size;
    await syncEmails(await loadDataset(source, AS_OF), (l) => day4.push(l), env, new Date(Date.now() + 4 * DAY));
    expect(day4[1]).toBe("tracking: 1 messages of the last 60 days are past Resend's retention and can only be tracked by the webhook receiver (see README Tracking)");
    expect(server.batchLog.length + server.perWindow.size).toBe(before); // not a single request
    expect((await csv(dir, 'email_events'))[0].last_event).toBe('delivered');
  });
});

describe('an address on Resend\'s suppression list', () => {
  it('is accepted and never delivered, as Resend does; tracking records `suppressed`, and later mailings leave it out', async () => {
    const server = await fake({ plan: 'pro', strict: true });
    server.suppressed.add('d2@example.org');
    const dir = await folder(3);
    const source = new CsvFolderSource(dir);
    let synced = await loadDataset(source, AS_OF);
    const summary = await sendLive(synced.dataset, synced.asOf, synced.dataset.mailings[0], { evaluateSegment: noSegments, secret: SECRET, source, sender: sender(server), progress: quiet });
    expect(summary.sentNow).toBe(3);
    expect([...server.deliveries.keys()]).toEqual(['d1@example.org', 'd3@example.org']);
    await syncEmails(await loadDataset(source, AS_OF), () => {}, { RESEND_API_KEY: 're_test', RESEND_BASE_URL: server.url } as NodeJS.ProcessEnv);
    expect((await csv(dir, 'email_events')).find((r) => r.email === 'd2@example.org')?.last_event).toBe('suppressed');
    synced = await loadDataset(source, AS_OF);
    const next = audienceOf(synced.dataset, AS_OF, { ...synced.dataset.mailings[0], mailing_id: 'M2' }, { evaluateSegment: noSegments, secret: SECRET });
    expect(next.recipients.map((c) => c.email)).toEqual(['d1@example.org', 'd3@example.org']);
    expect(next.excluded).toMatchObject({ hard_bounced: 1 });
  });
});

describe('last_event values the ledger must not lose', () => {
  it('suppressed and an event Tidings does not know yet: rows kept with a warning naming the cell, and receipts are not sent again', async () => {
    const server = await fake({ plan: 'free', strict: true });
    const events = [
      { message_id: '0f4e3c3a-1d7b-4a5e-9c41-2b1f0c9d8e71', mailing_id: 'receipt:2026-00001', contact_id: 'C1', email: 'a@example.org', sent_at: '2026-11-01 10:00', last_event: 'suppressed' },
      { message_id: '7a1c2e94-5b3d-4f60-8e2a-9d4c1b7f3a05', mailing_id: 'receipt:2026-00002', contact_id: 'C2', email: 'b@example.org', sent_at: '2026-11-01 10:00', last_event: 'quarantined' },
    ];
    const dir = await folder(2, 'M1', { email_events: events });
    const synced = await loadDataset(new CsvFolderSource(dir), AS_OF);
    expect([...synced.dataset.email_events].map((e) => [e.mailing_id, e.last_event])).toEqual([['receipt:2026-00001', 'suppressed'], ['receipt:2026-00002', undefined]]);
    const warnings = synced.problems.filter((p) => p.tab === 'email_events');
    expect(warnings).toEqual([expect.objectContaining({ severity: 'warning', row: 3, column: 'last_event', value: 'quarantined' })]);
    expect(warnings[0].message).toContain('the row is kept');

    const message = (i: number): OutgoingMessage => ({ contact_id: `C${i}`, from: 'r@example.org', to: `${'ab'[i - 1]}@example.org`, subject: 'Receipt', html: '<p>r</p>', text: 'r', headers: {}, tags: [] });
    const summary = await sendReceipts(synced.dataset.email_events, [1, 2].map((i) => ({ id: `receipt:2026-0000${i}`, message: message(i) })), { source: new CsvFolderSource(dir), sender: sender(server) });
    expect(summary).toMatchObject({ sentNow: 0, alreadySent: 2 });
    expect(server.batchLog).toEqual([]);
  });
});
