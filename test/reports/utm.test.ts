import { describe, expect, it } from 'vitest';
import { campaignProgress } from '../../reports/campaigns.ts';
import { utmAttribution } from '../../reports/utm.ts';
import { fundraising } from './fundraising-fixture.ts';

const ds = fundraising();

describe('UTM attribution', () => {
  it('groups this fiscal year’s gifts by utm_source with donors, first-time donors and amount', () => {
    const { utm_source } = utmAttribution(ds, { start: '2023-07-01', end: '2024-06-30' });
    expect(utm_source).toEqual([
      // d7 A 1,500, d9 D 2,000, d11 F 1,000 (F's first gift ever), d12 F US$50 (listed apart).
      { value: 'facebook', gifts: 4, donors: 3, first_time_donors: 1, amount_minor: 450000, other_currencies: [{ currency: 'USD', gifts: 1, amount_minor: 5000 }] },
      { value: null, gifts: 1, donors: 1, first_time_donors: 0, amount_minor: 400000, other_currencies: [] }, // d10 C
      { value: 'newsletter', gifts: 1, donors: 1, first_time_donors: 0, amount_minor: 50000, other_currencies: [] }, // d8 A
    ]);
  });

  it('groups by medium, utm_campaign and campaign (a campaign named by title or slug in any case is one)', () => {
    const period = { start: '2023-07-01', end: '2024-06-30' };
    const { utm_medium, utm_campaign, campaign } = utmAttribution(ds, period);
    expect(utm_medium.map((r) => [r.value, r.gifts, r.amount_minor])).toEqual([[null, 1, 400000], ['social', 2, 350000], ['cpc', 2, 100000], ['email', 1, 50000]]);
    expect(utm_campaign.map((r) => [r.value, r.donors, r.amount_minor])).toEqual([[null, 3, 450000], ['xmas', 2, 300000], ['spring', 1, 150000]]);
    // spring-2024: d7 'spring appeal' (title), d11 'SPRING-2024', d12 'spring-2024' (USD).
    expect(campaign.map((r) => [r.value, r.gifts, r.first_time_donors, r.amount_minor])).toEqual([
      ['Unknown drive', 1, 0, 400000], ['spring-2024', 3, 1, 250000], [null, 2, 0, 250000],
    ]);
  });

  it('counts a first-time donor only in a period that holds their first gift', () => {
    // From 2024-05-06: F's first gift (05-05) is before the period, so F is not first-time.
    const { utm_source } = utmAttribution(ds, { start: '2024-05-06', end: '2024-06-30' });
    expect(utm_source).toEqual([{ value: 'facebook', gifts: 1, donors: 1, first_time_donors: 0, amount_minor: 0, other_currencies: [{ currency: 'USD', gifts: 1, amount_minor: 5000 }] }]);
  });
});

describe('campaign progress', () => {
  it('adds the gifts naming a campaign in its currency and counts days left', () => {
    const spring = campaignProgress(ds, '2024-06-30').find((c) => c.slug === 'spring-2024')!;
    // 1,500 + 1,000 TWD of a 10,000 goal; the US$50 is listed, not added; 2024-06-30 → 07-10 = 10 days.
    expect(spring).toMatchObject({ raised_minor: 250000, gifts: 3, donors: 2, goal_minor: 1000000, progress: 0.25, days_left: 10 });
    expect(spring.other_currencies).toEqual([{ currency: 'USD', gifts: 1, amount_minor: 5000 }]);
    expect(campaignProgress(ds, '2024-07-20').find((c) => c.slug === 'spring-2024')!.days_left).toBe(0);
    expect(campaignProgress(ds, '2024-06-30').find((c) => c.slug === 'hidden')).toMatchObject({ raised_minor: 0, progress: null, days_left: null });
  });
});
