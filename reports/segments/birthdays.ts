import { z } from 'zod';
import { contactEntries, donorIndex } from './donor-index.ts';
import { reasonWriter } from './reason.ts';
import { type SegmentDefinition, selection } from './segment.ts';

const params = z.object({});

const EN_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * Contacts whose birth_date month is D's month. A 02-29 birthday belongs to February in every
 * year, leap or not (the month is what counts, so it is never lost or moved to March). With a
 * filter set, only contacts with a gift that passes it.
 */
export const birthdays: SegmentDefinition<typeof params> = {
  id: 'birthdays',
  title: { 'zh-TW': '本月壽星', en: 'Birthdays this month' },
  description: { 'zh-TW': '生日在 D 所在月份的人', en: "Contacts whose birthday is in D's month" },
  use: {
    'zh-TW': '獻上生日祝福，或邀請壽星號召朋友支持組織',
    en: 'Send birthday wishes, or invite them to rally friends for the cause',
  },
  params,
  select(dataset, asOf, _params, filters) {
    const index = donorIndex(dataset, asOf, filters);
    const text = reasonWriter(dataset);
    const month = asOf.slice(5, 7);
    return selection(
      contactEntries(index),
      (c) => {
        if (!c.birth_date || c.birth_date.slice(5, 7) !== month) return undefined;
        if (index.hasFilters && !index.gifts.has(c.contact_id)) return undefined;
        return c.birth_date;
      },
      (birthDate) => text.say({
        'zh-TW': `生日 ${birthDate.slice(5)}（${Number(month)} 月壽星）`,
        en: `birthday ${birthDate.slice(5)} (${EN_MONTHS[Number(month) - 1]})`,
      }),
    );
  },
};
