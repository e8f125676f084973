import { describe, expect, it } from 'vitest';
import { evaluateSegment } from '../../reports/segments/index.ts';
import { buildDataset, contacts, donation, memberIds as ids } from '../support/dataset.ts';


// Fiscal years start 07-01: with D = 2024-08-15 this year is 2024-07-01..D, last year is
// 2023-07-01..2024-06-30, and the three before this one start 2023-07-01, 2022-07-01, 2021-07-01.
const D = '2024-08-15';
const settings = { fiscal_year_start: '07-01', default_locale: 'en' };

describe('lybunt and sybunt with a fiscal year starting 07-01', () => {
  const dataset = buildDataset({
    settings,
    contacts: contacts('last_day_last_year', 'first_day_last_year', 'gave_this_year', 'after_d', 'before_last', 'both_old_and_last', 'refund_last_year', 'fee_last_year'),
    donations: [
      donation('last_day_last_year', '2024-06-30', 1000),
      donation('first_day_last_year', '2023-07-01', 1000),
      donation('gave_this_year', '2024-06-30', 1000),
      donation('gave_this_year', '2024-07-01', 1000),
      donation('after_d', '2024-06-30', 1000),
      donation('after_d', '2024-08-16', 1000),
      donation('before_last', '2023-06-30', 1000),
      donation('both_old_and_last', '2022-01-01', 1000),
      donation('both_old_and_last', '2023-07-01', 1000),
      donation('refund_last_year', '2022-01-01', 1000),
      donation('refund_last_year', '2024-01-01', 1000, { status: 'refunded' }),
      donation('fee_last_year', '2022-01-01', 1000),
      donation('fee_last_year', '2024-01-01', 1000, { financial_type: 'membership' }),
    ],
  });

  it('lybunt: a gift in last fiscal year (edges included) and none from this year start to D', () => {
    expect(ids(dataset, D, 'lybunt')).toEqual(['after_d', 'both_old_and_last', 'first_day_last_year', 'last_day_last_year']);
  });

  it('sybunt: the latest gift is before last fiscal year; refunds and fees last year do not count as gifts', () => {
    expect(ids(dataset, D, 'sybunt')).toEqual(['before_last', 'fee_last_year', 'refund_last_year']);
  });

  it('names the fiscal year of the last gift', () => {
    const byId = new Map(evaluateSegment(dataset, D, 'lybunt').map((m) => [m.contact_id, m.reason]));
    expect(byId.get('last_day_last_year')).toBe('last gift NT$1,000 on 2024-06-30 (fiscal year 2023/24); none since 2024-07-01');
  });

  it('with the calendar fiscal year the same gifts fall differently', () => {
    const calendar = buildDataset({ contacts: contacts('a'), donations: [donation('a', '2023-07-01', 1000)] });
    expect(ids(calendar, D, 'lybunt')).toEqual(['a']);
    expect(ids(calendar, '2025-01-01', 'sybunt')).toEqual(['a']);
  });
});

describe('long_term_donors (years=3, min_installments=12)', () => {
  const monthly = (contact_id: string, recurring_id: string, n: number) =>
    Array.from({ length: n }, (_, i) => donation(contact_id, `2023-${String((i % 12) + 1).padStart(2, '0')}-05`, 500, { recurring_id }));
  const dataset = buildDataset({
    settings,
    contacts: contacts('three_years', 'gap', 'edge_early', 'plan12', 'plan11', 'plan12_cancelled'),
    recurring: [
      { recurring_id: 'P12', contact_id: 'plan12', amount: 500, start_date: '2023-01-01', status: 'in_progress' },
      { recurring_id: 'P11', contact_id: 'plan11', amount: 500, start_date: '2023-01-01', status: 'in_progress' },
      { recurring_id: 'PC', contact_id: 'plan12_cancelled', amount: 500, start_date: '2023-01-01', status: 'cancelled' },
    ],
    donations: [
      donation('three_years', '2021-07-01', 1000),
      donation('three_years', '2022-12-01', 1000),
      donation('three_years', '2024-06-30', 1000),
      donation('gap', '2021-07-01', 1000),
      donation('gap', '2024-06-30', 1000),
      donation('edge_early', '2021-06-30', 1000),
      donation('edge_early', '2022-12-01', 1000),
      donation('edge_early', '2024-06-30', 1000),
      ...monthly('plan12', 'P12', 12),
      ...monthly('plan11', 'P11', 11),
      ...monthly('plan12_cancelled', 'PC', 12),
    ],
  });

  it('needs a gift in each of the three whole fiscal years before this one, or 12 gifts on a plan in progress', () => {
    expect(ids(dataset, D, 'long_term_donors')).toEqual(['plan12', 'three_years']);
  });

  it('takes years and min_installments', () => {
    expect(ids(dataset, D, 'long_term_donors?years=2')).toContain('edge_early');
    expect(ids(dataset, D, 'long_term_donors?min_installments=11')).toContain('plan11');
  });

  it('says which years or which plan', () => {
    const byId = new Map(evaluateSegment(dataset, D, 'long_term_donors').map((m) => [m.contact_id, m.reason]));
    expect(byId.get('three_years')).toBe('gave in each of the fiscal years 2021/22, 2022/23, 2023/24');
    expect(byId.get('plan12')).toBe('plan P12 (NT$500 monthly, since 2023-01-01, in progress, 12 paid)');
  });
});

describe('birthdays: the month of birth_date is the month of D', () => {
  const dataset = buildDataset({
    contacts: [
      { contact_id: 'feb28', first_name: 'a', birth_date: '1990-02-28' },
      { contact_id: 'feb29', first_name: 'b', birth_date: '1992-02-29' },
      { contact_id: 'mar1', first_name: 'c', birth_date: '1990-03-01' },
      { contact_id: 'none', first_name: 'd' },
      { contact_id: 'later', first_name: 'e', birth_date: '1980-02-10', created_at: '2024-03-01' },
    ],
  });

  it('keeps Feb 29 birthdays in February in a leap year and in a non-leap year', () => {
    expect(ids(dataset, '2024-02-10', 'birthdays')).toEqual(['feb28', 'feb29']);
    expect(ids(dataset, '2023-02-15', 'birthdays')).toEqual(['feb28', 'feb29']);
    expect(ids(dataset, '2023-03-01', 'birthdays')).toEqual(['mar1']);
  });

  it('leaves out contacts created after D', () => {
    expect(ids(dataset, '2025-02-01', 'birthdays')).toEqual(['feb28', 'feb29', 'later']);
  });

  it('says the birthday without the year', () => {
    expect(evaluateSegment(dataset, '2024-02-10', 'birthdays')[1].reason).toBe('生日 02-29（2 月壽星）');
  });
});
