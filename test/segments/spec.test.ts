import { describe, expect, it } from 'vitest';
import { SEGMENTS, SegmentSpecError, evaluateSegment, parseSegmentSpec } from '../../reports/segments/index.ts';
import { buildDataset, contacts, donation, memberIds as ids } from '../support/dataset.ts';

const D = '2024-06-30';

describe('segment specs as staff write them', () => {
  it('reads parameters, defaults and filters (amounts as typed, to minor units)', () => {
    const spec = parseSegmentSpec(' Recent-Donors?months=3&min_amount=NT$1,000&max_amount=5000.5&campaign=winter-2024&financial_type=donation ');
    expect(spec.definition.id).toBe('recent_donors');
    expect(spec.params).toEqual({ months: 3 });
    expect(spec.filters).toEqual({ min_amount: 100000, max_amount: 500050, campaign: 'winter-2024', financial_type: 'donation' });
    expect(parseSegmentSpec('failed_no_retry').params).toEqual({ retry_days: 7, lookback_days: 90 });
  });

  it('names the allowed segments for an unknown id', () => {
    expect(() => parseSegmentSpec('recent_donor')).toThrow(SegmentSpecError);
    expect(() => parseSegmentSpec('recent_donor')).toThrow(`unknown segment "recent_donor" in "recent_donor": use one of ${SEGMENTS.map((s) => s.id).join(', ')}`);
  });

  it('names the allowed parameters for an unknown one', () => {
    expect(() => parseSegmentSpec('recent_donors?month=3')).toThrow(
      'segment "recent_donors?month=3": unknown parameter "month": recent_donors accepts months (default 6); every segment also accepts min_amount, max_amount, campaign, financial_type',
    );
    expect(() => parseSegmentSpec('lybunt?days=3')).toThrow('lybunt takes no parameters of its own; every segment accepts min_amount, max_amount, campaign, financial_type');
  });

  it('explains a bad value', () => {
    expect(() => parseSegmentSpec('recent_donors?months=abc')).toThrow('segment "recent_donors?months=abc": months=abc: write a whole number such as 3');
    expect(() => parseSegmentSpec('recent_donors?months=0')).toThrow('months=0: write a whole number of 1 or more');
    expect(() => parseSegmentSpec('recent_donors?min_amount=lots')).toThrow('min_amount=lots: "lots" is not an amount');
    expect(() => parseSegmentSpec('recent_donors?min_amount=500&max_amount=100')).toThrow('min_amount is more than max_amount');
  });
});

describe('the common filters restrict which gifts count', () => {
  const dataset = buildDataset({
    contacts: contacts('c999', 'c1000', 'c5000', 'c5001', 'usd', 'winter', 'fee_type'),
    donations: [
      donation('c999', '2024-06-01', '999'),
      donation('c1000', '2024-06-01', 'NT$1,000'),
      donation('c5000', '2024-06-01', 5000),
      donation('c5001', '2024-06-01', 5001),
      donation('usd', '2024-06-01', 2000, { currency: 'USD' }),
      donation('winter', '2024-06-01', 300, { campaign: 'Winter-2024' }),
      donation('fee_type', '2024-06-01', 300, { financial_type: 'In kind' }),
    ],
  });

  it('min_amount and max_amount are inclusive, per gift, in the org currency (other currencies do not pass)', () => {
    expect(ids(dataset, D, 'recent_donors?min_amount=1000&max_amount=NT$5,000')).toEqual(['c1000', 'c5000']);
    expect(ids(dataset, D, 'recent_donors')).toContain('usd');
  });

  it('campaign and financial_type match without regard to case', () => {
    expect(ids(dataset, D, 'recent_donors?campaign=winter-2024')).toEqual(['winter']);
    expect(ids(dataset, D, 'recent_donors?financial_type=in kind')).toEqual(['fee_type']);
  });

  it('a contact whose only gifts fail the filter counts as never having given', () => {
    expect(ids(dataset, D, 'lapsed_3m?min_amount=1000')).toEqual([]);
    expect(ids(dataset, D, 'first_time_donors?campaign=winter-2024')).toEqual(['winter']);
  });
});

describe('attendees_not_donors', () => {
  const dataset = buildDataset({
    settings: { default_locale: 'en' },
    contacts: contacts('attended', 'registered_gave', 'no_show', 'cancelled', 'registers_later', 'attended_fee', 'gift_after_d', 'future_event'),
    events: [
      { event_id: 'E1', title: 'Spring hike', date: '2024-04-20' },
      { event_id: 'E2', title: 'Summer talk', date: '2024-08-01' },
    ],
    participants: [
      { event_id: 'E1', contact_id: 'attended', status: 'attended' },
      { event_id: 'E1', contact_id: 'registered_gave', status: 'registered' },
      { event_id: 'E1', contact_id: 'no_show', status: 'no_show' },
      { event_id: 'E1', contact_id: 'cancelled', status: '取消' },
      { event_id: 'E2', contact_id: 'registers_later', status: 'registered', registered_at: '2024-07-01 10:00' },
      { event_id: 'E1', contact_id: 'attended_fee', status: '出席' },
      { event_id: 'E1', contact_id: 'gift_after_d', status: 'attended' },
      { event_id: 'E2', contact_id: 'future_event', status: 'registered', registered_at: '2024-06-20 10:00' },
    ],
    donations: [
      donation('registered_gave', '2023-01-01', 500),
      donation('attended_fee', '2024-04-20', 300, { financial_type: 'event fee' }),
      donation('gift_after_d', '2024-07-01', 500),
    ],
  });

  it('keeps registered or attended contacts with no gift as of D; registrations after D do not count', () => {
    expect(ids(dataset, D, 'attendees_not_donors')).toEqual(['attended', 'attended_fee', 'future_event', 'gift_after_d']);
  });

  it('names the event', () => {
    expect(evaluateSegment(dataset, D, 'attendees_not_donors')[0].reason).toBe('attended "Spring hike" (2024-04-20); no gift');
  });
});

describe('every segment', () => {
  it('is a pure function of (dataset, D): the same call gives the same members, sorted by contact_id', () => {
    const dataset = buildDataset({
      contacts: contacts('C10', 'C2', 'C1'),
      donations: [donation('C10', '2024-06-01', 500), donation('C2', '2024-06-01', 500), donation('C1', '2024-06-01', 500)],
    });
    expect(ids(dataset, D, 'recent_donors')).toEqual(['C1', 'C2', 'C10']);
    for (const s of SEGMENTS) expect(evaluateSegment(dataset, D, s.id)).toEqual(evaluateSegment(dataset, D, s.id));
  });
});
