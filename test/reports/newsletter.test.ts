import { describe, expect, it } from 'vitest';
import { bestAndWorst, mailingPerformance, openRateByMonth } from '../../reports/newsletter.ts';
import { buildDataset, contacts } from '../support/dataset.ts';
import type { Rows } from './fundraising-fixture.ts';

const MAILINGS: Rows = [
  { mailing_id: 'M1', name: '2024 May', subject: 'May news', status: 'sent', created_by: 'Staff One', scheduled_for: '2024-05-15 11:00', sent_at: '2024-05-15 11:10' },
  { mailing_id: 'M2', name: 'Broken list', subject: 'Nobody got this', status: 'sent', sent_at: '2024-05-20 09:00' },
  { mailing_id: 'M3', name: 'Draft', subject: 'Not yet', status: 'draft' },
  { mailing_id: 'M4', name: '2023 May', subject: 'May last year', status: 'sent', sent_at: '2023-05-10 10:00' },
  { mailing_id: 'M5', name: '2024 Jan', subject: 'January news', status: 'sent', sent_at: '2024-01-10 10:00' },
  { mailing_id: 'M6', name: 'Future', subject: 'After D', status: 'scheduled', scheduled_for: '2024-07-01 10:00' },
];

const ev = (id: string, mailing: string, last_event: string, extra: Record<string, string> = {}) => ({
  message_id: id, mailing_id: mailing, email: `${id}@example.org`, sent_at: '2024-05-15 11:20', last_event, ...extra,
});

const EVENTS: Rows = [
  // M1: e1 canceled (not a recipient) → 10 recipients; e2 bounced + e3 failed → 8 delivered.
  ev('e1', 'M1', 'canceled'), ev('e2', 'M1', 'bounced'), ev('e3', 'M1', 'failed'),
  ev('e4', 'M1', 'opened', { opened_at: '2024-05-15 12:00' }),
  ev('e5', 'M1', 'clicked', { clicked_at: '2024-05-15 12:00' }), // a click counts as an open
  ev('e6', 'M1', 'delivered', { opened_at: '2024-05-16 08:00' }),
  ev('e7', 'M1', 'complained', { opened_at: '2024-05-16 08:00' }),
  ev('e8', 'M1', 'clicked'), // last event alone: open and click
  { ...ev('e9', 'M1', 'delivered'), email: 'reader@example.org', sent_at: '2024-05-15 11:30' },
  ev('e10', 'M1', 'delivered', { sent_at: '2024-05-15 12:12' }), ev('e11', 'M1', 'delivered'),
  // M2: every message bounced: 2 recipients, 0 delivered.
  ev('f1', 'M2', 'bounced'), ev('f2', 'M2', 'bounced'),
  // M4 (a year before M1): 4 delivered, 2 opened; reader@ got it too.
  { ...ev('g1', 'M4', 'opened', { opened_at: '2023-05-10 12:00' }), email: 'READER@example.org', sent_at: '2023-05-10 10:00' },
  ev('g2', 'M4', 'opened', { opened_at: '2023-05-10 12:00' }), ev('g3', 'M4', 'delivered'), ev('g4', 'M4', 'delivered'),
  // M5: 4 delivered, 3 opened.
  ev('h1', 'M5', 'opened'), ev('h2', 'M5', 'opened'), ev('h3', 'M5', 'clicked'), ev('h4', 'M5', 'delivered'),
];

const UNSUBSCRIBES: Rows = [
  { timestamp: '2024-05-20 10:00', email: 'reader@example.org' }, // after M1 (and M4): M1's
  { timestamp: '2023-06-01 10:00', email: 'Reader@Example.org' }, // after M4 only: M4's
];

const ds = buildDataset({ contacts: contacts('A'), mailings: MAILINGS, email_events: EVENTS, unsubscribes: UNSUBSCRIBES });
const rows = mailingPerformance(ds, '2024-06-30');
const byId = (id: string) => rows.find((r) => r.mailing_id === id)!;

describe('newsletter performance', () => {
  it('shows each mailing as netiCRM lists it, undated drafts first, then newest first, nothing after D', () => {
    expect(rows.map((r) => r.mailing_id)).toEqual(['M3', 'M2', 'M1', 'M5', 'M4']);
    const m1 = byId('M1');
    expect(m1).toMatchObject({ name: '2024 May', subject: 'May news', status: 'sent', created_by: 'Staff One', date: '2024-05-15' });
    // Times are the org's (Asia/Taipei): 11:00 there is 03:00 UTC; completed is the last message.
    expect(m1.scheduled).toBe('2024-05-15T03:00:00.000Z');
    expect(m1.started).toBe('2024-05-15T03:10:00.000Z');
    expect(m1.completed).toBe('2024-05-15T04:12:00.000Z');
  });

  it('counts and rates a mailing', () => {
    const m1 = byId('M1');
    expect([m1.recipients, m1.delivered, m1.opens, m1.clicks, m1.bounces, m1.unsubscribes, m1.complaints]).toEqual([10, 8, 5, 2, 1, 1, 1]);
    expect(m1.open_rate).toBe(5 / 8);
    expect(m1.click_rate).toBe(2 / 8);
    expect(m1.click_to_open).toBe(2 / 5);
    expect(m1.bounce_rate).toBe(1 / 10);
    expect(m1.unsubscribe_rate).toBe(1 / 10);
    expect(m1.complaint_rate).toBe(1 / 10);
    expect(byId('M4').unsubscribe_rate).toBe(1 / 4);
  });

  it('has no rate where nothing was delivered or sent', () => {
    const m2 = byId('M2');
    expect([m2.recipients, m2.delivered]).toEqual([2, 0]);
    expect([m2.open_rate, m2.click_rate, m2.click_to_open]).toEqual([null, null, null]);
    expect(m2.bounce_rate).toBe(1);
    const draft = byId('M3');
    expect(draft.recipients).toBe(0);
    expect([draft.open_rate, draft.bounce_rate, draft.unsubscribe_rate, draft.complaint_rate]).toEqual([null, null, null, null]);
  });

  it('gives the open rate month by month against the same month a year before', () => {
    const months = openRateByMonth(rows, '2024-06-30');
    expect(months.map((m) => m.month)).toEqual(['2023-07', '2023-08', '2023-09', '2023-10', '2023-11', '2023-12', '2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024-06']);
    const may = months.find((m) => m.month === '2024-05')!;
    // M1 5/8 pooled with M2 0/0 → 5 of 8; May 2023 was M4's 2 of 4.
    expect(may).toMatchObject({ mailings: 2, delivered: 8, opens: 5, open_rate: 5 / 8, year_before: 1 / 2 });
    expect(may.change).toBeCloseTo(0.125, 12);
    const jan = months.find((m) => m.month === '2024-01')!;
    expect(jan).toMatchObject({ open_rate: 3 / 4, year_before: null, change: null });
    expect(months.find((m) => m.month === '2024-03')).toMatchObject({ mailings: 0, open_rate: null, change: null });
  });

  it('names the best and worst by open rate', () => {
    const { best, worst } = bestAndWorst(rows);
    expect(best.map((m) => [m.mailing_id, m.subject])).toEqual([['M5', 'January news'], ['M1', 'May news'], ['M4', 'May last year']]);
    expect(worst.map((m) => m.mailing_id)).toEqual(['M4', 'M1', 'M5']);
  });
});
