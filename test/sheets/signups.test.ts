import { describe, expect, it } from 'vitest';
import { applySignups } from '../../emails/signups/run.ts';
import { dateTimeToSerial } from '../../sync/cells/dates.ts';
import { loadDataset } from '../../sync/load.ts';
import type { Cell } from '../support/fake-sheets-server.ts';
import { tempDir, withFakeSheets } from '../support/sheets.ts';

const sheets = withFakeSheets();
const SECRET = 'signup-sheets-secret';

describe('sign-ups on Google Sheets (the fake API), staff editing while sync writes', () => {
  it('staff sort the form responses and add a row between the read and the write: each status lands on its own row, found by its answers', async () => {
    const { id, source } = await sheets.sampleSheet();
    const [header] = sheets.fake.values(id, 'signups');
    const now = new Date();
    // Google Forms writes the timestamp as a date-time (a serial number when read unformatted).
    const serial = dateTimeToSerial(new Date(now.getTime() - 3600_000).toISOString(), 'Asia/Taipei');
    const row = (answers: Record<string, Cell>) => header.map((h) => answers[String(h)] ?? '');
    const answers: Record<string, Cell>[] = [
      { timestamp: serial, email: 'mei@example.org', channels: 'email', language: 'zh-TW', consent_version: '1', source: '/join/' },
      { timestamp: serial, email: 'junk', consent_version: '1', source: '/join/' },
      { timestamp: serial + 0.0001, email: 'john@example.org', channels: 'email', language: 'en', consent_version: '1', source: '/en/join/' },
    ];
    sheets.fake.editRows(id, 'signups', () => answers.map(row));
    const synced = await loadDataset(source);
    // Just before the status cells are written, staff sort newest first and a new response arrives at the top.
    const isStatusWrite = (method: string, path: string, body: string) => method === 'POST' && path.endsWith('/values:batchUpdate') && body.includes('pending');
    sheets.fake.beforeHandling(isStatusWrite, () => sheets.fake.editRows(id, 'signups', (rows) => [row({ timestamp: serial + 0.001, email: 'new@example.org', consent_version: '1' }), ...[...rows].reverse()]));

    const result = await applySignups(synced, SECRET, { env: {}, now, out: await tempDir('signups') });

    expect(result.counts).toMatchObject({ new: 3, pending: 2, junk: 1 });
    const [head, ...rows] = sheets.fake.values(id, 'signups');
    const col = (name: string) => head.findIndex((h) => h === name);
    const statusOf = new Map(rows.map((r) => [String(r[col('email')]), String(r[col('status')] ?? '')]));
    expect(statusOf).toEqual(new Map([['new@example.org', ''], ['john@example.org', 'pending'], ['junk', 'junk'], ['mei@example.org', 'pending']]));
    // The pending contacts were added, and each row names its own.
    const contacts = sheets.fake.values(id, 'contacts');
    const ccol = (name: string) => contacts[0].findIndex((h) => h === name);
    for (const r of rows.filter((r) => r[col('status')] === 'pending')) {
      const contact = contacts.find((c) => c[ccol('contact_id')] === r[col('contact_id')]);
      expect(contact?.[ccol('email')]).toBe(r[col('email')]);
    }
  });
});
