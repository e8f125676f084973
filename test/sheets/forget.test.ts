import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runForget } from '../../cli/commands/forget.ts';
import { donationTotals } from '../../sync/forget.ts';
import { openSource } from '../../sync/sources/open.ts';
import { audienceOf } from '../../emails/audience.ts';
import { exportFiles } from '../../reports/segments/export.ts';
import { evaluateSegment } from '../../reports/segments/index.ts';
import { type WritableSource, readTabs } from '../../sync/sources/source.ts';
import { emailHash } from '../../sync/suppressions.ts';
import { loadDataset } from '../../sync/load.ts';
import { writeCsv } from '../../sync/output.ts';
import { writeBackTabs } from '../../sync/write-back.ts';
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
    // The tool's tabs as sync writes them back: a problem on Amy's participants row (row 4), and segment rows.
    expect(before.problems.some((p) => p.tab === 'participants' && p.row === 4)).toBe(true);
    await writeBackTabs(before.source as WritableSource, before.problems, [
      { segment: 'lapsed', contact_id: 'C001', name: '王小明', email: 'ming@example.org', reason: 'last gift 2024-05-10' },
      { segment: 'lapsed', contact_id: 'C002', name: 'Amy Chen', email: 'Amy.Chen@example.org', reason: 'last gift 2024-04-01' },
    ]);
    const lines: string[] = [];
    expect(await runForget('AMY.CHEN@example.org', { source: spec, out, yes: true }, (l) => lines.push(l))).toBe(true);

    expect(lines[0]).toBe('forget C002, Amy Chen, amy.chen@example.org:');
    expect(lines).toContain('  participants: delete 2 rows');
    expect(lines).toContain('  email_events: delete 2 rows');
    expect(lines.some((l) => /donations: re-link 3 rows to anon-[0-9a-f]{8}/.test(l))).toBe(true);
    expect(lines).toContain('  unsubscribes: delete 1 row with their email');
    expect(lines).toContain('  _segments: delete 1 row');
    expect(lines).toContain('  _problems: delete 1 row');
    expect(lines).toContain('  _suppressions: add 1 hashed address, so no send or export reaches them again, even if they are added back');

    const after = await loadDataset(await openSource(spec), '2024-07-01');
    const { dataset } = after;
    expect(dataset.contacts.map((c) => c.contact_id)).not.toContain('C002');
    expect(JSON.stringify([dataset.contacts, dataset.participants, dataset.email_events, dataset.unsubscribes])).not.toMatch(/C002|Amy|amy\.chen/i);
    expect([...dataset.suppressed]).toEqual([emailHash('amy.chen@example.org')]);
    const tools = await readTabs(after.source, ['_segments', '_problems', '_suppressions']);
    expect(JSON.stringify(tools.get('_segments'))).toMatch(/C001/);
    expect(JSON.stringify([tools.get('_segments'), tools.get('_problems')])).not.toMatch(/C002|Amy|amy\.chen/i);
    expect(tools.get('_problems')!.rows.length).toBe(before.problems.length - 1);
    expect(tools.get('_suppressions')!.rows.map((r) => r.slice(0, 2))).toEqual([[emailHash('amy.chen@example.org'), 'forgotten']]);
    expect(dataset.participants.map((p) => p.contact_id)).toEqual(['C001']);
    expect([...dataset.email_events].map((e) => e.message_id)).toEqual(['msg-1']);
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

    // Staff re-import an old list with her address: no send or export reaches it.
    await (after.source as WritableSource).appendRows('contacts', ['contact_id', 'first_name', 'email', 'email_opt_in'], [
      { contact_id: 'C900', first_name: 'Amy', email: ' amy.CHEN@example.org', email_opt_in: 'yes' },
    ]);
    const again = (await loadDataset(await openSource(spec), '2024-07-01')).dataset;
    expect(again.contacts.find((c) => c.contact_id === 'C900')?.email).toBe('amy.CHEN@example.org');
    const mailing = { ...again.mailings[0], segment: 'all', exclude_segment: undefined };
    const audience = audienceOf(again, '2024-07-01', mailing, { evaluateSegment, secret: 'forget-test' });
    expect(audience.recipients.map((c) => c.contact_id)).not.toContain('C900');
    expect(audience.excluded.suppressed).toBe(1);
    const members = again.contacts.map((c) => ({ contact_id: c.contact_id, reason: '' }));
    for (const channel of ['email', 'ads'] as const) {
      const { files, excluded } = exportFiles(again, members, channel, { unsubscribedIds: new Set() });
      expect(excluded.suppressed).toBe(1);
      expect(JSON.stringify(files)).not.toMatch(/C900|amy/i);
      expect(JSON.stringify(files)).not.toContain(emailHash('amy.chen@example.org'));
    }
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
