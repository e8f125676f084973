import { z } from 'zod';
import { fiscalYears } from '../../sync/periods.ts';
import { donorIndex } from './donor-index.ts';
import { reasonWriter } from './reason.ts';
import { type SegmentDefinition, selection } from './segment.ts';

const params = z.object({});

/** LYBUNT: gave Last Year But Unfortunately Not This (fiscal) year. */
export const lybunt: SegmentDefinition<typeof params> = {
  id: 'lybunt',
  title: { 'zh-TW': '去年有捐、今年尚未捐', en: 'LYBUNT: last year but not this year' },
  description: { 'zh-TW': '上一個會計年度有捐款，本會計年度（到 D）還沒有的人', en: 'At least one gift last fiscal year and none this fiscal year so far' },
  use: {
    'zh-TW': '寫封信問候關心，並提供今年的募款專案給他們參考',
    en: "Write to say hello and show them this year's projects",
  },
  params,
  select(dataset, asOf, _params, filters) {
    const index = donorIndex(dataset, asOf, filters);
    const text = reasonWriter(dataset);
    const { thisYear, lastYear } = fiscalYears(asOf, dataset.settings.fiscal_year_start);
    // "None this year and one last year" is "the latest is last year".
    return selection(
      index.gifts,
      (gifts) => (gifts.lastIn(lastYear) ? gifts : undefined),
      (gifts) => {
        const last = gifts.last();
        return text.say({
          'zh-TW': `最近一筆：${text.gift(last)}（${lastYear.label} 年度）；${thisYear.start} 起沒有捐款`,
          en: `last gift ${text.gift(last)} (fiscal year ${lastYear.label}); none since ${thisYear.start}`,
        });
      },
    );
  },
};
