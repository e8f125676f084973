import { z } from 'zod';
import type { RecurringPlan } from '../../sync/dataset.ts';
import type { GiftHistory } from '../ledger/index.ts';
import { fiscalYears } from '../../sync/periods.ts';
import { donorIndex } from './donor-index.ts';
import { reasonWriter } from './reason.ts';
import { type SegmentDefinition, selection, wholeParam } from './segment.ts';

const params = z.object({ years: wholeParam(3), min_installments: wholeParam(12) });
const NO_PLANS: readonly RecurringPlan[] = [];

/** A gift in each of the N whole fiscal years before this one, or a plan in progress with at least M gifts. */
export const longTermDonors: SegmentDefinition<typeof params> = {
  id: 'long_term_donors',
  title: { 'zh-TW': '長期捐款人', en: 'Long-term donors' },
  description: {
    'zh-TW': '前 N 個會計年度每年都有捐款，或進行中的定期定額已扣款至少 M 期',
    en: 'A gift in each of the N fiscal years before this one, or a plan in progress with at least M gifts',
  },
  use: { 'zh-TW': '感謝長年的陪伴，邀請他們參與更深的議題或成為志工', en: 'Thank them for years of support; invite them deeper, as volunteers or ambassadors' },
  params,
  select(dataset, asOf, { years, min_installments }, filters) {
    const index = donorIndex(dataset, asOf, filters);
    const text = reasonWriter(dataset);
    const { back } = fiscalYears(asOf, dataset.settings.fiscal_year_start);
    const before = Array.from({ length: years }, (_, i) => back(i + 1));
    const labels = before.map((y) => y.label).reverse().join(', ');
    const paid = (plan: RecurringPlan) => index.giftsPerPlan.get(plan.recurring_id) ?? 0;
    // Contacts with gifts, with their gifts (read in order, not looked up), then those with plans only.
    const contacts = {
      forEach(visit: (gifts: GiftHistory | undefined, contact_id: string) => void) {
        index.gifts.forEach(visit);
        index.plans.forEach((_, id) => index.gifts.has(id) || visit(undefined, id));
      },
      *[Symbol.iterator](): Iterator<readonly [string, GiftHistory | undefined]> {
        yield* index.gifts;
        for (const id of index.plans.keys()) if (!index.gifts.has(id)) yield [id, undefined];
      },
    };
    return selection(contacts, (gifts, contact_id) => {
      const everyYear = gifts !== undefined && gifts.gaveInEach(before);
      const held = index.plans.get(contact_id);
      const plans = held ? held.filter((plan) => plan.status === 'in_progress' && paid(plan) >= min_installments) : NO_PLANS;
      return everyYear || plans.length ? { everyYear, plans } : undefined;
    }, ({ everyYear, plans }) => text.list([
      ...(everyYear ? [text.say({ 'zh-TW': `${labels} 每個年度都有捐款`, en: `gave in each of the fiscal years ${labels}` })] : []),
      ...plans.map((plan) => text.plan(plan, paid(plan))),
    ]));
  },
};
