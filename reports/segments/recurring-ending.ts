import { z } from 'zod';
import type { RecurringPlan } from '../../sync/dataset.ts';
import { plusDays, within } from '../../sync/periods.ts';
import { donorIndex } from './donor-index.ts';
import { reasonWriter } from './reason.ts';
import { type SegmentDefinition, selection, wholeParam } from './segment.ts';

const params = z.object({ within_days: wholeParam(60) });

/**
 * Plans in progress that are about to end: at most one installment left (installments set), or
 * an end date within the next N days.
 */
export const recurringEnding: SegmentDefinition<typeof params> = {
  id: 'recurring_ending',
  title: { 'zh-TW': '即將到期的定期定額', en: 'Recurring plans ending soon' },
  description: {
    'zh-TW': '進行中的定期定額只剩最後一期，或結束日期在 N 天內',
    en: 'A plan in progress with at most one installment left, or ending within N days',
  },
  use: { 'zh-TW': '定期定額快要到期：是時候開始挽留，邀請續約', en: 'Plans about to end: time to thank them and ask them to renew' },
  params,
  select(dataset, asOf, { within_days }, filters) {
    const index = donorIndex(dataset, asOf, filters);
    const text = reasonWriter(dataset);
    const soon = { start: asOf, end: plusDays(asOf, within_days) };
    return selection(index.plans, (plans) => {
      // `left` is set for a plan ending by its installments, absent for one ending by its end_date.
      const ending: { plan: RecurringPlan; paid: number; left?: number }[] = [];
      for (const plan of plans) {
        if (plan.status !== 'in_progress') continue;
        const paid = index.giftsPerPlan.get(plan.recurring_id) ?? 0;
        const left = plan.installments ? plan.installments - paid : undefined;
        if (left !== undefined && left <= 1) ending.push({ plan, paid, left });
        else if (plan.end_date && within(plan.end_date, soon)) ending.push({ plan, paid });
      }
      return ending.length ? ending : undefined;
    }, (ending) => text.list(ending.map(({ plan, paid, left }) => (left !== undefined
      ? text.say({
        'zh-TW': `${text.plan(plan, paid)}：共 ${plan.installments} 期，剩 ${Math.max(left, 0)} 期`,
        en: `${text.plan(plan, paid)}: ${Math.max(left, 0)} of ${plan.installments} installments left`,
      })
      : text.say({
        'zh-TW': `${text.plan(plan, paid)}：${plan.end_date} 結束`,
        en: `${text.plan(plan, paid)}: ends on ${plan.end_date}`,
      })))));
  },
};
