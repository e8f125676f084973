import { z } from 'zod';
import { lastMonths } from '../../sync/periods.ts';
import { donorIndex } from './donor-index.ts';
import { reasonWriter } from './reason.ts';
import { type SegmentDefinition, selection, wholeParam } from './segment.ts';

const params = z.object({ months: wholeParam(3) });

/** Contacts with a gift ever and none in the last N months. */
export const lapsed3m: SegmentDefinition<typeof params> = {
  id: 'lapsed_3m',
  title: { 'zh-TW': '三個月未捐款', en: 'Lapsed: no gift in 3 months' },
  description: { 'zh-TW': '曾經捐款，但最近 N 個月沒有捐款的人', en: 'At least one gift ever, and none in the last N months' },
  use: { 'zh-TW': '分享近況與成果，溫和地邀請再次支持', en: 'Share news and results, and gently invite them to give again' },
  params,
  select(dataset, asOf, { months }, filters) {
    const index = donorIndex(dataset, asOf, filters);
    const text = reasonWriter(dataset);
    const window = lastMonths(asOf, months);
    return selection(
      index.gifts,
      (gifts) => (gifts.noneSince(window.start) ? gifts : undefined),
      (gifts) => {
        const last = gifts.last();
        return text.say({
          'zh-TW': `最近一筆：${text.gift(last)}；最近 ${months} 個月（${window.start} 起）沒有捐款`,
          en: `last gift ${text.gift(last)}; none in the last ${months} months (since ${window.start})`,
        });
      },
    );
  },
};
