import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { Resend } from 'resend';
import { describe, expect, it } from 'vitest';
import { sendLive } from '../../emails/send/live.ts';
import { BatchSender, Pacer } from '../../emails/send/provider.ts';
import { CsvFolderSource } from '../../sync/sources/csv.ts';
import { loadDataset } from '../../sync/load.ts';
import { tidings } from '../support/cli.ts';
import { SETTINGS, writeCsvFolder } from '../support/csv-folder.ts';
import { FakeResend } from '../support/fake-resend-server.ts';

const SECRET = 'audience-prefs-secret';
const quiet = () => ({ advance: () => {} });
const noSegments = () => {
  throw new Error('only all is used here');
};
const contact = (id: string, extra: Record<string, string> = {}) => ({ contact_id: id, first_name: id, email: `${id.toLowerCase()}@example.org`, email_opt_in: 'yes', ...extra });

describe('a year of sends: audiences honour topics and frequency', () => {
  it('every reader gets all, monthly the first of each month, quarterly only in Mar/Jun/Sep/Dec (org time zone), appeals-only no newsletter', async () => {
    // Each month: a newsletter at 00:30 on the 1st in Taipei (still the previous month in UTC), one on the
    // 20th, and an appeal on the 12th.
    const sends: { id: string; topic: string; at: string }[] = [];
    for (let m = 1; m <= 12; m++) {
      const month = String(m).padStart(2, '0');
      sends.push({ id: `N${month}a`, topic: '', at: `2027-${month}-01T00:30:00+08:00` });
      sends.push({ id: `A${month}`, topic: 'appeals', at: `2027-${month}-12T10:00:00+08:00` });
      sends.push({ id: `N${month}b`, topic: 'newsletter', at: `2027-${month}-20T10:00:00+08:00` });
    }
    const dir = await writeCsvFolder(
      {
        contacts: [
          contact('EVERY'),
          contact('MONTHLY', { email_frequency: 'monthly' }),
          contact('QUARTER', { email_frequency: 'quarterly', topics: 'newsletter, appeals' }),
          contact('APPEALS', { topics: 'appeals' }),
        ],
        mailings: sends.map((s) => ({ mailing_id: s.id, name: s.id, subject: s.id, segment: 'all', topic: s.topic, status: 'scheduled', scheduled_for: s.at.replace('T', ' ').slice(0, 16) })),
      },
      { ...SETTINGS, timezone: 'Asia/Taipei' },
    );
    const server = await new FakeResend({ limit: 1000, windowMs: 1000, plan: 'pro' }).start();
    try {
      const source = new CsvFolderSource(dir);
      for (const send of sends) {
        const now = new Date(send.at);
        // Days pass: each send reads the sheet as it is then, with the ledger of every earlier send.
        const synced = await loadDataset(source, send.at.slice(0, 10));
        const mailing = synced.dataset.mailings.find((m) => m.mailing_id === send.id)!;
        const sender = new BatchSender(new Resend('re_test', { baseUrl: server.url }), new Pacer());
        await sendLive(synced.dataset, synced.asOf, mailing, { evaluateSegment: noSegments, secret: SECRET, source, sender, now: () => now, progress: quiet });
      }
    } finally {
      await server.close();
    }
    const ledger = parse(await readFile(join(dir, 'email_events.csv'), 'utf8'), { bom: true, columns: true }) as Record<string, string>[];
    const got = (id: string) => ledger.filter((r) => r.contact_id === id).map((r) => r.mailing_id).sort();
    const all = (prefix: string, months: number[], suffix = '') => months.map((m) => `${prefix}${String(m).padStart(2, '0')}${suffix}`);
    const year = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    expect(got('EVERY')).toEqual(sends.map((s) => s.id).sort());
    // The 1st's newsletter, sent on the last day of the previous month in UTC, counts for its own month.
    expect(got('MONTHLY')).toEqual([...all('A', year), ...all('N', year, 'a')].sort());
    expect(got('QUARTER')).toEqual([...all('A', [3, 6, 9, 12]), ...all('N', [3, 6, 9, 12], 'a')].sort());
    expect(got('APPEALS')).toEqual(all('A', year));
  }, 120_000);
});

describe('send prints who was left out by their own choices', () => {
  it('the dry run counts topic off, monthly digest and quarterly digest; an unknown topic is a problem and is not sent', async () => {
    const dir = await writeCsvFolder(
      {
        contacts: [
          contact('C1'),
          contact('C2', { topics: 'events' }),
          contact('C3', { topics: 'appeals, volunteering' }),
          contact('C4', { email_frequency: 'monthly' }),
          contact('C5', { email_frequency: 'quarterly' }),
          // Not mailable anyway: counted as no opt-in, not as a preference.
          contact('C6', { email_opt_in: 'no', topics: 'events' }),
        ],
        mailings: [
          { mailing_id: 'OCT', name: 'Oct', subject: 'October', segment: 'all', status: 'sent', sent_at: '2026-11-02 10:00' },
          { mailing_id: 'NOV', name: 'Nov', subject: 'November', segment: 'all', topic: 'Newsletter' },
          { mailing_id: 'ODD', name: 'Odd', subject: 'Odd', segment: 'all', topic: 'gala' },
        ],
        email_events: [{ message_id: 'm1', mailing_id: 'OCT', contact_id: 'C4', email: 'c4@example.org', sent_at: '2026-11-02 10:00', last_event: 'delivered' }],
      },
      SETTINGS,
    );
    const out = join(dir, 'out');
    const sent = await tidings('send', 'NOV', '--source', `csv:${dir}`, '--as-of', '2026-11-22', '--out', out);
    expect(sent.code).toBe(0);
    expect(sent.stdout).toContain(
      ['NOV: 1 recipients (segment: 6)', '  left out, no email opt in: 1', '  left out, topic off: 2', '  left out, monthly digest: 1', '  left out, quarterly digest: 1'].join('\n'),
    );

    const odd = await tidings('send', 'ODD', '--source', `csv:${dir}`, '--as-of', '2026-11-22', '--out', out);
    expect(odd.code).not.toBe(0);
    expect(odd.stderr).toMatch(/mailings row 4, column topic: "gala" is not one of the topics in settings \(newsletter, appeals, events, volunteering\)/);

    const sync = await tidings('sync', '--source', `csv:${dir}`, '--as-of', '2026-11-22', '--out', out, '--no-backup');
    expect(sync.stdout).toMatch(/warning: mailings, row 4, column \w+ \(topic\) \[gala\]: "gala" is not one of the topics/);
    // The sent October mailing has a blank topic (newsletter) and no problem.
    expect(sync.stdout).not.toMatch(/mailings, row 2/);
  });
});
