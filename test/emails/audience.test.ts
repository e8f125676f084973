import { describe, expect, it } from 'vitest';
import { type SegmentEvaluator, audienceOf } from '../../emails/audience.ts';
import { workbookFrom } from '../../emails/preview-data.ts';
import { unsubscribeToken } from '../../emails/unsubscribe.ts';
import { emailHash } from '../../sync/suppressions.ts';
import { validateWorkbook } from '../../sync/validate.ts';
import { SETTINGS } from '../support/csv-folder.ts';

const SECRET = 'test-secret';
const ok = (id: string, extra: Record<string, string> = {}) => ({ contact_id: id, first_name: id, email: `${id.toLowerCase()}@example.org`, email_opt_in: 'yes', ...extra });

function dataset() {
  return validateWorkbook(
    workbookFrom(
      {
        contacts: [
          ok('C01', { tags: 'vip, 志工' }), ok('C02', { email: '' }), ok('C03', { email_opt_in: 'no' }), ok('C04', { do_not_contact: 'yes' }),
          ok('C05'), ok('C06'), ok('C07'), ok('C08', { email: 'C01@example.org' }), ok('C09', { tags: 'VIP' }),
          ok('C10', { email: 'not-an-email' }), ok('C11'), ok('C12', { email_opt_in: '' }), ok('C13', { email: 'Ｃ13@example.org ' }),
        ],
        unsubscribes: [
          { timestamp: '2026-11-01 10:00', token: unsubscribeToken(SECRET, 'C05') },
          { timestamp: '2026-11-02 10:00', token: unsubscribeToken('someone-elses-secret', 'C11') },
        ],
        email_events: [
          { message_id: 'm1', mailing_id: 'M0', contact_id: 'C06', email: 'c06@example.org', last_event: 'bounced' },
          { message_id: 'm2', mailing_id: 'M0', email: 'C07@Example.org', last_event: 'complained' },
          { message_id: 'm3', mailing_id: 'M0', contact_id: 'C01', email: 'c01@example.org', last_event: 'opened' },
        ],
        // C13 was forgotten once and re-imported: the list holds the hash of the normalised address.
        _suppressions: [{ email_sha256: emailHash('c13@example.org'), reason: 'forgotten', added_at: '2026-10-01' }],
        mailings: [
          { mailing_id: 'M1', name: 'n', subject: 's', segment: 'recent_donors?months=3', exclude_segment: 'lapsed?months=6' },
          { mailing_id: 'M2', name: 'n', subject: 's', segment: 'tag:vip' },
          { mailing_id: 'M3', name: 'n', subject: 's', segment: 'all' },
        ],
      },
      SETTINGS,
    ),
  ).dataset;
}

describe('audience', () => {
  const ds = dataset();
  const calls: string[] = [];
  // A stand-in for reports/segments: the spec decides the members.
  const evaluateSegment: SegmentEvaluator = (_d, _asOf, spec) => {
    calls.push(spec);
    const everyone = ds.contacts.map((c) => c.contact_id);
    const ids = spec.startsWith('recent_donors') ? everyone.filter((id) => id !== 'C12') : ['C09'];
    return ids.map((contact_id) => ({ contact_id, reason: spec }));
  };

  it('segment minus exclude_segment minus every exclusion reason, each counted', () => {
    const audience = audienceOf(ds, '2026-11-22', ds.mailings[0], { evaluateSegment, secret: SECRET });
    expect(calls).toEqual(['recent_donors?months=3', 'lapsed?months=6']);
    expect(audience.recipients.map((c) => c.contact_id)).toEqual(['C01', 'C11']);
    expect(audience.segmentSize).toBe(12);
    expect(audience.excluded).toEqual({
      exclude_segment: 1, no_valid_email: 2, no_email_opt_in: 1, do_not_contact: 1, unsubscribed: 1, hard_bounced: 1, complained: 1, suppressed: 1,
      topic_off: 0, monthly_digest: 0, quarterly_digest: 0, duplicate_email: 1,
    });
  });

  it('tag:<name> matches tags case-insensitively; all is everyone; blank opt-in is not consent', () => {
    const vip = audienceOf(ds, '2026-11-22', ds.mailings[1], { evaluateSegment, secret: SECRET });
    expect(vip.segmentSize).toBe(2);
    expect(vip.recipients.map((c) => c.contact_id)).toEqual(['C01', 'C09']);
    const all = audienceOf(ds, '2026-11-22', ds.mailings[2], { evaluateSegment, secret: SECRET });
    expect(all.segmentSize).toBe(13);
    expect(all.recipients.map((c) => c.contact_id)).toEqual(['C01', 'C09', 'C11']);
    expect(all.excluded.no_email_opt_in).toBe(2);
  });

  it('a blank segment is an error naming the row', () => {
    expect(() => audienceOf(ds, '2026-11-22', { ...ds.mailings[2], segment: undefined }, { evaluateSegment, secret: SECRET })).toThrow(/mailings row 4, column segment/);
  });
});
