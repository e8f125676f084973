import { z } from 'zod';
import { donorIndex } from './donor-index.ts';
import { reasonWriter } from './reason.ts';
import { type SegmentDefinition, selection } from './segment.ts';

const params = z.object({});

/** Contacts who registered for or attended an event and never gave (a gift that passes the filters). */
export const attendeesNotDonors: SegmentDefinition<typeof params> = {
  id: 'attendees_not_donors',
  title: { 'zh-TW': '參加過活動但尚未捐款', en: 'Event attendees who have not given' },
  description: { 'zh-TW': '報名或出席過活動，但從未捐款的人', en: 'Registered for or attended an event, and no gift ever' },
  use: { 'zh-TW': '他們已經認識組織了：邀請他們捐款支持', en: 'They already know your work: invite them to give' },
  params,
  select(dataset, asOf, _params, filters) {
    const index = donorIndex(dataset, asOf, filters);
    const text = reasonWriter(dataset);
    return selection(index.attendance, (attended, contact_id) => (index.gifts.has(contact_id) ? undefined : attended), (attended) => {
      const events = attended.map((a) =>
        text.say({
          'zh-TW': `${a.status === 'attended' ? '出席' : '報名'}「${a.title}」（${a.date}）`,
          en: `${a.status} "${a.title}" (${a.date})`,
        }),
      );
      return text.list([...events, text.say({ 'zh-TW': '沒有捐款', en: 'no gift' })]);
    });
  },
};
