import { describe, expect, it } from 'vitest';
import { evaluateSegment } from '../../reports/segments/index.ts';
import { buildDataset, contacts, donation, memberIds as ids } from '../support/dataset.ts';

const D = '2024-06-30';
const plan = (recurring_id: string, contact_id: string, status: string, extra: Record<string, string | number> = {}) => ({
  recurring_id, contact_id, amount: 500, start_date: '2023-01-01', status, ...extra,
});

describe('the five recurring-donor types', () => {
  const dataset = buildDataset({
    settings: { default_locale: 'en' },
    contacts: contacts('new', 'lapsed', 'loyal', 'uncounted', 'pending', 'one_time', 'paused', 'overdue', 'gift_after_d', 'starts_after_d', 'nothing'),
    recurring: [
      plan('R_new', 'new', 'in_progress'),
      plan('R_lapsed', 'lapsed', 'cancelled'),
      plan('R_loyal_now', 'loyal', '進行中'),
      plan('R_loyal_old', 'loyal', 'completed'),
      plan('R_uncounted', 'uncounted', 'in_progress'),
      plan('R_pending', 'pending', 'pending'),
      plan('R_paused', 'paused', 'paused'),
      plan('R_overdue', 'overdue', 'overdue'),
      plan('R_after', 'gift_after_d', 'in_progress'),
      plan('R_future', 'starts_after_d', 'in_progress', { start_date: '2024-07-01' }),
    ],
    donations: [
      donation('new', '2024-01-05', 500, { recurring_id: 'R_new' }),
      donation('lapsed', '2023-02-05', 500, { recurring_id: 'R_lapsed' }),
      donation('loyal', '2024-01-05', 500, { recurring_id: 'R_loyal_now' }),
      donation('loyal', '2023-01-05', 500, { recurring_id: 'R_loyal_old' }),
      donation('uncounted', '2024-01-05', 500, { recurring_id: 'R_uncounted', status: 'failed' }),
      donation('pending', '2024-01-05', 500, { recurring_id: 'R_pending' }),
      donation('one_time', '2024-01-05', 500),
      donation('paused', '2024-01-05', 500, { recurring_id: 'R_paused' }),
      donation('overdue', '2024-01-05', 500, { recurring_id: 'R_overdue' }),
      donation('gift_after_d', '2024-07-05', 500, { recurring_id: 'R_after' }),
      donation('starts_after_d', '2024-06-05', 500, { recurring_id: 'R_future' }),
    ],
  });

  it('recurring_new: a current plan and no past plan', () => {
    expect(ids(dataset, D, 'recurring_new')).toEqual(['new']);
  });

  it('recurring_lapsed: a past plan (cancelled, paused, overdue, completed) and no current one', () => {
    expect(ids(dataset, D, 'recurring_lapsed')).toEqual(['lapsed', 'overdue', 'paused']);
  });

  it('recurring_loyal: both', () => {
    expect(ids(dataset, D, 'recurring_loyal')).toEqual(['loyal']);
  });

  it('recurring_any: current or past; plans no gift references (or only after D, or pending) are not counted', () => {
    expect(ids(dataset, D, 'recurring_any')).toEqual(['lapsed', 'loyal', 'new', 'overdue', 'paused']);
  });

  it('recurring_never: every other contact, with or without one-time gifts', () => {
    expect(ids(dataset, D, 'recurring_never')).toEqual(['gift_after_d', 'nothing', 'one_time', 'pending', 'starts_after_d', 'uncounted']);
  });

  it('a plan becomes counted once its first gift is on or before D', () => {
    expect(ids(dataset, '2024-07-05', 'recurring_new')).toEqual(['gift_after_d', 'new', 'starts_after_d']);
  });

  it('filters restrict which plans count (amount per installment)', () => {
    const withBig = buildDataset({
      contacts: contacts('small', 'big'),
      recurring: [plan('S', 'small', 'in_progress'), plan('B', 'big', 'in_progress', { amount: 3000 })],
      donations: [donation('small', '2024-01-05', 500, { recurring_id: 'S' }), donation('big', '2024-01-05', 3000, { recurring_id: 'B' })],
    });
    expect(ids(withBig, D, 'recurring_new?min_amount=1000')).toEqual(['big']);
    expect(ids(withBig, D, 'recurring_never?min_amount=1000')).toEqual(['small']);
  });

  it('describes the plans that decided it', () => {
    const loyal = evaluateSegment(dataset, D, 'recurring_loyal')[0];
    expect(loyal.reason).toBe(
      'current: plan R_loyal_now (NT$500 monthly, since 2023-01-01, in progress, 1 paid); past: plan R_loyal_old (NT$500 monthly, since 2023-01-01, completed, 1 paid)',
    );
  });
});

describe('recurring_ending (within_days=60)', () => {
  const paid = (contact_id: string, recurring_id: string, n: number) =>
    Array.from({ length: n }, (_, i) => donation(contact_id, `2023-${String(i + 1).padStart(2, '0')}-05`, 500, { recurring_id }));
  const dataset = buildDataset({
    settings: { default_locale: 'en' },
    contacts: contacts('one_left', 'two_left', 'none_left', 'ends_d60', 'ends_d61', 'ends_on_d', 'ended_before_d', 'cancelled_one_left', 'open_ended'),
    recurring: [
      plan('P1', 'one_left', 'in_progress', { installments: 12 }),
      plan('P2', 'two_left', 'in_progress', { installments: 12 }),
      plan('P3', 'none_left', 'in_progress', { installments: 12 }),
      plan('P4', 'ends_d60', 'in_progress', { end_date: '2024-08-29' }),
      plan('P5', 'ends_d61', 'in_progress', { end_date: '2024-08-30' }),
      plan('P6', 'ends_on_d', 'in_progress', { end_date: '2024-06-30' }),
      plan('P7', 'ended_before_d', 'in_progress', { end_date: '2024-06-29' }),
      plan('P8', 'cancelled_one_left', 'cancelled', { installments: 12 }),
      plan('P9', 'open_ended', 'in_progress'),
    ],
    donations: [
      ...paid('one_left', 'P1', 11),
      ...paid('two_left', 'P2', 10),
      ...paid('none_left', 'P3', 12),
      ...paid('cancelled_one_left', 'P8', 11),
      ...paid('open_ended', 'P9', 12),
    ],
  });

  it('keeps plans in progress with at most one installment left or an end date in [D, D + 60 days]', () => {
    expect(ids(dataset, D, 'recurring_ending')).toEqual(['ends_d60', 'ends_on_d', 'none_left', 'one_left']);
  });

  it('takes within_days', () => {
    expect(ids(dataset, D, 'recurring_ending?within_days=61')).toContain('ends_d61');
  });

  it('says how many installments are left or when it ends', () => {
    const byId = new Map(evaluateSegment(dataset, D, 'recurring_ending').map((m) => [m.contact_id, m.reason]));
    expect(byId.get('one_left')).toBe('plan P1 (NT$500 monthly, since 2023-01-01, in progress, 11 paid): 1 of 12 installments left');
    expect(byId.get('ends_d60')).toBe('plan P4 (NT$500 monthly, since 2023-01-01, in progress, 0 paid): ends on 2024-08-29');
  });
});

describe('repeat_single_donors (min_gifts=3)', () => {
  const three = (contact_id: string, extra: Record<string, string> = {}) => [
    donation(contact_id, '2023-01-05', 500, extra),
    donation(contact_id, '2023-06-05', 500, extra),
    donation(contact_id, '2024-01-05', 500, extra),
  ];
  const dataset = buildDataset({
    contacts: contacts('three', 'two', 'plus_recurring_gift', 'plan_in_progress', 'plan_cancelled', 'one_refunded', 'other_campaign_plan', 'winter_only'),
    recurring: [
      plan('RG', 'plus_recurring_gift', 'cancelled'),
      plan('IP', 'plan_in_progress', 'in_progress'),
      plan('CX', 'plan_cancelled', 'cancelled'),
      plan('OC', 'other_campaign_plan', 'in_progress', { campaign: 'general' }),
    ],
    donations: [
      ...three('three'),
      ...three('two').slice(0, 2),
      ...three('plus_recurring_gift'),
      donation('plus_recurring_gift', '2024-02-05', 500, { recurring_id: 'RG' }),
      ...three('plan_in_progress'),
      ...three('plan_cancelled'),
      ...three('one_refunded').slice(0, 2),
      donation('one_refunded', '2024-03-01', 500, { status: 'refunded' }),
      ...three('other_campaign_plan', { campaign: 'winter' }),
      ...three('winter_only', { campaign: 'winter' }),
    ],
  });

  it('needs three one-time gifts, no recurring gift and no plan in progress', () => {
    expect(ids(dataset, D, 'repeat_single_donors')).toEqual(['plan_cancelled', 'three', 'winter_only']);
  });

  it('keeps excluding a plan in progress even when a filter leaves that plan out', () => {
    expect(ids(dataset, D, 'repeat_single_donors?campaign=Winter')).toEqual(['winter_only']);
    expect(ids(dataset, D, 'repeat_single_donors?min_gifts=2')).toContain('two');
  });
});
