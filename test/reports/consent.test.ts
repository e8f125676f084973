import { describe, expect, it } from 'vitest';
import { consentFigures } from '../../reports/consent.ts';
import { renderDashboard } from '../../reports/dashboard/html.ts';
import { buildDashboard } from '../../reports/dashboard/sections.ts';
import { segmentCatalog } from '../../reports/segments/catalog.ts';
import { buildDataset } from '../support/dataset.ts';

const AS_OF = '2026-11-25'; // a Wednesday of ISO week 2026-W48 (Monday 2026-11-23)

function dataset() {
  return buildDataset({
    settings: { timezone: 'Asia/Taipei', default_locale: 'en' },
    contacts: [
      { contact_id: 'A', first_name: 'Ann', email: 'zzann@example.org', email_opt_in: 'yes', consent_at: '2026-11-24 10:00' },
      { contact_id: 'B', first_name: 'Ben', email: 'zzben@example.org', email_opt_in: 'yes', consent_at: '2026-11-23 10:00', topics: 'events', email_frequency: 'monthly' },
      { contact_id: 'C', first_name: 'Cat', email: 'zzcat@example.org', email_opt_in: 'yes', topics: 'newsletter, appeals', email_frequency: 'quarterly' },
      // Not opted in: none of the preference figures count them.
      { contact_id: 'D', first_name: 'Dan', email: 'zzdan@example.org', email_opt_in: 'no', topics: 'events', email_frequency: 'monthly' },
      // Consent after the as-of date does not count yet.
      { contact_id: 'E', first_name: 'Eve', email: 'zzeve@example.org', email_opt_in: 'yes', consent_at: '2026-12-01 10:00' },
    ],
    signups: [
      // 00:30 on Monday in Taipei is still Sunday (week 47) in UTC: counted in week 48.
      { timestamp: '2026-11-23 00:30', email: 'zzann@example.org', consent_version: '1', source: '/en/join/' },
      { timestamp: '2026-11-25 09:00', email: 'zzben@example.org', consent_version: '1', source: '/join/' },
      { timestamp: '2026-11-16 10:00', email: 'zzcat@example.org', consent_version: '1', source: '/join/' },
      // Outside the 12 weeks (week 36), still a sign-up.
      { timestamp: '2026-09-06 10:00', email: 'zzold@example.org', consent_version: '1', source: 'paper', event_id: 'E1' },
      // After the as-of date; a confirmation post; a row with no timestamp.
      { timestamp: '2026-11-26 09:00', email: 'zzlate@example.org' },
      { timestamp: '2026-11-24 10:00', confirm: 'token' },
      { email: 'zznotime@example.org' },
    ],
  });
}

describe('consent and preference figures', () => {
  it('sign-ups per ISO week in the org time zone, confirmation rate from consent_at, opt-outs per topic, frequencies', () => {
    const f = consentFigures(dataset(), AS_OF);
    expect(f.weeks).toHaveLength(12);
    expect(f.weeks[0]).toEqual({ week: '2026-W37', start: '2026-09-07', signups: 0 });
    expect(f.weeks.slice(-2)).toEqual([{ week: '2026-W47', start: '2026-11-16', signups: 1 }, { week: '2026-W48', start: '2026-11-23', signups: 2 }]);
    let inWeeks = 0;
    for (const w of f.weeks) inWeeks += w.signups;
    expect(inWeeks).toBe(3);
    expect([f.signups, f.confirmed, f.confirmation_rate, f.confirmed_from]).toEqual([4, 2, 0.5, 'consent_at']);
    expect(f.topics).toEqual([
      { topic: 'newsletter', opted_out: 1, receiving: 3 },
      { topic: 'appeals', opted_out: 1, receiving: 3 },
      { topic: 'events', opted_out: 1, receiving: 3 },
      { topic: 'volunteering', opted_out: 2, receiving: 2 },
    ]);
    expect(f.frequencies).toEqual([{ frequency: 'every', contacts: 2 }, { frequency: 'monthly', contacts: 1 }, { frequency: 'quarterly', contacts: 1 }]);
  });

  it('uses the signups tab\'s status column when sync has written one', () => {
    const ds = dataset();
    const status = ['confirmed', 'pending', 'confirmed', 'confirmed', 'pending'];
    const withStatus = { ...ds, signups: ds.signups.map((s, i) => ({ ...s, status: status[i] })) };
    const f = consentFigures(withStatus, AS_OF);
    expect([f.signups, f.confirmed, f.confirmation_rate, f.confirmed_from]).toEqual([4, 3, 0.75, 'status']);
  });

  it('leaves junk and repeated sign-ups (as sync marks them) out of the sign-ups and the rate', () => {
    const ds = dataset();
    const status = ['confirmed', 'pending', 'junk', 'duplicate', 'pending'];
    const f = consentFigures({ ...ds, signups: ds.signups.map((s, i) => ({ ...s, status: status[i] })) }, AS_OF);
    // Of the four sign-ups, the third is junk and the fourth a repeat: two people signed up, one confirmed.
    expect([f.signups, f.confirmed, f.confirmation_rate]).toEqual([2, 1, 0.5]);
    expect(f.weeks.reduce((n, w) => n + w.signups, 0)).toBe(2);
  });

  it('the staff dashboard shows them, with nothing personal', () => {
    const dashboard = buildDashboard(dataset(), AS_OF, { utmPeriod: { start: '2026-01-01', end: AS_OF }, catalog: segmentCatalog });
    const section = dashboard.sections.find((s) => s.id === 'consent')!;
    expect(section.tables.map((t) => t.id)).toEqual(['signups_by_week', 'confirmation', 'topic_opt_outs', 'email_frequencies']);
    expect(section.tables[1].rows.map((r) => r.value)).toEqual([4, 2, 0.5]);
    expect(section.tables[2].rows.find((r) => r.topic === 'volunteering')).toEqual({ topic: 'volunteering', opted_out: 2, receiving: 2 });
    const html = renderDashboard(dashboard, '/* chart.js */');
    expect(html).toContain('Sign-ups per week (last 12 weeks)');
    expect(html).toContain('50.0%');
    expect(html).not.toMatch(/zz\w+@example\.org|Ann|Ben/);
  });
});
