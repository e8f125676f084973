import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { syncEmails } from '../../emails/inbound.ts';
import { preferencesToken, tokenVerifier, unsubscribeToken } from '../../emails/unsubscribe.ts';
import { CsvFolderSource } from '../../sync/sources/csv.ts';
import { loadDataset } from '../../sync/load.ts';
import { tidings } from '../support/cli.ts';
import { SETTINGS, writeCsvFolder } from '../support/csv-folder.ts';
import type { Cell } from '../support/fake-sheets-server.ts';
import { tempDir, withFakeSheets } from '../support/sheets.ts';

const SECRET = 'prefs-secret';
afterEach(() => vi.unstubAllEnvs());

const readCsv = async (dir: string, tab: string) => parse(await readFile(join(dir, `${tab}.csv`), 'utf8'), { bom: true, columns: true }) as Record<string, string>[];
const pick = (rows: Record<string, string>[], columns: string[]) => Object.fromEntries(rows.map((r) => [r.contact_id, columns.map((c) => r[c] ?? '').join('|')]));

describe('preference tokens', () => {
  const contacts = [{ contact_id: 'C1' }, { contact_id: 'C2' }];
  const verify = tokenVerifier(SECRET, contacts, 'preferences');

  it('a preferences token verifies for its contact; forged, other-purpose and unknown-contact tokens do not', () => {
    expect(verify(preferencesToken(SECRET, 'C2'))).toEqual({ ok: true, contact_id: 'C2' });
    expect(verify(preferencesToken('forger', 'C1'))).toEqual({ ok: false, reason: 'forged' });
    // The unsubscribe link's token names the same contact, but for another purpose.
    expect(verify(unsubscribeToken(SECRET, 'C1'))).toEqual({ ok: false, reason: 'forged' });
    expect(tokenVerifier(SECRET, contacts, 'unsubscribe')(preferencesToken(SECRET, 'C1'))).toEqual({ ok: false, reason: 'forged' });
    expect(verify(preferencesToken(SECRET, 'C9'))).toEqual({ ok: false, reason: 'unknown contact' });
    expect(verify('not a token')).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('sync applies the preferences tab (real CLI, CSV folder)', () => {
  it('latest row wins, email off is an opt-out, email on only with earlier consent, junk is counted, and a second sync changes nothing', async () => {
    const dir = await writeCsvFolder(
      {
        contacts: [
          { contact_id: 'C1', email: 'a@example.org', email_opt_in: 'yes', consent_at: '2026-10-01 10:00' },
          { contact_id: 'C2', email: 'b@example.org', email_opt_in: 'yes', topics: 'newsletter', email_frequency: 'monthly' },
          { contact_id: 'C3', email: 'c@example.org', email_opt_in: 'no' },
          { contact_id: 'C4', email: 'd@example.org', email_opt_in: 'no', consent_at: '2026-10-01 10:00' },
          { contact_id: 'C5', email: 'e@example.org', email_opt_in: 'no', consent_at: '2026-10-01 10:00' },
          { contact_id: 'C6', email: 'f@example.org', email_opt_in: 'yes', sms_opt_in: 'yes', phone: '0912345678' },
        ],
        preferences: [
          // C1: the later row (by timestamp, though higher in the tab) wins.
          { timestamp: '2026-11-20 10:00', token: preferencesToken(SECRET, 'C1'), channels: 'email', topics: 'events', frequency: 'quarterly' },
          { timestamp: '2026-11-19 10:00', token: preferencesToken(SECRET, 'C1'), channels: 'email, sms', topics: 'newsletter, events', frequency: 'monthly' },
          { timestamp: '2026-11-20 11:00', token: preferencesToken(SECRET, 'C2'), channels: '', topics: 'newsletter', frequency: 'monthly' },
          // C3 never consented: asking for email through a (forwarded) link does not opt them in.
          { timestamp: '2026-11-20 12:00', token: preferencesToken(SECRET, 'C3'), channels: 'email', topics: 'appeals', frequency: 'every' },
          // C4 consented once but unsubscribed through the unsubscribe form: never back on.
          { timestamp: '2026-11-20 12:00', token: preferencesToken(SECRET, 'C4'), channels: 'email', topics: 'newsletter', frequency: 'every' },
          // C5 consented once: email on again is allowed.
          { timestamp: '2026-11-20 12:00', token: preferencesToken(SECRET, 'C5'), channels: 'email', topics: 'newsletter,appeals', frequency: 'monthly' },
          { timestamp: '2026-11-20 12:00', token: preferencesToken(SECRET, 'C6'), channels: 'email', topics: 'newsletter', frequency: 'every' },
          { timestamp: '2026-11-21 09:00', token: preferencesToken('forger', 'C6'), channels: '', topics: '', frequency: 'every' },
          { timestamp: '2026-11-21 09:00', token: unsubscribeToken(SECRET, 'C6'), channels: '', topics: '', frequency: 'every' },
          { timestamp: '2026-11-21 09:00', token: preferencesToken(SECRET, 'C6'), channels: 'fax', topics: '', frequency: 'every' },
        ],
        unsubscribes: [{ timestamp: '2026-11-21 08:00', token: unsubscribeToken(SECRET, 'C4') }],
      },
      SETTINGS,
    );
    const out = await tempDir('prefs-out');
    vi.stubEnv('TIDINGS_UNSUBSCRIBE_SECRET', SECRET);
    const first = await tidings('sync', '--source', `csv:${dir}`, '--out', out, '--as-of', '2026-11-22', '--no-backup');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("preferences: 6 contacts' choices read, 6 changed now (1 turned email off); 5 rows not applied (see problems)");

    // Blank frequency already means every mailing: it is left blank, not written.
    const columns = ['email_opt_in', 'sms_opt_in', 'topics', 'email_frequency'];
    expect(pick(await readCsv(dir, 'contacts'), columns)).toEqual({
      C1: 'yes||events|quarterly',
      C2: 'no||newsletter|monthly',
      C3: 'no||appeals|',
      C4: 'no||newsletter|',
      C5: 'yes||newsletter, appeals|monthly',
      C6: 'yes|no|newsletter|',
    });
    const problems = (await readCsv(join(out, 'private'), 'problems')).filter((p) => p.tab === 'preferences');
    expect(problems.map((p) => p.row)).toEqual(['9', '10', '11', '5', '6']);
    expect(problems[0].message).toMatch(/token is forged/);
    expect(problems[1].message).toMatch(/token is forged/);
    expect(problems[2].message).toMatch(/channels "fax"/);
    expect(problems[3].message).toMatch(/never consented/);
    expect(problems[4].message).toMatch(/unsubscribe form/);

    const before = await readFile(join(dir, 'contacts.csv'), 'utf8');
    const again = await tidings('sync', '--source', `csv:${dir}`, '--out', out, '--as-of', '2026-11-22', '--no-backup');
    expect(again.stdout).toContain("preferences: 6 contacts' choices read, 0 changed now (0 turned email off)");
    expect(await readFile(join(dir, 'contacts.csv'), 'utf8')).toBe(before);
  });

  it('junk posted to the public form: the first 20 rows are listed, the rest counted, none applied', async () => {
    const junk = Array.from({ length: 30 }, (_, i) => ({ timestamp: '2026-11-20 10:00', token: i % 3 ? `junk-${i}` : preferencesToken('forger', 'C1'), channels: '', topics: '', frequency: 'every' }));
    const dir = await writeCsvFolder({ contacts: [{ contact_id: 'C1', email: 'a@example.org', email_opt_in: 'yes' }], preferences: junk }, SETTINGS);
    const lines: string[] = [];
    const { problems } = await syncEmails(await loadDataset(new CsvFolderSource(dir), '2026-11-22'), (l) => lines.push(l), { TIDINGS_UNSUBSCRIBE_SECRET: SECRET } as NodeJS.ProcessEnv);
    expect(problems).toHaveLength(21);
    expect(problems.slice(0, 20).every((p) => p.tab === 'preferences' && p.row !== undefined)).toBe(true);
    expect(problems[20].message).toMatch(/^30 preferences rows not applied \(20 malformed, 10 forged\); the first 20 are listed/);
    expect(lines).toContain("preferences: 0 contacts' choices read, 0 changed now (0 turned email off); 30 rows not applied (see problems)");
    expect((await readCsv(dir, 'contacts'))[0].email_opt_in).toBe('yes');
  });

  it('without the secret nothing is applied', async () => {
    const dir = await writeCsvFolder(
      {
        contacts: [{ contact_id: 'C1', email: 'a@example.org', email_opt_in: 'yes' }],
        preferences: [{ timestamp: '2026-11-20 10:00', token: preferencesToken(SECRET, 'C1'), channels: '', topics: '', frequency: 'every' }],
      },
      SETTINGS,
    );
    vi.stubEnv('TIDINGS_UNSUBSCRIBE_SECRET', '');
    const run = await tidings('sync', '--source', `csv:${dir}`, '--out', await tempDir('prefs-out'), '--no-backup');
    expect(run.stdout).toContain('preferences: TIDINGS_UNSUBSCRIBE_SECRET is not set');
    expect((await readCsv(dir, 'contacts'))[0].email_opt_in).toBe('yes');
  });
});

describe('sync applies the preferences tab (real CLI, Google Sheets)', () => {
  const sheets = withFakeSheets();

  it('staff insert a contact at the top while sync writes: the choices land on the right contacts', async () => {
    const header = ['contact_id', 'first_name', 'email', 'email_opt_in', 'topics', 'email_frequency'];
    const sheet = 'prefs-sheet';
    sheets.fake.addSpreadsheet(sheet, {
      settings: [['key', 'value'], ...Object.entries(SETTINGS)],
      contacts: [header, ['C1', 'Ming', 'a@example.org', 'yes'], ['C2', 'Amy', 'b@example.org', 'yes', 'newsletter', 'every']],
      donations: [['donation_id', 'contact_id', 'date', 'amount']],
      preferences: [
        ['timestamp', 'token', 'channels', 'topics', 'frequency'],
        ['2026-11-20 10:00', preferencesToken(SECRET, 'C1'), 'email', 'newsletter, volunteering', 'quarterly'],
        ['2026-11-20 10:05', preferencesToken(SECRET, 'C2'), '', 'newsletter', 'every'],
      ],
    });
    const isValuesWrite = (method: string, path: string) => method === 'POST' && path.endsWith('/values:batchUpdate');
    sheets.fake.beforeHandling(isValuesWrite, () => sheets.fake.editRows(sheet, 'contacts', (rows) => [['C0', 'New', 'new@example.org', 'yes'], ...rows]));
    vi.stubEnv('GOOGLE_SERVICE_ACCOUNT_JSON', sheets.env.GOOGLE_SERVICE_ACCOUNT_JSON);
    vi.stubEnv('TIDINGS_SHEETS_ROOT_URL', sheets.env.TIDINGS_SHEETS_ROOT_URL);
    vi.stubEnv('TIDINGS_UNSUBSCRIBE_SECRET', SECRET);

    const run = await tidings('sync', '--source', `sheets:${sheet}`, '--out', await tempDir('prefs-out'), '--no-backup', '--as-of', '2026-11-22');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("preferences: 2 contacts' choices read, 2 changed now (1 turned email off)");

    const [head, ...rows] = sheets.fake.values(sheet, 'contacts');
    const byId = Object.fromEntries(rows.map((r) => [String(r[0]), Object.fromEntries(head.map((h, i) => [String(h), r[i] ?? ''])) as Record<string, Cell>]));
    expect(byId.C0).toMatchObject({ email_opt_in: 'yes', topics: '', email_frequency: '' });
    expect(byId.C1).toMatchObject({ email_opt_in: 'yes', topics: 'newsletter, volunteering', email_frequency: 'quarterly' });
    // The yes/no column is a checkbox in a sheet: "no" lands as an unticked box.
    expect(byId.C2).toMatchObject({ email_opt_in: false, topics: 'newsletter', email_frequency: 'every' });
  });
});
