import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runForget } from '../../cli/commands/forget.ts';
import { donationTotals } from '../../sync/forget.ts';
import { openSource } from '../../sync/sources/open.ts';
import { loadDataset, writeCsv } from '../../sync/sync.ts';
import { sampleCopy, withFakeSheets, tempDir } from '../support/sheets.ts';

const sheets = withFakeSheets();
afterEach(() => vi.unstubAllEnvs());

/** Local outputs that name C002 (Amy Chen) and C001, as the other stages write them. */
async function outputs(): Promise<string> {
  const out = await tempDir('out');
  const priv = join(out, 'private');
  await writeCsv(join(priv, 'segments', 'lapsed.csv'), ['segment', 'contact_id', 'name', 'email', 'reason'], [
    { segment: 'lapsed', contact_id: 'C001', name: '王小明', email: 'ming@example.org', reason: 'last gift 2024-05-10' },
    { segment: 'lapsed', contact_id: 'C002', name: 'Amy Chen', email: 'Amy.Chen@example.org', reason: 'last gift 2024-04-01' },
  ]);
  await writeCsv(join(priv, 'problems.csv'), ['severity', 'tab', 'row', 'column', 'value', 'message'], [
    { severity: 'error', tab: 'participants', row: 4, column: 'status', value: 'maybe', message: 'not an allowed value' },
    { severity: 'warning', tab: 'contacts', row: 4, column: 'email', value: 'bob@', message: 'not an email' },
  ]);
  await mkdir(join(priv, 'outbox', 'M002'), { recursive: true });
  await writeFile(join(priv, 'outbox', 'M002', '1.eml'), 'To: Amy Chen <amy.chen@example.org>\nSubject: July\n\nHello');
  await writeFile(join(priv, 'outbox', 'M002', '2.eml'), 'To: ming@example.org\nSubject: July\n\nHello (ref C0021)');
  return out;
}

describe.each([
  ['a CSV folder', async () => `csv:${await sampleCopy()}`],
  ['a Google Sheet', async () => {
    vi.stubEnv('GOOGLE_SERVICE_ACCOUNT_JSON', sheets.env.GOOGLE_SERVICE_ACCOUNT_JSON);
    vi.stubEnv('TIDINGS_SHEETS_ROOT_URL', sheets.env.TIDINGS_SHEETS_ROOT_URL);
    return `sheets:${(await sheets.sampleSheet()).id}`;
  }],
])('tidings forget on %s', (_, sourceSpec) => {
  it('removes the contact everywhere and keeps every donation total', async () => {
    const spec = await sourceSpec();
    const out = await outputs();
    const before = await loadDataset(await openSource(spec), '2024-07-01');
    const lines: string[] = [];
    expect(await runForget('AMY.CHEN@example.org', { source: spec, out, yes: true }, (l) => lines.push(l))).toBe(true);

    expect(lines[0]).toBe('forget C002, Amy Chen, amy.chen@example.org:');
    expect(lines).toContain('  participants: delete 2 rows');
    expect(lines).toContain('  email_events: delete 2 rows');
    expect(lines.some((l) => /donations: re-link 3 rows to anon-[0-9a-f]{8}/.test(l))).toBe(true);
    expect(lines).toContain('  kept: 1 unsubscribe record with their email, so the address is never emailed again');

    const after = await loadDataset(await openSource(spec), '2024-07-01');
    const { dataset } = after;
    expect(dataset.contacts.map((c) => c.contact_id)).not.toContain('C002');
    expect(JSON.stringify([dataset.contacts, dataset.participants, dataset.email_events])).not.toMatch(/C002|Amy|amy\.chen/i);
    expect(dataset.participants.map((p) => p.contact_id)).toEqual(['C001']);
    expect(dataset.email_events.map((e) => e.message_id)).toEqual(['msg-1']);
    const anon = dataset.contacts.find((c) => c.contact_id.startsWith('anon-'))!;
    expect(anon).toMatchObject({ organization: 'anonymous', do_not_contact: true, email_opt_in: false });
    expect(anon.email).toBeUndefined();
    expect(dataset.donations.filter((d) => d.contact_id === anon.contact_id).map((d) => d.donation_id).sort()).toEqual(['D002', 'D003', 'D008']);
    expect(dataset.recurring.find((r) => r.recurring_id === 'R001')?.contact_id).toBe(anon.contact_id);
    expect(donationTotals(dataset)).toEqual(donationTotals(before.dataset));
    expect(dataset.donations).toHaveLength(before.dataset.donations.length);
    // The re-link brings no new problem (a recurring plan and its gifts name the same contact).
    expect(after.problems.filter((p) => `${p.value} ${p.message}`.includes('anon-'))).toEqual([]);
    expect(after.problems.length).toBe(before.problems.length - 1); // the bad status on their participants row went with it

    const priv = join(out, 'private');
    expect(await readFile(join(priv, 'segments', 'lapsed.csv'), 'utf8')).not.toMatch(/C002|Amy/);
    expect(await readFile(join(priv, 'segments', 'lapsed.csv'), 'utf8')).toMatch(/C001/);
    // The problem pointing at their participants row (row 4) goes; the one about Bob stays.
    const problems = await readFile(join(priv, 'problems.csv'), 'utf8');
    expect(problems).not.toMatch(/participants/);
    expect(problems).toMatch(/bob@/);
    expect(await readdir(join(priv, 'outbox', 'M002'))).toEqual(['2.eml']);
  });

  it('asks first, and without a yes changes nothing', async () => {
    const spec = await sourceSpec();
    const out = await outputs();
    const before = (await (await openSource(spec)).read());
    const lines: string[] = [];
    // stdin is not a terminal in a test: no answer is no.
    expect(await runForget('C002', { source: spec, out }, (l) => lines.push(l))).toBe(false);
    expect(lines.at(-1)).toMatch(/nothing was changed/);
    expect(await (await openSource(spec)).read()).toEqual(before);
    expect(await readdir(join(out, 'private', 'outbox', 'M002'))).toEqual(['1.eml', '2.eml']);
  });

  it('says so when nobody matches', async () => {
    const spec = await sourceSpec();
    await expect(runForget('nobody@example.org', { source: spec, out: await tempDir('out'), yes: true }, () => {})).rejects.toThrow(/no contact has the contact_id or email "nobody@example.org"/);
  });
});
