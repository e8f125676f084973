import { z } from 'zod';
import { lastDays } from '../../sync/periods.ts';
import { donorIndex } from './donor-index.ts';
import { reasonWriter } from './reason.ts';
import { type SegmentDefinition, selection, wholeParam } from './segment.ts';

const params = z.object({ days: wholeParam(90) });

/** Contacts whose earliest gift is in the last N days. */
export const firstTimeDonors: SegmentDefinition<typeof params> = {
  id: 'first_time_donors',
  title: { 'zh-TW': '首次捐款人', en: 'First-time donors' },
  description: { 'zh-TW': '第一筆捐款在最近 N 天內的人', en: 'Contacts whose earliest gift is in the last N days' },
  use: { 'zh-TW': '好好傳達感謝：這是維持關係、啟動更多參與的第一步', en: 'Thank them for their first gift: the first step of a lasting relationship' },
  params,
  select(dataset, asOf, { days }, filters) {
    const index = donorIndex(dataset, asOf, filters);
    const text = reasonWriter(dataset);
    const window = lastDays(asOf, days);
    return selection(
      index.gifts,
      (gifts) => (gifts.firstIn(window) ? gifts : undefined),
      (gifts) => {
        const first = gifts.first();
        return text.say({
          'zh-TW': `第一筆捐款：${text.gift(first)}（最近 ${days} 天內，${window.start} 起）`,
          en: `first gift ${text.gift(first)} (in the last ${days} days, since ${window.start})`,
        });
      },
    );
  },
};
