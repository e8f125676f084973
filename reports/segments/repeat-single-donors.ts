import { z } from 'zod';
import { recurringGivers } from '../ledger/index.ts';
import { donorIndex } from './donor-index.ts';
import { reasonWriter } from './reason.ts';
import { type SegmentDefinition, selection, wholeParam } from './segment.ts';

const params = z.object({ min_gifts: wholeParam(3) });

/**
 * Contacts with at least N one-time gifts (no recurring_id), no recurring gift and no plan in
 * progress. The filters choose which one-time gifts count; a recurring gift or a plan in progress
 * of any kind excludes the contact (they already give regularly).
 */
export const repeatSingleDonors: SegmentDefinition<typeof params> = {
  id: 'repeat_single_donors',
  title: { 'zh-TW': '單筆捐款滿三次', en: 'Repeat one-time donors' },
  description: {
    'zh-TW': '單筆捐款至少 N 次、沒有定期定額捐款也沒有進行中的定期定額的人',
    en: 'At least N one-time gifts, no recurring gift and no plan in progress',
  },
  use: { 'zh-TW': '已經捐了好幾筆，代表很有愛：邀請他們定期定額', en: 'They keep coming back: invite them to give monthly' },
  params,
  select(dataset, asOf, { min_gifts }, filters) {
    const index = donorIndex(dataset, asOf, filters);
    const all = index.unfiltered;
    const text = reasonWriter(dataset);
    const givesRecurring = recurringGivers(dataset, asOf);
    // A member has no recurring gift at all, so every gift that counts is one-time: the number of
    // gifts is the count, checked before anything is looked up.
    return selection(index.gifts, (gifts, contact_id) => {
      if (gifts.count < min_gifts) return undefined;
      if (givesRecurring.has(contact_id)) return undefined;
      if (all.plans.get(contact_id)?.some((p) => p.status === 'in_progress')) return undefined;
      return gifts;
    }, (gifts) => {
      const single = gifts.all();
      return text.say({
        'zh-TW': `單筆捐款 ${single.length} 筆，第一筆 ${single[0].date}，最近一筆 ${text.gift(single[single.length - 1])}；沒有定期定額`,
        en: `${single.length} one-time gifts, first on ${single[0].date}, last ${text.gift(single[single.length - 1])}; no recurring plan`,
      });
    });
  },
};
