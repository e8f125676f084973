import { z } from 'zod';
import { lastDays, plusDays } from '../../sync/periods.ts';
import { donorIndex } from './donor-index.ts';
import { reasonWriter } from './reason.ts';
import { type SegmentDefinition, selection, wholeParam } from './segment.ts';

const params = z.object({ retry_days: wholeParam(7), lookback_days: wholeParam(90) });

/**
 * Contacts with a failed donation dated F in the last `lookback_days`, whose retry window
 * [F, F + retry_days] has closed by D with no gift in it.
 */
export const failedNoRetry: SegmentDefinition<typeof params> = {
  id: 'failed_no_retry',
  title: { 'zh-TW': '捐款失敗後未再捐款', en: 'Failed payment, no retry' },
  description: {
    'zh-TW': '最近 N 天內有一筆捐款失敗，且失敗後 7 天內沒有再捐款的人',
    en: 'Contacts with a failed donation in the last N days and no gift within 7 days after it',
  },
  use: {
    'zh-TW': '先別寄募款信：改寄組織的努力成果與影響，加強他們的捐款動機',
    en: 'Send impact, not appeals: show what the work achieves to renew their motivation',
  },
  params,
  select(dataset, asOf, { retry_days, lookback_days }, filters) {
    const index = donorIndex(dataset, asOf, filters);
    const text = reasonWriter(dataset);
    const lookback = lastDays(asOf, lookback_days);
    // A failure's retry window has closed by D when it failed on or before this day.
    const closedBy = plusDays(asOf, -retry_days);
    return selection(index.failed, (failures, contact_id) => {
      // The latest failure that qualifies is the one staff will want to see. Failures (all on or
      // before D) are in date order: the search ends at the first one before the lookback, and
      // the contact's gifts are looked up only for a failure within it (most have none).
      for (let i = failures.length - 1; i >= 0 && failures[i].date >= lookback.start; i--) {
        const f = failures[i];
        if (f.date <= closedBy && !index.gifts.get(contact_id)?.gaveIn({ start: f.date, end: plusDays(f.date, retry_days) })) return f;
      }
      return undefined;
    }, (failure) => {
      const retryEnd = plusDays(failure.date, retry_days);
      return text.say({
        'zh-TW': `${failure.date} 捐款 ${text.money(failure.amount, failure.currency)} 失敗，到 ${retryEnd}（${retry_days} 天內）沒有再捐款`,
        en: `donation of ${text.money(failure.amount, failure.currency)} failed on ${failure.date}; no gift by ${retryEnd} (within ${retry_days} days)`,
      });
    });
  },
};
