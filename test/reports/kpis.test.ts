import { describe, expect, it } from 'vitest';
import { fiscalYearHistory, fundraisingKpis, yearKpis } from '../../reports/kpis.ts';
import { fiscalYear } from '../../sync/periods.ts';
import { fundraising } from './fundraising-fixture.ts';

describe('fundraising KPIs (fiscal year 07-01, as of 2024-06-30)', () => {
  const ds = fundraising();
  const { thisYear: y, lastYear: p, lastYearToDate } = fundraisingKpis(ds, '2024-06-30');

  it('counts donors, gifts and money of this year', () => {
    expect(y.year).toMatchObject({ start: '2023-07-01', end: '2024-06-30', label: '2023/24' });
    // Donors A, C, D, F; gifts d7 d8 d9 d10 d11 d12 (pending, membership and after-D rows are not gifts).
    expect(y.donors).toBe(4);
    expect(y.gifts).toBe(6);
    // TWD: 1,500 + 500 + 2,000 + 4,000 + 1,000 = 9,000; the US$50 is listed apart, never added.
    expect(y.amount).toBe(900000);
    expect(y.other_currencies).toEqual([{ currency: 'USD', gifts: 1, amount_minor: 5000 }]);
    // 9,000 ÷ 5 TWD gifts = 1,800.
    expect(y.average_gift).toBe(180000);
  });

  it('splits donors into new, retained, recaptured and lapsed', () => {
    expect(y.new_donors).toBe(1); // F: first gift ever in Y
    expect(y.retained_donors).toBe(2); // A (07-01, the first day), D
    expect(y.recaptured_donors).toBe(1); // C: gave 2022-01, not in P
    expect(y.lapsed_donors).toBe(2); // B (only a membership fee in Y) and E
  });

  it('computes the retention rates', () => {
    expect(y.donor_retention).toBe(2 / 4); // A, D of P's A, B, D, E
    expect(y.new_donor_retention).toBe(1 / 3); // of P's new donors A, B, E only A gave
    expect(y.repeat_donor_retention).toBe(1); // of P's repeat donors (D) D gave
    // Retained donors' Y money (A 1,500 + 500, D 2,000 = 4,000) ÷ P's money (1,000 + 2,000 + 3,000 + 500 = 6,500).
    expect(y.dollar_retention).toBeCloseTo(4000 / 6500, 12);
  });

  it('counts recurring plans and the exact monthly amount', () => {
    expect(y.recurring_active).toBe(5); // r1, r2, r5, r6, r7
    expect(y.recurring_new).toBe(3); // r1 2023-08-01, r4 2024-06-01, r5 2023-09-01
    expect(y.recurring_ended).toBe(1); // r3 2024-01-31; r4 has no end date
    // 1,000 + 3 × 1,000 ÷ 3 = 2,000 exactly (rounding each quarterly plan first would give 1,999.99).
    expect(y.monthly_recurring_amount).toBe(200000);
    expect(y.monthly_recurring_other).toEqual([{ currency: 'USD', monthly_minor: 10000 }]);
  });

  it('computes last year as a whole year with its own year before', () => {
    expect(p.year).toMatchObject({ start: '2022-07-01', end: '2023-06-30', label: '2022/23' });
    expect([p.donors, p.gifts, p.amount, p.average_gift]).toEqual([4, 4, 650000, 162500]);
    expect([p.new_donors, p.retained_donors, p.recaptured_donors, p.lapsed_donors]).toEqual([3, 1, 0, 1]);
    expect(p.donor_retention).toBe(1 / 2); // D of FY21/22's C, D
    expect(p.new_donor_retention).toBe(1 / 2); // FY21/22's new donors C, D: D gave
    expect(p.repeat_donor_retention).toBeNull(); // nobody in FY21/22 had given before it
    expect(p.dollar_retention).toBe(2); // D's 3,000 ÷ FY21/22's 1,500
    // At 2023-06-30: r2, r3, r6, r7 in progress (r3 still running), r1/r5 not yet started.
    expect(p.recurring_active).toBe(4);
  });

  it('a first year, with no year before, has no retention', () => {
    const first = yearKpis(ds, fiscalYear('2021-12-01', '07-01'));
    expect(first.donors).toBe(2);
    expect(first.new_donors).toBe(2);
    expect(first.donor_retention).toBeNull();
    expect(first.new_donor_retention).toBeNull();
    expect(first.repeat_donor_retention).toBeNull();
    expect(first.dollar_retention).toBeNull();
  });

  it('a year without gifts has no average gift', () => {
    const empty = yearKpis(ds, fiscalYear('2019-09-01', '07-01'));
    expect([empty.donors, empty.gifts, empty.amount, empty.average_gift]).toEqual([0, 0, 0, null]);
  });

  it('compares with last year up to the same day of the fiscal year', () => {
    const mid = fundraisingKpis(ds, '2024-01-31');
    // Day 214 of FY23/24 (2024-01-31) is 2023-01-31 in FY22/23: A, B, D had given (E gave in June).
    expect(mid.lastYearToDate.year.end).toBe('2023-01-31');
    expect(mid.lastYearToDate.donors).toBe(3);
    expect(mid.thisYear.donors).toBe(2); // A, D
    expect(lastYearToDate.year.end).toBe('2023-06-30'); // D is the last day: the whole of last year
  });

  it('lists every fiscal year from the first gift', () => {
    expect(fiscalYearHistory(ds, '2024-06-30').map((k) => k.year.label)).toEqual(['2021/22', '2022/23', '2023/24']);
  });
});
