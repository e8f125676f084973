import type { SegmentCatalog } from '../../reports/segment-sizes.ts';
import { buildDataset, contacts } from '../support/dataset.ts';

export type Rows = Record<string, string>[];

/**
 * A small org with fiscal years starting 07-01 (FY 2021/22, 2022/23 = "P", 2023/24 = "Y").
 *
 *   contact  FY21/22        FY22/23 (P)        FY23/24 (Y)
 *   A        –              08-01 1,000 (new)  07-01 1,500 fb/social 'Spring Appeal'; 02-01 500 newsletter/email
 *   B        –              09-01 2,000 (new)  (04-01 800 membership: not a gift)
 *   C        01-10 1,000    –                  03-01 4,000 (no utm, campaign 'Unknown drive')
 *   D        12-01 500      01-15 3,000        12-25 2,000 fb/social/xmas
 *   E        –              06-30 500 (new)    –
 *   F        –              –                  05-05 1,000 fb/cpc 'SPRING-2024' (first gift ever); 06-01 US$50 fb/cpc spring-2024
 *   G        –              –                  (04-01 9,999 pending: not a gift; 07-01 after D)
 */
export const DONATIONS: Rows = [
  { donation_id: 'd1', contact_id: 'C', date: '2022-01-10', amount: '1000' },
  { donation_id: 'd2', contact_id: 'D', date: '2021-12-01', amount: '500' },
  { donation_id: 'd3', contact_id: 'A', date: '2022-08-01', amount: '1,000' },
  { donation_id: 'd4', contact_id: 'B', date: '2022-09-01', amount: '2000' },
  { donation_id: 'd5', contact_id: 'D', date: '2023-01-15', amount: '3000' },
  { donation_id: 'd6', contact_id: 'E', date: '2023-06-30', amount: '500' },
  { donation_id: 'd7', contact_id: 'A', date: '2023-07-01', amount: '1500', utm_source: 'facebook', utm_medium: 'social', utm_campaign: 'spring', campaign: 'spring appeal' },
  { donation_id: 'd8', contact_id: 'A', date: '2024-02-01', amount: '500', utm_source: 'newsletter', utm_medium: 'email' },
  { donation_id: 'd9', contact_id: 'D', date: '2023-12-25', amount: '2000', utm_source: 'facebook', utm_medium: 'social', utm_campaign: 'xmas' },
  { donation_id: 'd10', contact_id: 'C', date: '2024-03-01', amount: '4000', campaign: 'Unknown drive' },
  { donation_id: 'd11', contact_id: 'F', date: '2024-05-05', amount: '1000', utm_source: 'facebook', utm_medium: 'cpc', utm_campaign: 'xmas', campaign: 'SPRING-2024' },
  { donation_id: 'd12', contact_id: 'F', date: '2024-06-01', amount: '50', currency: 'USD', utm_source: 'facebook', utm_medium: 'cpc', campaign: 'spring-2024' },
  { donation_id: 'd13', contact_id: 'G', date: '2024-04-01', amount: '9999', status: 'pending' },
  { donation_id: 'd14', contact_id: 'B', date: '2024-04-01', amount: '800', financial_type: 'Membership' },
  { donation_id: 'd15', contact_id: 'G', date: '2024-07-01', amount: '100' },
];

/**
 * Recurring plans. At 2024-06-30 in progress: r1 (A, 1,000 monthly), r2, r6, r7 (1,000 quarterly
 * each) and r5 (US$100 monthly) = 5. r3 ended 2024-01-31 (in Y); r4 was cancelled with no end date.
 */
export const RECURRING: Rows = [
  { recurring_id: 'r1', contact_id: 'A', amount: '1000', frequency: 'monthly', start_date: '2023-08-01', status: 'in_progress' },
  { recurring_id: 'r2', contact_id: 'D', amount: '1000', frequency: '每季', start_date: '2021-01-01', status: '進行中' },
  { recurring_id: 'r3', contact_id: 'C', amount: '12000', frequency: 'yearly', start_date: '2023-01-01', end_date: '2024-01-31', status: 'completed' },
  { recurring_id: 'r4', contact_id: 'F', amount: '1000', frequency: 'monthly', start_date: '2024-06-01', status: 'cancelled' },
  { recurring_id: 'r5', contact_id: 'E', amount: '100', currency: 'USD', frequency: 'monthly', start_date: '2023-09-01', status: 'in_progress' },
  { recurring_id: 'r6', contact_id: 'B', amount: '1000', frequency: 'quarterly', start_date: '2021-01-01', status: 'in_progress' },
  { recurring_id: 'r7', contact_id: 'G', amount: '1000', frequency: 'quarterly', start_date: '2021-01-01', status: 'in_progress' },
];

export const CAMPAIGNS: Rows = [
  { slug: 'spring-2024', title: 'Spring Appeal', goal: '10,000', end_date: '2024-07-10', published: 'yes', summary: 'Spring' },
  { slug: 'hidden', title: 'Hidden', published: 'no' },
];

export const FISCAL_0701 = { fiscal_year_start: '07-01', currency: 'TWD' };

export const fundraising = (extra: { goals?: Rows } = {}) =>
  buildDataset({ contacts: contacts('A', 'B', 'C', 'D', 'E', 'F', 'G'), donations: DONATIONS, recurring: RECURRING, campaigns: CAMPAIGNS, settings: FISCAL_0701, ...extra });

/** A fake segment: contacts whose gifts to D add up to 2,000 or more (TWD). */
export const bigGivers: SegmentCatalog = {
  definitions: [{ id: 'big_givers', title: { 'zh-TW': '大額', en: 'Big givers' } }],
  evaluate: (dataset, asOf) => {
    const totals = new Map<string, number>();
    for (const d of dataset.donations) if (d.status === 'completed' && d.date <= asOf && d.currency === 'TWD') totals.set(d.contact_id, (totals.get(d.contact_id) ?? 0) + d.amount);
    return [...totals].filter(([, t]) => t >= 200000).map(([contact_id]) => ({ contact_id, reason: 'gave 2,000 or more' }));
  },
};
