import { describe, expect, it } from 'vitest';
import { fiscalYearHistory, yearKpis } from '../../reports/kpis.ts';
import { mailingPerformance } from '../../reports/newsletter.ts';
import { fiscalYear } from '../../sync/periods.ts';
import { buildDataset, contacts, donation } from '../support/dataset.ts';
import { fundraising } from './fundraising-fixture.ts';

describe('results a dataset remembers for the next report', () => {
  it('are the same as computed afresh, and a caller changing its copy changes nothing else', () => {
    const ds = fundraising();
    const year = fiscalYear('2024-03-01', '07-01');
    const first = yearKpis(ds, year);
    first.donors = -1;
    first.other_currencies.push({ currency: 'XXX', gifts: 1, amount_minor: 1 });
    expect(yearKpis(ds, year)).toEqual(yearKpis(fundraising(), year));
    expect(fiscalYearHistory(ds, '2024-06-30')).toEqual(fiscalYearHistory(fundraising(), '2024-06-30'));
  });

  it('include mailing performance at any date, newest first, only the mailings begun by then', () => {
    const ds = buildDataset({
      contacts: contacts('A', 'B'),
      donations: [donation('A', '2024-01-01', '100')],
      mailings: [
        { mailing_id: 'M1', name: 'Jan', subject: 'Jan', status: 'sent', sent_at: '2024-01-10T02:00:00Z' },
        { mailing_id: 'M2', name: 'Mar', subject: 'Mar', status: 'sent', sent_at: '2024-03-10T02:00:00Z' },
      ],
      email_events: [
        { message_id: 'E1', mailing_id: 'M1', contact_id: 'A', email: 'a@example.org', sent_at: '2024-01-10T02:00:00Z', last_event: 'opened' },
        { message_id: 'E2', mailing_id: 'M2', contact_id: 'B', email: 'b@example.org', sent_at: '2024-03-10T02:00:00Z', last_event: 'bounced' },
      ],
    });
    const later = mailingPerformance(ds, '2024-06-30');
    expect(later.map((m) => m.mailing_id)).toEqual(['M2', 'M1']);
    later[1].opens = 99;
    const earlier = mailingPerformance(ds, '2024-02-01');
    expect(earlier.map((m) => [m.mailing_id, m.opens, m.bounces])).toEqual([['M1', 1, 0]]);
  });
});
