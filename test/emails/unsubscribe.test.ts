import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { audienceOf } from '../../emails/audience.ts';
import { syncEmails } from '../../emails/inbound.ts';
import { recipientRef, tokenVerifier, unsubscribeToken } from '../../emails/unsubscribe.ts';
import { CsvFolderSource } from '../../sync/sources/csv.ts';
import { loadDataset } from '../../sync/load.ts';
import { SETTINGS, writeCsvFolder } from '../support/csv-folder.ts';

const SECRET = 'unsub-secret';
const env = { TIDINGS_UNSUBSCRIBE_SECRET: SECRET } as NodeJS.ProcessEnv;
const none = () => [];

describe('unsubscribe tokens', () => {
  const contacts = [{ contact_id: 'C1' }, { contact_id: 'C2' }];
  const verify = tokenVerifier(SECRET, contacts);

  it('a valid token names its contact, and does not expose the id', () => {
    const token = unsubscribeToken(SECRET, 'C2');
    expect(verify(token)).toEqual({ ok: true, contact_id: 'C2' });
    expect(token).not.toContain('C2');
    expect(token.split('.')[0]).toBe(recipientRef(SECRET, 'C2'));
  });

  it('forged, tampered and malformed tokens are refused', () => {
    expect(verify(unsubscribeToken('another-secret', 'C1'))).toEqual({ ok: false, reason: 'forged' });
    const [ref, sig] = unsubscribeToken(SECRET, 'C1').split('.');
    expect(verify(`${recipientRef(SECRET, 'C2')}.${sig}`)).toEqual({ ok: false, reason: 'forged' });
    expect(verify(`${ref}.${sig.slice(0, -1)}A`).ok).toBe(false);
    expect(verify('C1')).toEqual({ ok: false, reason: 'malformed' });
    expect(tokenVerifier(SECRET, [{ contact_id: 'C1' }])(unsubscribeToken(SECRET, 'C9'))).toEqual({ ok: false, reason: 'unknown contact' });
  });
});

describe('sync applies unsubscribes', () => {
  it('opts out verified tokens once (a replay changes nothing), reports invalid ones, and sends suppress them', async () => {
    const dir = await writeCsvFolder(
      {
        contacts: [
          { contact_id: 'C1', email: 'a@example.org', email_opt_in: 'yes' },
          { contact_id: 'C2', email: 'b@example.org', email_opt_in: 'yes' },
          { contact_id: 'C3', email: 'c@example.org', email_opt_in: 'yes' },
        ],
        unsubscribes: [
          { timestamp: '2026-11-16 09:00', token: unsubscribeToken(SECRET, 'C1') },
          { timestamp: '2026-11-16 09:05', token: unsubscribeToken(SECRET, 'C1') },
          { timestamp: '2026-11-16 09:10', token: unsubscribeToken('forger', 'C2') },
          { timestamp: '2026-11-16 09:11', token: 'C3' },
        ],
        mailings: [{ mailing_id: 'M1', name: 'n', subject: 's', segment: 'all' }],
      },
      SETTINGS,
    );
    const source = new CsvFolderSource(dir);
    const lines: string[] = [];
    const { problems } = await syncEmails(await loadDataset(source, '2026-11-16'), (l) => lines.push(l), env);
    expect(lines).toContain('unsubscribes: 1 contacts opted out now; 2 invalid tokens (see problems)');
    expect(problems.map((p) => [p.tab, p.row, p.column])).toEqual([['unsubscribes', 4, 'token'], ['unsubscribes', 5, 'token']]);
    expect(problems[0].message).toMatch(/forged/);
    const contacts = parse(await readFile(join(dir, 'contacts.csv'), 'utf8'), { bom: true, columns: true }) as Record<string, string>[];
    expect(contacts.map((c) => c.email_opt_in)).toEqual(['no', 'yes', 'yes']);

    // Replayed: the same rows again write nothing.
    const before = await readFile(join(dir, 'contacts.csv'), 'utf8');
    const again: string[] = [];
    await syncEmails(await loadDataset(source, '2026-11-16'), (l) => again.push(l), env);
    expect(again[0]).toMatch(/^unsubscribes: 0 contacts opted out now/);
    expect(await readFile(join(dir, 'contacts.csv'), 'utf8')).toBe(before);

    // Sends leave C1 out; the forged token for C2 is not applied.
    const { dataset } = await loadDataset(source, '2026-11-16');
    const audience = audienceOf(dataset, '2026-11-16', dataset.mailings[0], { evaluateSegment: none, secret: SECRET });
    expect(audience.recipients.map((c) => c.contact_id)).toEqual(['C2', 'C3']);
  });

  it('returns the dataset with the opt-outs applied and leaves the one it was given as it was', async () => {
    const dir = await writeCsvFolder({
      contacts: [{ contact_id: 'C1', email: 'a@example.org', email_opt_in: 'yes' }, { contact_id: 'C2', email: 'b@example.org', email_opt_in: 'yes' }],
      unsubscribes: [{ token: unsubscribeToken(SECRET, 'C1') }],
      mailings: [{ mailing_id: 'M1', name: 'n', subject: 's', segment: 'all' }],
    }, SETTINGS);
    const synced = await loadDataset(new CsvFolderSource(dir), '2026-11-16');
    const given = structuredClone(synced.dataset.contacts);
    const { dataset } = await syncEmails(synced, () => {}, env);
    expect(synced.dataset.contacts).toEqual(given);
    expect(dataset.contacts.map((c) => [c.contact_id, c.email_opt_in])).toEqual([['C1', false], ['C2', true]]);
    // The second contact is the same row, not a copy: only what changed is new.
    expect(dataset.contacts[1]).toBe(synced.dataset.contacts[1]);
    // The returned dataset is what a send in the same run uses.
    const audience = audienceOf(dataset, '2026-11-16', dataset.mailings[0], { evaluateSegment: none, secret: SECRET });
    expect(audience.recipients.map((c) => c.contact_id)).toEqual(['C2']);
  });

  it('without the secret nothing is applied', async () => {
    const dir = await writeCsvFolder({ contacts: [{ contact_id: 'C1', email: 'a@example.org', email_opt_in: 'yes' }], unsubscribes: [{ token: unsubscribeToken(SECRET, 'C1') }] }, SETTINGS);
    const lines: string[] = [];
    await syncEmails(await loadDataset(new CsvFolderSource(dir), '2026-11-16'), (l) => lines.push(l), {});
    expect(lines[0]).toMatch(/cannot be verified/);
    expect(await readFile(join(dir, 'contacts.csv'), 'utf8')).toContain('a@example.org,yes');
  });
});

describe('signing up again after unsubscribing', () => {
  it('a confirmed sign-up (consent_at) after an unsubscribe brings the person back; an unsubscribe after it, or undated, still counts', async () => {
    const token = (id: string) => unsubscribeToken(SECRET, id);
    const dir = await writeCsvFolder(
      {
        contacts: [
          // Left in October, signed up again and confirmed in November.
          { contact_id: 'C1', email: 'back@example.org', email_opt_in: 'yes', consent_at: '2026-11-05 10:00' },
          // Confirmed in September, left in October.
          { contact_id: 'C2', email: 'gone@example.org', email_opt_in: 'yes', consent_at: '2026-09-05 10:00' },
          // An undated unsubscribe (typed by staff) is never outdated.
          { contact_id: 'C3', email: 'undated@example.org', email_opt_in: 'yes', consent_at: '2026-11-05 10:00' },
          // Written by address, before the confirmed sign-up.
          { contact_id: 'C4', email: 'Written@Example.org', email_opt_in: 'yes', consent_at: '2026-11-05 10:00' },
          // Written by address, after it.
          { contact_id: 'C5', email: 'later@example.org', email_opt_in: 'yes', consent_at: '2026-11-05 10:00' },
        ],
        unsubscribes: [
          { timestamp: '2026-10-01 09:00', token: token('C1') },
          { timestamp: '2026-10-01 09:00', token: token('C2') },
          { timestamp: '', token: token('C3') },
          { timestamp: '2026-10-01 09:00', email: 'written@example.org' },
          { timestamp: '2026-11-20 09:00', email: 'later@example.org' },
        ],
        mailings: [{ mailing_id: 'M1', name: 'Nov', subject: 'News', segment: 'all', status: 'scheduled' }],
      },
      SETTINGS,
    );
    const synced = await loadDataset(new CsvFolderSource(dir), '2026-11-22');
    const { dataset } = await syncEmails(synced, none, env);
    // Sync does not opt the returning person out again.
    expect(dataset.contacts.find((c) => c.contact_id === 'C1')!.email_opt_in).toBe(true);
    expect(dataset.contacts.find((c) => c.contact_id === 'C2')!.email_opt_in).toBe(false);
    const audience = audienceOf(dataset, '2026-11-22', dataset.mailings[0], { evaluateSegment: () => { throw new Error('no segment'); }, secret: SECRET });
    expect(audience.recipients.map((c) => c.contact_id).sort()).toEqual(['C1', 'C4']);
    // C2 and C3 were opted out by this sync (email_opt_in no); C5's address was written after consenting.
    expect(audience.excluded.no_email_opt_in).toBe(2);
    expect(audience.excluded.unsubscribed).toBe(1);
  });
});
