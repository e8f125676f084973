import { describe, expect, it } from 'vitest';
import { evaluateSegment } from '../../reports/segments/index.ts';
import { buildDataset, contacts, donation, memberIds as ids } from '../support/dataset.ts';


describe('first_time_donors (days=90): earliest gift in (D − 90 days, D]', () => {
  const D = '2024-06-30'; // D − 90 days = 2024-04-01
  const dataset = buildDataset({
    settings: { default_locale: 'en' },
    contacts: contacts('edge_out', 'edge_in', 'older', 'after_d', 'refund_first', 'fee_first', 'failed_first', 'pending_only'),
    donations: [
      donation('edge_out', '2024-04-01', 1000),
      donation('edge_in', '2024-04-02', 1000),
      donation('older', '2023-01-05', 500),
      donation('older', '2024-05-01', 500),
      donation('after_d', '2024-07-01', 500),
      donation('refund_first', '2024-01-01', 800, { status: 'refunded' }),
      donation('refund_first', '2024-05-01', 800),
      donation('fee_first', '2024-01-01', 300, { financial_type: 'Membership' }),
      donation('fee_first', '2024-02-01', 300, { financial_type: 'event fee' }),
      donation('fee_first', '2024-05-02', 300, { financial_type: 'donation' }),
      donation('failed_first', '2024-01-01', 300, { status: 'failed' }),
      donation('failed_first', '2024-06-01', 300),
      donation('pending_only', '2024-06-01', 300, { status: 'pending' }),
    ],
  });

  it('keeps a first gift on the window start, not on the day before it; refunds, failures and fees do not count', () => {
    expect(ids(dataset, D, 'first_time_donors')).toEqual(['edge_in', 'failed_first', 'fee_first', 'refund_first']);
  });

  it('ignores gifts dated after D, and moving D moves the window', () => {
    expect(ids(dataset, '2024-07-01', 'first_time_donors')).toContain('after_d');
    expect(ids(dataset, '2024-06-29', 'first_time_donors')).not.toContain('after_d');
  });

  it('takes days as a parameter', () => {
    expect(ids(dataset, D, 'first_time_donors?days=91')).toContain('edge_out');
  });

  it('gives the date and amount of the first gift as the reason', () => {
    const [member] = evaluateSegment(dataset, D, 'first_time_donors').filter((m) => m.contact_id === 'edge_in');
    expect(member.reason).toBe('first gift NT$1,000 on 2024-04-02 (in the last 90 days, since 2024-04-02)');
  });
});

describe('recent_donors (months=6): a gift in (D − 6 months, D]', () => {
  const dataset = buildDataset({
    contacts: contacts('edge_out', 'edge_in', 'leap_out', 'leap_in', 'refunded'),
    donations: [
      donation('edge_out', '2023-12-30', 500),
      donation('edge_in', '2023-12-31', 500),
      donation('edge_in', '2024-03-01', 700),
      donation('leap_out', '2024-02-29', 500),
      donation('leap_in', '2024-03-01', 500),
      donation('refunded', '2024-06-01', 500, { status: 'refunded' }),
    ],
  });

  it('keeps a gift on the day after D − 6 months and not one on it', () => {
    expect(ids(dataset, '2024-06-30', 'recent_donors')).toEqual(['edge_in', 'leap_in', 'leap_out']);
  });

  it('clamps D − 6 months to the end of a shorter month (08-31 → 02-29)', () => {
    expect(ids(dataset, '2024-08-31', 'recent_donors')).toEqual(['edge_in', 'leap_in']);
  });

  it('writes the reason in the org locale (zh-TW by default) with the last gift and the total', () => {
    const member = evaluateSegment(dataset, '2024-06-30', 'recent_donors').find((m) => m.contact_id === 'edge_in')!;
    expect(member.reason).toBe('最近一筆：2024-03-01 捐款 $700；最近 6 個月（2023-12-31 起）共 2 筆 $1,200');
  });
});

describe('lapsed_3m (months=3): a gift ever and none in (D − 3 months, D]', () => {
  const dataset = buildDataset({
    contacts: contacts('on_edge', 'inside', 'never', 'only_after'),
    donations: [
      donation('on_edge', '2024-02-29', 500),
      donation('inside', '2024-01-01', 500),
      donation('inside', '2024-03-01', 500),
      donation('only_after', '2024-06-01', 500),
    ],
  });

  it('counts a gift exactly on D − 3 months as lapsed and the next day as not', () => {
    expect(ids(dataset, '2024-05-31', 'lapsed_3m')).toEqual(['on_edge']);
  });

  it('follows months', () => {
    expect(ids(dataset, '2024-05-31', 'lapsed_3m?months=2')).toEqual(['inside', 'on_edge']);
  });
});

describe('failed_no_retry (retry_days=7, lookback_days=90)', () => {
  const D = '2024-06-30';
  const dataset = buildDataset({
    contacts: contacts('retry_day7', 'retry_day8', 'same_day', 'window_open', 'lookback_out', 'lookback_in', 'fee_failed', 'gift_before', 'retry_fee'),
    donations: [
      donation('retry_day7', '2024-06-01', 500, { status: 'failed' }),
      donation('retry_day7', '2024-06-08', 500),
      donation('retry_day8', '2024-06-01', 500, { status: 'failed' }),
      donation('retry_day8', '2024-06-09', 500),
      donation('same_day', '2024-06-01', 500, { status: 'failed' }),
      donation('same_day', '2024-06-01', 500),
      donation('window_open', '2024-06-24', 500, { status: 'failed' }),
      donation('lookback_out', '2024-04-01', 500, { status: 'failed' }),
      donation('lookback_in', '2024-04-02', 500, { status: 'failed' }),
      donation('fee_failed', '2024-06-01', 500, { status: 'failed', financial_type: 'membership' }),
      donation('gift_before', '2024-05-31', 500),
      donation('gift_before', '2024-06-01', 500, { status: 'failed' }),
      donation('retry_fee', '2024-06-01', 500, { status: 'failed' }),
      donation('retry_fee', '2024-06-03', 500, { financial_type: 'event fee' }),
    ],
  });

  it('treats a gift on day 7 as a retry and one on day 8 as too late', () => {
    const members = ids(dataset, D, 'failed_no_retry');
    expect(members).not.toContain('retry_day7');
    expect(members).toContain('retry_day8');
    expect(members).not.toContain('same_day');
  });

  it('waits until F + 7 days ≤ D, and looks back 90 days from D', () => {
    expect(ids(dataset, D, 'failed_no_retry')).toEqual(['gift_before', 'lookback_in', 'retry_day8', 'retry_fee']);
    expect(ids(dataset, '2024-07-01', 'failed_no_retry')).toContain('window_open');
  });

  it('takes retry_days and lookback_days', () => {
    expect(ids(dataset, D, 'failed_no_retry?retry_days=8')).not.toContain('retry_day8');
    expect(ids(dataset, D, 'failed_no_retry?lookback_days=91')).toContain('lookback_out');
  });

  it('names the failed amount and the day the retry window closed', () => {
    const member = evaluateSegment(dataset, D, 'failed_no_retry').find((m) => m.contact_id === 'retry_day8')!;
    expect(member.reason).toBe('2024-06-01 捐款 $500 失敗，到 2024-06-08（7 天內）沒有再捐款');
  });
});
