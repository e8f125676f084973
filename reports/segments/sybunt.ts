import { z } from 'zod';
import { fiscalYearLabel, fiscalYears } from '../../sync/periods.ts';
import { donorIndex } from './donor-index.ts';
import { reasonWriter } from './reason.ts';
import { type SegmentDefinition, selection } from './segment.ts';

const params = z.object({});

/** SYBUNT: gave Some Year But Unfortunately Not last year or This year. */
export const sybunt: SegmentDefinition<typeof params> = {
  id: 'sybunt',
  title: { 'zh-TW': '更早有捐、去年與今年都沒捐', en: 'SYBUNT: some year, not last year or this year' },
  description: {
    'zh-TW': '去年度之前有捐款，去年度與本年度都沒有的人',
    en: 'At least one gift before last fiscal year, and none last year or this year',
  },
  use: { 'zh-TW': '重新介紹組織近況，邀請他們回來', en: 'Reintroduce your work and invite them back' },
  params,
  select(dataset, asOf, _params, filters) {
    const index = donorIndex(dataset, asOf, filters);
    const text = reasonWriter(dataset);
    const { lastYear } = fiscalYears(asOf, dataset.settings.fiscal_year_start);
    return selection(index.gifts, (gifts) => (gifts.noneSince(lastYear.start) ? gifts : undefined), (gifts) => {
      const last = gifts.last();
      const year = fiscalYearLabel(last.date, dataset.settings.fiscal_year_start);
      return text.say({
        'zh-TW': `最近一筆：${text.gift(last)}（${year} 年度）；${lastYear.start} 起沒有捐款`,
        en: `last gift ${text.gift(last)} (fiscal year ${year}); none since ${lastYear.start}`,
      });
    });
  },
};
