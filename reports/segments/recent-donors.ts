import { z } from 'zod';
import { totalsByCurrency } from '../ledger/index.ts';
import { lastMonths } from '../../sync/periods.ts';
import { donorIndex } from './donor-index.ts';
import { reasonWriter } from './reason.ts';
import { type SegmentDefinition, selection, wholeParam } from './segment.ts';

const params = z.object({ months: wholeParam(6) });

/** Contacts with a gift in the last N months. */
export const recentDonors: SegmentDefinition<typeof params> = {
  id: 'recent_donors',
  title: { 'zh-TW': '最近捐款人', en: 'Recent donors' },
  description: { 'zh-TW': '最近 N 個月內有捐款的人', en: 'Contacts with a gift in the last N months' },
  use: { 'zh-TW': '寄送成果報告或專案進度；寄募款信時排除他們', en: 'Send them results and project news, and exclude them from appeals' },
  params,
  select(dataset, asOf, { months }, filters) {
    const index = donorIndex(dataset, asOf, filters);
    const text = reasonWriter(dataset);
    const window = lastMonths(asOf, months);
    return selection(index.gifts, (gifts) => (gifts.gaveIn(window) ? gifts : undefined), (gifts) => {
      const recent = gifts.within(window);
      const last = recent[recent.length - 1];
      const totals = [...totalsByCurrency(recent, dataset.settings.currency)].map(([c, a]) => text.money(a, c)).join(' + ');
      return text.say({
        'zh-TW': `最近一筆：${text.gift(last)}；最近 ${months} 個月（${window.start} 起）共 ${recent.length} 筆 ${totals}`,
        en: `last gift ${text.gift(last)}; ${recent.length} gift(s) totalling ${totals} in the last ${months} months (since ${window.start})`,
      });
    });
  },
};
