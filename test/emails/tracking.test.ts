import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { Resend } from 'resend';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { audienceOf } from '../../emails/audience.ts';
import { sendLive } from '../../emails/send/live.ts';
import { BatchSender, Pacer } from '../../emails/send/provider.ts';
import { syncEmails } from '../../emails/inbound.ts';
import { CsvFolderSource } from '../../sync/sources/csv.ts';
import { loadDataset } from '../../sync/load.ts';
import { SETTINGS, writeCsvFolder } from '../support/csv-folder.ts';
import { FakeResend } from '../support/fake-resend-server.ts';

const SECRET = 'track-secret';
const none = () => [];
const rows = async (dir: string) => parse(await readFile(join(dir, 'email_events.csv'), 'utf8'), { bom: true, columns: true }) as Record<string, string>[];

describe('tracking', () => {
  let server: FakeResend;
  beforeEach(async () => {
    server = await new FakeResend({ limit: 3, windowMs: 1000 }).start();
  });
  afterEach(() => server.close());

  it('pulls last_event, keeps the first open/click time, and bounces and complaints suppress', async () => {
    const contacts = Array.from({ length: 5 }, (_, i) => ({ contact_id: `C${i + 1}`, email: `c${i + 1}@example.org`, email_opt_in: 'yes' }));
    const dir = await writeCsvFolder({ contacts, mailings: [{ mailing_id: 'M1', name: 'n', subject: 's', segment: 'all', status: 'scheduled' }] }, SETTINGS);
    const source = new CsvFolderSource(dir);
    const synced = await loadDataset(source, '2026-11-15');
    const pacer = new Pacer({ maxRetries: 3, baseDelayMs: 5, maxDelayMs: 20, maxRateLimitWaits: 20 });
    await sendLive(synced.dataset, synced.asOf, synced.dataset.mailings[0], {
      evaluateSegment: none, secret: SECRET, source, sender: new BatchSender(new Resend('re_test', { baseUrl: server.url }), pacer), batchSize: 2, progress: () => ({ advance: () => {} }),
    });
    const idOf = new Map((await rows(dir)).map((r) => [r.contact_id, r.message_id]));
    server.setEvent(idOf.get('C1')!, 'opened');
    server.setEvent(idOf.get('C2')!, 'clicked');
    server.setEvent(idOf.get('C3')!, 'bounced');
    server.setEvent(idOf.get('C4')!, 'complained');
    server.setEvent(idOf.get('C5')!, 'delivered');

    const env = { RESEND_API_KEY: 're_test', RESEND_BASE_URL: server.url } as NodeJS.ProcessEnv;
    const first = new Date();
    const log: string[] = [];
    await syncEmails(await loadDataset(source, '2026-11-15'), (l) => log.push(l), env, first);
    expect(log).toContain('tracking: 5 messages of the last 1 day checked (Resend keeps email data that long on the free plan), 5 updated');
    let byContact = new Map((await rows(dir)).map((r) => [r.contact_id, r]));
    expect(byContact.get('C1')).toMatchObject({ last_event: 'opened', opened_at: first.toISOString(), clicked_at: '' });
    expect(byContact.get('C2')).toMatchObject({ last_event: 'clicked', opened_at: first.toISOString(), clicked_at: first.toISOString() });
    expect(byContact.get('C5')).toMatchObject({ last_event: 'delivered', opened_at: '' });

    // Later: C1 clicks. opened_at stays the first time seen; clicked_at is new.
    server.setEvent(idOf.get('C1')!, 'clicked');
    const second = new Date(first.getTime() + 3600_000);
    await syncEmails(await loadDataset(source, '2026-11-15'), () => {}, env, second);
    byContact = new Map((await rows(dir)).map((r) => [r.contact_id, r]));
    expect(byContact.get('C1')).toMatchObject({ last_event: 'clicked', opened_at: first.toISOString(), clicked_at: second.toISOString(), updated_at: second.toISOString() });
    expect(byContact.get('C2')!.clicked_at).toBe(first.toISOString());

    // Polling only moves last_event forward: a complaint (here from the first poll; usually from a
    // webhook) is never turned back into an open by Resend's latest-event view, or C4 would be mailed again.
    server.setEvent(idOf.get('C4')!, 'opened');
    await syncEmails(await loadDataset(source, '2026-11-15'), () => {}, env, new Date(second.getTime() + 60_000));
    expect(new Map((await rows(dir)).map((r) => [r.contact_id, r])).get('C4')).toMatchObject({ last_event: 'complained' });

    // Past Resend's retention (1 day on the free plan) messages are not asked about (they would 404): the log says how many.
    const past: string[] = [];
    await syncEmails(await loadDataset(source, '2026-11-15'), (l) => past.push(l), env, new Date(first.getTime() + 2 * 86_400_000));
    expect(past).toEqual([
      'tracking: 0 messages of the last 1 day checked (Resend keeps email data that long on the free plan), 0 updated',
      "tracking: 5 messages of the last 60 days are past Resend's retention and can only be tracked by the webhook receiver (see README Tracking)",
    ]);
    // Messages older than 60 days are not counted at all.
    const old: string[] = [];
    await syncEmails(await loadDataset(source, '2026-11-15'), (l) => old.push(l), env, new Date(first.getTime() + 61 * 86_400_000));
    expect(old).toEqual(['tracking: 0 messages of the last 1 day checked (Resend keeps email data that long on the free plan), 0 updated']);

    // A new mailing to everyone leaves out the bounced and the complained.
    const { dataset } = await loadDataset(source, '2026-11-15');
    const audience = audienceOf(dataset, '2026-11-15', { ...dataset.mailings[0], mailing_id: 'M2' }, { evaluateSegment: none, secret: SECRET });
    expect(audience.recipients.map((c) => c.contact_id)).toEqual(['C1', 'C2', 'C5']);
    expect(audience.excluded).toMatchObject({ hard_bounced: 1, complained: 1 });
  });
});
