import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { audienceOf } from '../../emails/audience.ts';
import { checkUnsubscribes, unsubscribeToken } from '../../emails/unsubscribe.ts';
import type { Channel } from '../../reports/reachability.ts';
import { exportFiles, sha256 } from '../../reports/segments/export.ts';
import { emailHash } from '../../sync/suppressions.ts';
import { evaluateSegment } from '../../reports/segments/index.ts';
import { buildDataset } from '../support/dataset.ts';

const D = '2024-06-30';

// Meta's documented examples (Conversions API, customer information parameters):
// John_Smith@gmail.com → john_smith@gmail.com, and the US number (650)555-1212 → 16505551212.
const META_EMAIL_SHA256 = '62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f';
const META_PHONE_SHA256 = 'e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176';

const SECRET = 'export-test-secret';

const dataset = buildDataset({
  settings: { default_locale: 'en' },
  contacts: [
    { contact_id: 'C1', first_name: 'John', last_name: 'Smith', email: 'John_Smith@gmail.com', phone: '(650)555-1212', country: 'United States', city: 'Palo Alto', postal_code: '94301', email_opt_in: 'yes', sms_opt_in: 'yes' },
    { contact_id: 'C2', first_name: '小明', last_name: '王', email: 'ming@example.org', phone: '0912-345-678', country: '臺灣', region: '台北市', city: '大安區', email_opt_in: 'no', sms_opt_in: '是' },
    { contact_id: 'C3', first_name: 'Dee', email: 'dee@example.org', phone: '0922-111-222', postal_code: '106', email_opt_in: 'yes', sms_opt_in: 'yes', do_not_contact: 'yes' },
    { contact_id: 'C4', first_name: 'Una', email: 'una@example.org', email_opt_in: 'yes' },
    { contact_id: 'C5', first_name: 'Late', email: 'late@example.org', phone: '02 2345 6789', email_opt_in: 'yes' },
    { contact_id: 'C6', organization: 'No Contact Co', email_opt_in: 'yes', sms_opt_in: 'yes' },
    { contact_id: 'C7', first_name: 'Tok', email: 'tok@example.org', phone: '0933-000-111', email_opt_in: 'yes', sms_opt_in: 'yes' },
    { contact_id: 'C8', first_name: 'Bou', email: 'bou@example.org', email_opt_in: 'yes', city: '台中' },
    { contact_id: 'C9', first_name: 'Com', email: 'com@example.org', email_opt_in: 'yes' },
    { contact_id: 'C10', first_name: 'Gone', email: ' GONE@Example.org ', phone: 'call me', email_opt_in: 'yes', sms_opt_in: 'yes' },
  ],
  unsubscribes: [
    { timestamp: '2024-05-01 10:00', email: 'UNA@example.org' },
    { timestamp: '2024-07-02 10:00', email: 'late@example.org' },
    { timestamp: '2024-06-01 10:00', token: unsubscribeToken(SECRET, 'C7') },
  ],
  email_events: [
    { message_id: 'm1', contact_id: 'C8', email: 'bou@example.org', last_event: 'bounced' },
    { message_id: 'm2', contact_id: 'C9', email: 'com@example.org', last_event: 'complained' },
  ],
  _suppressions: [{ email_sha256: emailHash('gone@example.org'), reason: 'forgotten', added_at: '2024-06-01' }],
});
const members = evaluateSegment(dataset, D, 'recurring_never');
const context = { unsubscribedIds: checkUnsubscribes(dataset, SECRET).contactIds };
const only = (channel: Channel) => exportFiles(dataset, members, channel, context);

describe('segment exports', () => {
  it('email: the rule sends use: opt-in, not do_not_contact, unsubscribed (token or address), bounced, complained or suppressed', () => {
    const { files: [file], excluded } = only('email');
    expect(file.columns).toEqual(['contact_id', 'name', 'email']);
    expect(file.rows).toEqual([{ contact_id: 'C1', name: 'John Smith', email: 'John_Smith@gmail.com' }]);
    expect(excluded).toMatchObject({
      no_valid_email: 1, no_email_opt_in: 1, do_not_contact: 1, unsubscribed: 3, hard_bounced: 1, complained: 1, suppressed: 1,
    });
    // The same contacts a mailing to this segment would reach.
    const mailing = buildDataset({ mailings: [{ mailing_id: 'M1', name: 'n', subject: 's', segment: 'recurring_never' }] }).mailings[0];
    const audience = audienceOf(dataset, D, mailing, { evaluateSegment, secret: SECRET });
    expect(audience.recipients.map((c) => c.contact_id)).toEqual(file.rows.map((r) => r.contact_id));
    expect(audience.excluded.suppressed).toBe(1);
  });

  it('sms: only sms_opt_in and a valid phone, in E.164 (country from the contact, else settings.default_country)', () => {
    const { files: [file], excluded } = only('sms');
    expect(file.rows).toEqual([
      { contact_id: 'C1', name: 'John Smith', phone: '+16505551212' },
      { contact_id: 'C2', name: '王小明', phone: '+886912345678' },
      { contact_id: 'C7', name: 'Tok', phone: '+886933000111' },
    ]);
    expect(excluded).toMatchObject({ no_valid_phone: 5, no_sms_opt_in: 1, do_not_contact: 1 });
  });

  it('post: the postal fields, for contacts who have a postal code or city', () => {
    const { files: [file], excluded } = only('post');
    expect(file.rows).toEqual([
      { contact_id: 'C1', name: 'John Smith', postal_code: '94301', country: 'United States', region: '', city: 'Palo Alto' },
      { contact_id: 'C2', name: '王小明', postal_code: '', country: '臺灣', region: '台北市', city: '大安區' },
      { contact_id: 'C8', name: 'Bou', postal_code: '', country: '', region: '', city: '台中' },
    ]);
    expect(excluded).toMatchObject({ no_address: 6, do_not_contact: 1 });
  });

  it('ads: hashed customer lists for Google (E.164 with +) and Meta (digits), only email_opt_in and never a suppressed address', () => {
    const { files: [google, meta], excluded } = only('ads');
    expect(google).toMatchObject({ platform: 'google', columns: ['Email', 'Phone'], bom: false });
    expect(meta).toMatchObject({ platform: 'meta', columns: ['email', 'phone'], bom: false });
    expect(meta.rows[0]).toEqual({ email: META_EMAIL_SHA256, phone: META_PHONE_SHA256 });
    expect(google.rows[0]).toEqual({ Email: META_EMAIL_SHA256, Phone: sha256('+16505551212') });
    // C8 bounced (its address is still who they are); C2 has no opt-in, C3 is do-not-contact, C4, C5, C7 unsubscribed, C9 complained, C10 forgotten.
    expect(google.rows[1]).toEqual({ Email: sha256('bou@example.org'), Phone: '' });
    expect(google.rows).toHaveLength(2);
    expect(excluded).toMatchObject({ no_email_opt_in: 1, do_not_contact: 1, unsubscribed: 3, complained: 1, suppressed: 1 });
    expect(JSON.stringify([google, meta])).not.toMatch(/@|\+886|John/);
  });
});

describe('tidings export', () => {
  it('writes the lists under <out>/private/exports/, ad lists without a byte-order mark', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tidings-export-'));
    const data = join(dir, 'data');
    await mkdir(data);
    await writeFile(join(data, 'contacts.csv'), 'contact_id,first_name,email,phone,email_opt_in\nC1,Ann,Ann@Example.org,0912345678,yes\n');
    await writeFile(join(data, 'donations.csv'), 'donation_id,contact_id,date,amount\nD1,C1,2024-06-01,500\n');
    const run = (...args: string[]) =>
      promisify(execFile)(process.execPath, ['bin/tidings.js', 'export', ...args, '--source', `csv:${data}`, '--as-of', D, '--out', join(dir, 'out')]);
    const { stdout } = await run('recent_donors?months=3', '--channel', 'ads');
    expect(stdout).toContain('1 of 1 members');
    const exports = join(dir, 'out', 'private', 'exports');
    expect((await readdir(exports)).sort()).toEqual(['recent_donors-ads-google.csv', 'recent_donors-ads-meta.csv']);
    expect(await readFile(join(exports, 'recent_donors-ads-google.csv'), 'utf8')).toBe(`Email,Phone\n${sha256('ann@example.org')},${sha256('+886912345678')}\n`);
    await run('recent_donors', '--channel', 'email', '--out-file', 'thanks.csv');
    expect(await readFile(join(exports, 'thanks.csv'), 'utf8')).toBe('\uFEFFcontact_id,name,email\nC1,Ann,Ann@Example.org\n');
    await expect(run('recent_donors', '--channel', 'email', '--out-file', '../x.csv')).rejects.toThrow(/give a file name only/);
  });
});
