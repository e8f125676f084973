import { z } from 'zod';
import type { RecurringPlan } from '../../sync/dataset.ts';
import { planState } from '../plans.ts';
import { type DonorIndex, contactEntries, donorIndex } from './donor-index.ts';
import { type Bilingual, type ReasonWriter, reasonWriter } from './reason.ts';
import { type SegmentDefinition, selection } from './segment.ts';

/** A contact's counted plans, split into current (in progress) and past. */
interface PlanHistory {
  current: RecurringPlan[];
  past: RecurringPlan[];
}

/** Per index, since the five recurring types classify the same plans (kept only as long as the index is). */
const historiesOf = new WeakMap<DonorIndex, Map<string, PlanHistory>>();

function planHistories(index: DonorIndex): Map<string, PlanHistory> {
  const cached = historiesOf.get(index);
  if (cached) return cached;
  const histories = new Map<string, PlanHistory>();
  index.plans.forEach((plans, contact_id) => {
    const history: PlanHistory = { current: [], past: [] };
    for (const plan of plans) {
      const state = planState(plan, index.giftsPerPlan);
      if (state) history[state].push(plan);
    }
    if (history.current.length + history.past.length > 0) histories.set(contact_id, history);
  });
  historiesOf.set(index, histories);
  return histories;
}

const describe = (text: ReasonWriter, index: DonorIndex, plans: RecurringPlan[]) =>
  text.list(plans.map((p) => text.plan(p, index.giftsPerPlan.get(p.recurring_id) ?? 0)));

const params = z.object({});

/** The five recurring-donor types share one classification; each keeps the contacts its rule accepts. */
function recurringType(
  id: string,
  title: Bilingual,
  description: Bilingual,
  use: Bilingual,
  accepts: (h: PlanHistory) => boolean,
): SegmentDefinition<typeof params> {
  return {
    id, title, description, use, params,
    select(dataset, asOf, _params, filters) {
      const index = donorIndex(dataset, asOf, filters);
      const text = reasonWriter(dataset);
      return selection(planHistories(index), (h) => (accepts(h) ? h : undefined), (h) => {
        const parts = [
          h.current.length ? text.say({ 'zh-TW': '進行中：', en: 'current: ' }) + describe(text, index, h.current) : '',
          h.past.length ? text.say({ 'zh-TW': '過去：', en: 'past: ' }) + describe(text, index, h.past) : '',
        ];
        return text.list(parts.filter(Boolean));
      });
    },
  };
}

export const recurringNew = recurringType(
  'recurring_new',
  { 'zh-TW': '定期定額：現在有進行中（過去沒有）', en: 'Recurring: new (current plan, no past plan)' },
  { 'zh-TW': '有進行中的定期定額，過去沒有', en: 'At least one current plan and no past plan' },
  { 'zh-TW': '全新的定捐：多愛護這位捐款人，培養忠誠度', en: 'Brand-new monthly donors: look after them and build loyalty' },
  (h) => h.current.length > 0 && h.past.length === 0,
);

export const recurringLapsed = recurringType(
  'recurring_lapsed',
  { 'zh-TW': '定期定額：曾經有，現在沒有', en: 'Recurring: lapsed (past plan, no current plan)' },
  { 'zh-TW': '曾經有定期定額，現在沒有進行中的', en: 'No current plan and at least one past plan' },
  { 'zh-TW': '捐款人與組織說再見了：試著挽回，寄積極的募款信', en: 'They said goodbye: try to win them back with a clear appeal' },
  (h) => h.current.length === 0 && h.past.length > 0,
);

export const recurringLoyal = recurringType(
  'recurring_loyal',
  { 'zh-TW': '定期定額：現在有，且曾經有', en: 'Recurring: loyal (current and past plans)' },
  { 'zh-TW': '有進行中的定期定額，過去也有', en: 'At least one current and one past plan' },
  { 'zh-TW': '忠誠度頗高（回捐成功）：邀請參與更深的議題與其他活動', en: 'Loyal, came back: invite them into harder issues and other activities' },
  (h) => h.current.length > 0 && h.past.length > 0,
);

export const recurringAny = recurringType(
  'recurring_any',
  { 'zh-TW': '定期定額：現在有或曾經有', en: 'Recurring: any (current or past plan)' },
  { 'zh-TW': '有進行中或過去的定期定額', en: 'At least one current or past plan' },
  { 'zh-TW': '所有定期定額捐款人：分眾溝通的起點', en: 'Every recurring donor: the base for tailored messages' },
  () => true,
);

const neverParams = z.object({});

/** Everyone not in recurring_any, whatever their one-time gifts. */
export const recurringNever: SegmentDefinition<typeof neverParams> = {
  id: 'recurring_never',
  title: { 'zh-TW': '定期定額：不曾有（不論有無單筆）', en: 'Recurring: never (no current or past plan)' },
  description: { 'zh-TW': '沒有進行中也沒有過去的定期定額的所有聯絡人，不論有無單筆捐款', en: 'Every contact with no current or past plan, whatever their one-time gifts' },
  use: { 'zh-TW': '最好募款的受眾：有單筆捐款的人很可能轉為定捐', en: 'Your best audience to ask: one-time donors here may well start giving monthly' },
  params: neverParams,
  select(dataset, asOf, _params, filters) {
    const index = donorIndex(dataset, asOf, filters);
    const text = reasonWriter(dataset);
    const histories = planHistories(index);
    return selection(contactEntries(index), (c) => (histories.has(c.contact_id) ? undefined : c), (c) => {
      const gifts = index.gifts.get(c.contact_id)?.count ?? 0;
      return text.say({
        'zh-TW': `沒有進行中或過去的定期定額；捐款 ${gifts} 筆`,
        en: `no current or past recurring plan; ${gifts} gift(s)`,
      });
    });
  },
};
